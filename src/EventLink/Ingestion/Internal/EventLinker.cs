using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.Ingestion.Internal;

/// <summary>Links stored events to profiles: relation values read in order against the identity index, first match wins.</summary>
internal sealed class EventLinker(EventLinkCore core)
{
    /// <summary>Reads an append-only record's relation values in order and finds the first that matches a profile.</summary>
    public Resolution Resolve(Batch batch, ParsedRecord record)
    {
        List<EventWait>? waits = null;
        List<string>? problems = null;
        Span<char> buffer = batch.IdentityBuffer;
        Span<char> scratch = batch.RawValueBuffer;
        var relations = record.Type.Relations;
        for (var i = 0; i < relations.Count; i++)
        {
            var relation = relations[i];
            if (!record.TryGetRelationValue(i, scratch, out var raw))
            {
                (problems ??= []).Add($"'{relation.Field}' is missing");
                continue;
            }

            switch (IdentityMatcher.Match(core.Schema, batch.Index, relation.IdentityKind, raw, buffer, out var written, out var profileId))
            {
                case IdentityMatchStatus.Matched:
                    return new Resolution(profileId, relation.Index, (IReadOnlyList<EventWait>?)waits ?? [], IngestReason.None, null);
                case IdentityMatchStatus.Invalid:
                    (problems ??= []).Add(relation.IdentityKind.DescribeInvalid(raw) is { } why
                        ? $"'{relation.Field}' value '{RecordIdentities.Shorten(raw.ToString())}' is not a valid {relation.IdentityKind.Name} ({why})"
                        : $"'{relation.Field}' value '{RecordIdentities.Shorten(raw.ToString())}' is not a valid {relation.IdentityKind.Name}");
                    break;
                case IdentityMatchStatus.Blocked:
                    (problems ??= []).Add($"'{relation.Field}' value '{RecordIdentities.Shorten(raw.ToString())}' is blocked");
                    break;
                default:
                    (waits ??= new List<EventWait>(1)).Add(new EventWait(new IdentityKey(relation.IdentityKind.Name, new string(buffer[..written])), relation.Index));
                    break;
            }
        }

        if (waits is null)
        {
            return new Resolution(null, -1, [], IngestReason.NoUsableIdentifier,
                $"no usable identifier: {string.Join("; ", problems ?? [])}");
        }

        var target = string.Join(" or ", waits.Select(w => $"{w.Key.Kind} '{w.Key.Value}'"));
        return new Resolution(null, -1, waits, IngestReason.NoMatchingProfile, $"no profile has {target} yet");
    }

    /// <summary>Links, creates or quarantines a stored event according to its resolution.</summary>
    public async ValueTask<IngestResult> ApplyResolutionAsync(Batch batch, ParsedRecord record, long eventId, Resolution resolution, CancellationToken cancellationToken)
    {
        var session = batch.Session;
        if (resolution.ProfileId is { } profileId)
        {
            if (resolution.Waits.Count > 0)
            {
                await session.SetWaitsAsync(eventId, resolution.Waits, cancellationToken).ConfigureAwait(false);
            }

            return Linked(batch, record, eventId, profileId);
        }

        await session.SetWaitsAsync(eventId, resolution.Waits, cancellationToken).ConfigureAwait(false);
        return IngestResults.Of(IngestOutcome.Quarantined, record, null, resolution.Reason, resolution.Message);
    }

    /// <summary>Notes a stored event linked to its profile.</summary>
    public IngestResult Linked(Batch batch, ParsedRecord record, long eventId, Guid profileId)
    {
        core.Observers.OnEventLinked(batch, record, eventId, profileId);
        return IngestResults.Of(IngestOutcome.Linked, record, profileId);
    }
}

/// <summary>Where an append-only record links (or why it waits), and the identities it waits for.</summary>
internal readonly record struct Resolution(Guid? ProfileId, int LinkIndex, IReadOnlyList<EventWait> Waits, IngestReason Reason, string? Message);

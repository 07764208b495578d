using EventLink.Ingestion.Internal;
using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.IdentityGraph.Internal;

/// <summary>
/// The claims of the identity graph: a merged record states the identities it holds, a claiming event the ones it
/// ties; each claim is stored, then the graph recomputes the component it touched.
/// </summary>
internal sealed class ClaimWriter(EventLinkCore core)
{
    public async ValueTask<IngestResult> IngestMergedAsync(Batch batch, ParsedRecord record, bool replay, CancellationToken cancellationToken)
    {
        var session = batch.Session;
        var keys = RecordIdentities.Read(core.Schema, record, out var problems);
        var existing = await session.GetSourceRecordAsync(record.Source, record.RecordId, cancellationToken).ConfigureAwait(false);
        if (await RecordIdRule.OtherHolderAsync(batch, record, existing, cancellationToken).ConfigureAwait(false) is { } holder)
        {
            return await RecordIdRule.RejectAsync(batch, record, holder, cancellationToken).ConfigureAwait(false);
        }

        // Versions are ordered by occurred-at, then by content hash, so any arrival order keeps the same one.
        var comparison = existing is null ? 1 : CompareVersion(record, existing);
        if (comparison == 0 && !replay)
        {
            return IngestResults.Of(IngestOutcome.Duplicate, record, existing!.ProfileId);
        }

        var newer = comparison > 0 || replay;
        if (keys.Count == 0)
        {
            // This version names nobody; the record keeps the profile its other versions gave it.
            if (existing?.ProfileId is { } kept)
            {
                if (!newer)
                {
                    return IngestResults.Of(IngestOutcome.Stale, record, kept);
                }

                await session.UpsertSourceRecordAsync(NewVersion(batch, record, kept, IngestReason.None, null), cancellationToken).ConfigureAwait(false);
                await core.Graph.RefreshAttributesAsync(batch, kept, cancellationToken).ConfigureAwait(false);
                core.Observers.OnProfileChanged(batch, kept, created: false);
                return IngestResults.Of(IngestOutcome.Updated, record, kept);
            }

            if (!newer)
            {
                return IngestResults.Of(IngestOutcome.Stale, record, null);
            }

            var message = $"no usable identity: {string.Join("; ", problems)}";
            await session.UpsertSourceRecordAsync(NewVersion(batch, record, null, IngestReason.NoUsableIdentifier, message), cancellationToken).ConfigureAwait(false);
            return IngestResults.Of(IngestOutcome.Quarantined, record, null, IngestReason.NoUsableIdentifier, message);
        }

        var claim = new ClaimKey(ClaimKind.Record, record.Source, record.RecordId);
        var before = await session.GetClaimAsync(claim, cancellationToken).ConfigureAwait(false);
        await session.UpsertClaimAsync(claim, record.Type.Name, record.OccurredAt, keys, cancellationToken).ConfigureAwait(false);
        await AddMembershipsAsync(batch, record, keys, cancellationToken).ConfigureAwait(false);
        var version = newer ? NewVersion(batch, record, existing?.ProfileId, IngestReason.None, null) : null;
        var claimChanged = before is null || record.OccurredAt < before.FirstOccurredAt || keys.Exists(k => !before.Identities.Contains(k));
        if (!claimChanged && existing?.ProfileId is { } unchanged)
        {
            if (version is null)
            {
                return IngestResults.Of(IngestOutcome.Stale, record, unchanged);
            }

            await session.UpsertSourceRecordAsync(version, cancellationToken).ConfigureAwait(false);
            await core.Graph.RefreshAttributesAsync(batch, unchanged, cancellationToken).ConfigureAwait(false);
            core.Observers.OnProfileChanged(batch, unchanged, created: false);
            return IngestResults.Of(IngestOutcome.Updated, record, unchanged);
        }

        // What the store now holds for the claim (its upsert keeps the first record type and the earliest time and adds
        // the identities; a record claim's profile is its source record's): the recomputation starts from it rather than
        // reading it back. The new version of the source record is written by the recomputation, once, with the profile
        // its claim ends on (writing it here first would write the row twice).
        var occurred = TimestampReader.Normalize(record.OccurredAt);
        var after = new ClaimState(
            claim,
            before?.RecordType ?? record.Type.Name,
            before is null || occurred < before.FirstOccurredAt ? occurred : before.FirstOccurredAt,
            [.. (before?.Identities ?? []).Union(keys).Order()],
            existing?.ProfileId,
            null);
        var change = await core.Graph.RecomputeAsync(batch, claim, refreshSeed: newer, cancellationToken, after, seedIsNew: before is null, seedVersion: version, seedPayload: version is null ? null : record.Root).ConfigureAwait(false);
        var profileId = change.SeedProfile;
        var outcome = before is null && change.Created.Contains(profileId) ? IngestOutcome.Created
            : !newer && !change.ChangedAnything ? IngestOutcome.Stale
            : IngestOutcome.Updated;
        if (outcome != IngestOutcome.Stale)
        {
            core.Observers.OnProfileChanged(batch, profileId, outcome == IngestOutcome.Created);
        }

        return IngestResults.Of(outcome, record, profileId);
    }

    /// <summary>Records the accounts a person's merged record says it belongs to, and the members an account's record names.</summary>
    private async ValueTask AddMembershipsAsync(Batch batch, ParsedRecord record, List<IdentityKey> members, CancellationToken cancellationToken)
    {
        foreach (var member in record.Type.Members)
        {
            if (!RecordParser.TryReadScalar(member.Field, record.Root, out var raw) || !core.Schema.TryNormalize(member.IdentityKind.Name, raw, out var person))
            {
                continue;
            }

            foreach (var account in members)
            {
                await batch.Session.AddMembershipAsync(new MembershipRow(person, account, record.Source, record.RecordId), cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var membership in record.Type.Memberships)
        {
            if (!RecordParser.TryReadScalar(membership.Field, record.Root, out var raw) || !core.Schema.TryNormalize(membership.IdentityKind.Name, raw, out var account))
            {
                continue;
            }

            foreach (var member in members)
            {
                await batch.Session.AddMembershipAsync(new MembershipRow(member, account, record.Source, record.RecordId), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public static SourceRecordRow NewVersion(Batch batch, ParsedRecord record, Guid? profileId, IngestReason reason, string? message) =>
        new(record.Source, record.RecordId, record.Type.Name, profileId, record.OccurredAt, batch.Now, record.ContentHash, record.PayloadJson, reason, message);

    public static int CompareVersion(ParsedRecord record, SourceRecordRow existing)
    {
        var byTime = record.OccurredAt.CompareTo(existing.OccurredAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(record.ContentHash, existing.ContentHash);
    }

    /// <summary>Records an append-only record's claim (for types that tie identities or create profiles) and links it.</summary>
    public async ValueTask<IngestResult> ClaimEventAsync(Batch batch, ParsedRecord record, long eventId, Resolution resolution, CancellationToken cancellationToken)
    {
        var keys = UsableRelationKeys(record, all: record.Type.TiesIdentities);
        if (keys.Count == 0)
        {
            // Nothing to claim: link or quarantine like any event.
            return await core.Linker.ApplyResolutionAsync(batch, record, eventId, resolution, cancellationToken).ConfigureAwait(false);
        }

        var claim = new ClaimKey(ClaimKind.Event, record.Source, record.RecordId);
        await batch.Session.UpsertClaimAsync(claim, record.Type.Name, record.OccurredAt, keys, cancellationToken).ConfigureAwait(false);
        var outcome = await core.Graph.RecomputeAsync(batch, claim, refreshSeed: false, cancellationToken).ConfigureAwait(false);

        var linked = core.Linker.Resolve(batch, record);
        if (linked.ProfileId is { } profileId)
        {
            await batch.Session.LinkEventAsync(eventId, profileId, linked.LinkIndex, cancellationToken).ConfigureAwait(false);
            await batch.Session.SetWaitsAsync(eventId, linked.Waits, cancellationToken).ConfigureAwait(false);
            core.Observers.OnEventLinked(batch, record, eventId, profileId);
            return IngestResults.Of(outcome.Created.Contains(profileId) ? IngestOutcome.Created : IngestOutcome.Linked, record, profileId);
        }

        // Every identity was left out (limits): the event waits like any unmatched one.
        return await core.Linker.ApplyResolutionAsync(batch, record, eventId, linked, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The usable (well-formed, not blocked) relation values of a record: all of them, or the first.</summary>
    private List<IdentityKey> UsableRelationKeys(ParsedRecord record, bool all)
    {
        var keys = new List<IdentityKey>();
        for (var i = 0; i < record.Type.Relations.Count; i++)
        {
            var relation = record.Type.Relations[i];
            if (record.RelationValue(i) is { } raw && core.Schema.TryNormalize(relation.IdentityKind.Name, raw, out var key) && !keys.Contains(key))
            {
                keys.Add(key);
                if (!all)
                {
                    break;
                }
            }
        }

        return keys;
    }
}

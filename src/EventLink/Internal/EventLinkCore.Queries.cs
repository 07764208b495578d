using System.Runtime.CompilerServices;
using EventLink.Storage;

namespace EventLink.Internal;

/// <summary>Queries and quarantine replay.</summary>
internal sealed partial class EventLinkCore
{
    public async ValueTask<Profile?> GetProfileAsync(string tenant, Guid profileId, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var stored = await Store.GetProfileAsync(tenant, profileId, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : await ToProfileAsync(tenant, stored, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<Profile?> FindProfileAsync(string tenant, string identityKind, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identityKind);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        if (!Schema.IdentityKinds.ContainsKey(identityKind))
        {
            throw new ArgumentException($"Identity kind '{identityKind}' is not in the schema.", nameof(identityKind));
        }

        if (!Schema.TryNormalize(identityKind, value, out var key))
        {
            return null;
        }

        var id = await Store.FindProfileIdAsync(tenant, key, cancellationToken).ConfigureAwait(false);
        return id is { } profileId ? await GetProfileAsync(tenant, profileId, cancellationToken).ConfigureAwait(false) : null;
    }

    public async IAsyncEnumerable<Profile> GetProfilesAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var stored in Store.ReadProfilesAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            yield return await ToProfileAsync(tenant, stored, cancellationToken).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<TimelineEvent> GetTimelineAsync(string tenant, Guid profileId, TimelineQuery? query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        if (query?.Limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), "The timeline limit must not be negative.");
        }

        // Only the live id is needed (merges followed), not the profile's identities and attributes.
        if (await Store.ResolveProfileIdAsync(tenant, profileId, cancellationToken).ConfigureAwait(false) is not { } liveId)
        {
            yield break;
        }

        // Data quality (EventLinkCore.QualityQueries.cs): event renames and the event-name filter.
        await foreach (var timelineEvent in ReadRenamedTimelineAsync(tenant, liveId, query ?? new TimelineQuery(), cancellationToken).ConfigureAwait(false))
        {
            yield return timelineEvent;
        }
    }

    public async IAsyncEnumerable<QuarantinedRecord> GetQuarantineAsync(string tenant, string? recordType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var entry in Store.ReadQuarantineAsync(tenant, recordType, cancellationToken).ConfigureAwait(false))
        {
            yield return entry.Record;
        }
    }

    public async IAsyncEnumerable<RejectionRow> GetRejectionsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in Store.ReadRejectionsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    public async ValueTask<CoverageReport> GetCoverageAsync(string tenant, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var counts = await Store.GetCoverageCountsAsync(tenant, cancellationToken).ConfigureAwait(false);
        var byType = counts.ToDictionary(c => c.RecordType, StringComparer.Ordinal);
        var conflicts = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var conflict in Store.ReadConflictsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            conflicts[conflict.RecordType] = conflicts.GetValueOrDefault(conflict.RecordType) + 1;
        }

        var names = Schema.RecordTypes.Keys.Union(byType.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var rows = names.Select(name => byType.TryGetValue(name, out var c)
                ? new RecordTypeCoverage(name, c.Linked + c.Quarantined, c.Linked, c.Quarantined, c.Rejected, c.DistinctProfiles, conflicts.GetValueOrDefault(name))
                : new RecordTypeCoverage(name, 0, 0, 0, 0, 0, conflicts.GetValueOrDefault(name)))
            .ToList();

        // Erasure (suppressed records) and data quality (filtered records, the breakdown by renamed event name).
        var report = await AddSuppressedAsync(tenant, rows, cancellationToken).ConfigureAwait(false);
        return await AddQualityCoverageAsync(tenant, new CoverageReport(report), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<QuarantineReplayResult> ReplayQuarantineAsync(string tenant, string? recordType, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);

        // Read first: a store may serialise its readers with its writers.
        var entries = new List<QuarantineEntry>();
        await foreach (var entry in Store.ReadQuarantineAsync(tenant, recordType, cancellationToken).ConfigureAwait(false))
        {
            entries.Add(entry);
        }

        if (entries.Count == 0)
        {
            return new QuarantineReplayResult(0, 0, 0);
        }

        var linked = await WriteAsync(tenant, async batch =>
        {
            var count = 0;
            foreach (var entry in entries)
            {
                var record = entry.Record;
                var input = new IngestRecord(record.Source, record.RecordType, record.PayloadJson);
                if (!RecordParser.TryParse(Schema, input, int.MaxValue, out var parsed, out _))
                {
                    continue;
                }

                using (parsed)
                {
                    // Data quality (EventLinkCore.Quality.cs): a record that still breaks its contract stays quarantined.
                    if (await RecheckContractAsync(batch, entry, parsed, cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }

                    IngestResult result;
                    if (entry.EventId is { } eventId && parsed.Type.Kind == RecordKind.AppendOnly)
                    {
                        var resolution = Resolve(batch, parsed);
                        if (resolution.ProfileId is { } profileId)
                        {
                            await batch.Session.LinkEventAsync(eventId, profileId, resolution.LinkIndex, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await batch.Session.SetQuarantineAsync(eventId, resolution.Reason, resolution.Message!, cancellationToken).ConfigureAwait(false);
                        }

                        result = await ApplyResolutionAsync(batch, parsed, eventId, resolution, cancellationToken).ConfigureAwait(false);
                    }
                    else if (entry.EventId is null && parsed.Type.Kind == RecordKind.Merged)
                    {
                        result = await IngestMergedAsync(batch, parsed, replay: true, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        continue;
                    }

                    if (result.ProfileId is not null)
                    {
                        count++;
                    }
                }
            }

            await FlushChangesAsync(batch, cancellationToken).ConfigureAwait(false); // Outbox hook.
            return count;
        }, cancellationToken).ConfigureAwait(false);

        return new QuarantineReplayResult(entries.Count, linked, entries.Count - linked);
    }

    /// <summary>The profile with its computed traits and audiences when any are configured (nothing more is read otherwise).</summary>
    internal async ValueTask<Profile> ToProfileAsync(string tenant, StoredProfile stored, CancellationToken cancellationToken)
    {
        if (Traits.IsEmpty)
        {
            return ToProfile(stored);
        }

        var computed = await ComputedOfAsync(tenant, stored.Profile.Id, cancellationToken).ConfigureAwait(false);
        return ToProfile(stored, computed.Traits, computed.Audiences);
    }

    internal static Profile ToProfile(StoredProfile stored) => ToProfile(stored, [], []);

    internal static Profile ToProfile(StoredProfile stored, IReadOnlyList<ComputedTrait> traits, IReadOnlyList<AudienceMembership> audiences) => new(
        stored.Profile.Id,
        stored.Profile.Entity,
        stored.Profile.CreatedAt,
        stored.Attributes.OrderBy(a => a.Name, StringComparer.Ordinal)
            .Select(a => new ProfileAttribute(a.Name, a.ValueJson, a.Source, a.RecordType, a.RecordId, a.ObservedAt))
            .ToList(),
        stored.Identities.OrderBy(i => i.Key)
            .Select(i => new ProfileIdentity(i.Key, i.Source, i.RecordType, i.RecordId, i.FirstSeenAt))
            .ToList(),
        stored.Records,
        stored.Merges.Select(m => new ProfileMerge(m.SurvivorId, m.MergedId, m.Identity, m.Source, m.RecordType, m.RecordId, m.MergedAt, m.Kind)).ToList(),
        traits,
        audiences);

    internal TimelineEvent ToTimelineEvent(EventRow row)
    {
        string? linkedBy = null;
        if (row.ProfileId is not null && row.LinkIndex >= 0 && Schema.TryGetRecordType(row.RecordType, out var type) && row.LinkIndex < type.Relations.Count)
        {
            linkedBy = type.Relations[row.LinkIndex].Field.Text;
        }

        return new(row.Source, row.RecordType, row.RecordId, row.EventName, row.OccurredAt, row.IngestedAt, row.ProfileId, row.PayloadJson, linkedBy);
    }
}

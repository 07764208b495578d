using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace EventLink.Storage.InMemory;

/// <summary>
/// A thread-safe store that keeps everything in memory: the default when no other store is chosen, and
/// what unit tests of a schema use. Writes and reads of one tenant are serialised; a session's changes are
/// undone when it ends uncommitted.
/// </summary>
public sealed partial class InMemoryEventLinkStore : EventLinkStore
{
    private readonly ConcurrentDictionary<string, InMemoryTenant> _tenants = new(StringComparer.Ordinal);

    /// <inheritdoc />
    /// <value>Every capability: the store implements the whole contract.</value>
    public override StoreCapabilities Capabilities => StoreCapabilityGuard.All;

    /// <inheritdoc />
    public override ValueTask InitializeAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public override async ValueTask<EventLinkStoreSession> BeginAsync(string tenant, CancellationToken cancellationToken = default)
    {
        var state = Tenant(tenant);
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new InMemoryStoreSession(state);
    }

    /// <inheritdoc />
    public override async ValueTask<Guid?> FindProfileIdAsync(string tenant, IdentityKey key, CancellationToken cancellationToken = default)
    {
        var state = Tenant(tenant);
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return state.Identities.TryGetValue(key, out var row) ? row.ProfileId : null;
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <inheritdoc />
    public override async ValueTask<StoredProfile?> GetProfileAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default)
    {
        var state = Tenant(tenant);
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!state.Profiles.TryGetValue(profileId, out var profile))
            {
                return null;
            }

            while (profile.MergedInto is { } next && state.Profiles.TryGetValue(next, out var survivor))
            {
                profile = survivor;
            }

            return Read(state, profile);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<StoredProfile> ReadProfilesAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var profiles = await WithTenantAsync(tenant, state => state.Profiles.Values
            .Where(p => p.MergedInto is null)
            .OrderBy(p => p.Id)
            .Select(p => Read(state, p))
            .ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var profile in profiles)
        {
            yield return profile;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<EventRow> ReadTimelineAsync(string tenant, Guid profileId, TimelineQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var events = await WithTenantAsync(tenant, state =>
        {
            if (!state.EventsByProfile.TryGetValue(profileId, out var ids))
            {
                return [];
            }

            IEnumerable<EventRow> rows = ids
                .Select(id => state.Events[id])
                .Where(e => query.Matches(e.Source, e.RecordType, e.OccurredAt, e.RecordId))
                .OrderBy(e => e.OccurredAt)
                .ThenBy(e => e.Source, StringComparer.Ordinal)
                .ThenBy(e => e.RecordId, StringComparer.Ordinal);
            if (query.Limit is { } limit)
            {
                rows = rows.Take(limit);
            }

            return rows.ToList();
        }, cancellationToken).ConfigureAwait(false);

        foreach (var row in events)
        {
            yield return row;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<EventRow> ReadEventsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var events = await WithTenantAsync(tenant, state => state.Events.Values
            .OrderBy(e => e.Source, StringComparer.Ordinal)
            .ThenBy(e => e.RecordId, StringComparer.Ordinal)
            .ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var row in events)
        {
            yield return row;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<QuarantineEntry> ReadQuarantineAsync(string tenant, string? recordType, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var entries = await WithTenantAsync(tenant, state =>
        {
            var fromEvents = state.Events.Values
                .Where(e => e.ProfileId is null && (recordType is null || e.RecordType == recordType))
                .Select(e => new QuarantineEntry(e.Id, new QuarantinedRecord(e.Source, e.RecordType, e.RecordId, e.OccurredAt, e.IngestedAt, e.QuarantineReason, e.QuarantineMessage ?? string.Empty, e.PayloadJson)));
            var fromRecords = state.SourceRecords.Values
                .Where(r => r.ProfileId is null && (recordType is null || r.RecordType == recordType))
                .Select(r => new QuarantineEntry(null, new QuarantinedRecord(r.Source, r.RecordType, r.RecordId, r.OccurredAt, r.IngestedAt, r.QuarantineReason, r.QuarantineMessage ?? string.Empty, r.PayloadJson)));
            return fromEvents.Concat(fromRecords)
                .OrderBy(e => e.Record.RecordType, StringComparer.Ordinal)
                .ThenBy(e => e.Record.Source, StringComparer.Ordinal)
                .ThenBy(e => e.Record.RecordId, StringComparer.Ordinal)
                .ToList();
        }, cancellationToken).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            yield return entry;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<RejectionRow> ReadRejectionsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var rows = await WithTenantAsync(tenant, state => state.Rejections.Values
            .OrderBy(r => r.RecordType, StringComparer.Ordinal)
            .ThenBy(r => r.Source, StringComparer.Ordinal)
            .ThenBy(r => r.Key, StringComparer.Ordinal)
            .ThenBy(r => r.Reason)
            .ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            yield return row;
        }
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<CoverageCounts>> GetCoverageCountsAsync(string tenant, CancellationToken cancellationToken = default)
    {
        return await WithTenantAsync(tenant, state =>
        {
            var byType = new SortedDictionary<string, (long Linked, long Quarantined, long Rejected, HashSet<Guid> Profiles)>(StringComparer.Ordinal);
            (long Linked, long Quarantined, long Rejected, HashSet<Guid> Profiles) Get(string type) =>
                byType.TryGetValue(type, out var value) ? value : (0, 0, 0, []);

            void Count(string type, Guid? profile)
            {
                var entry = Get(type);
                if (profile is { } id)
                {
                    entry.Linked++;
                    entry.Profiles.Add(id);
                }
                else
                {
                    entry.Quarantined++;
                }

                byType[type] = entry;
            }

            foreach (var e in state.Events.Values)
            {
                Count(e.RecordType, e.ProfileId);
            }

            foreach (var r in state.SourceRecords.Values)
            {
                Count(r.RecordType, r.ProfileId);
            }

            foreach (var r in state.Rejections.Values)
            {
                var entry = Get(r.RecordType);
                entry.Rejected++;
                byType[r.RecordType] = entry;
            }

            return (IReadOnlyList<CoverageCounts>)byType
                .Select(p => new CoverageCounts(p.Key, p.Value.Linked, p.Value.Quarantined, p.Value.Rejected, p.Value.Profiles.Count))
                .ToList();
        }, cancellationToken).ConfigureAwait(false);
    }

    private static StoredProfile Read(InMemoryTenant state, ProfileRow profile)
    {
        var identities = state.IdentitiesByProfile.TryGetValue(profile.Id, out var keys)
            ? keys.Select(k => state.Identities[k]).OrderBy(i => i.Key).ToList()
            : [];
        var attributes = state.Attributes.TryGetValue(profile.Id, out var attrs) ? attrs : [];
        var records = state.SourceRecordsByProfile.TryGetValue(profile.Id, out var recordKeys)
            ? recordKeys.Select(k => state.SourceRecords[k])
                .Select(r => new ProfileRecord(r.Source, r.RecordType, r.RecordId, r.OccurredAt))
                .OrderBy(r => r.Source, StringComparer.Ordinal)
                .ThenBy(r => r.RecordId, StringComparer.Ordinal)
                .ToList()
            : [];
        var merges = state.MergeHistory.TryGetValue(profile.Id, out var history) ? history.ToList() : [];
        return new StoredProfile(profile, identities, attributes, records, merges);
    }

    private InMemoryTenant Tenant(string tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return _tenants.GetOrAdd(tenant, static _ => new InMemoryTenant());
    }

    internal async ValueTask<T> WithTenantAsync<T>(string tenant, Func<InMemoryTenant, T> read, CancellationToken cancellationToken)
    {
        var state = Tenant(tenant);
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return read(state);
        }
        finally
        {
            state.Gate.Release();
        }
    }
}

using System.Runtime.CompilerServices;

namespace EventLink.Storage.InMemory;

/// <summary>
/// A session of the in-memory store: changes apply to the tenant's data at once and each pushes its inverse
/// onto an undo log, which is played back when the session ends without a commit.
/// </summary>
/// <remarks>
/// The session keeps the profile and record primitives, the merge and the commit; each capability's primitives live
/// in a feature class (events, identity graph, outbox, quality, traits, tenant erasure, identity journal) sharing the
/// session's <see cref="InMemorySessionContext"/>, and the overrides here forward to them.
/// </remarks>
internal sealed class InMemoryStoreSession : EventLinkStoreSession
{
    private readonly InMemorySessionContext _context;
    private readonly InMemoryTenant _state;
    private bool _committed;
    private bool _disposed;

    // The parts are made when first used: a session that ingests a batch needs only a few of them.
    private InMemoryIdentityJournal? _journal;
    private InMemoryEventOperations? _events;
    private InMemoryGraphOperations? _graph;
    private InMemoryOutboxOperations? _outbox;
    private InMemoryQualityOperations? _quality;
    private InMemoryTraitsOperations? _traits;
    private InMemoryTenantOperations? _tenants;

    public InMemoryStoreSession(InMemoryTenant state)
    {
        _context = new InMemorySessionContext(state);
        _state = state;
        CopiesEventPayloads = true;
    }

    private InMemoryIdentityJournal Journal => _journal ??= new(_context);

    private InMemoryEventOperations Events => _events ??= new(_context);

    private InMemoryGraphOperations Graph => _graph ??= new(_context, Journal);

    private InMemoryOutboxOperations Outbox => _outbox ??= new(_context, Journal);

    private InMemoryQualityOperations Quality => _quality ??= new(_context);

    private InMemoryTraitsOperations Traits => _traits ??= new(_context);

    private InMemoryTenantOperations Tenants => _tenants ??= new(_context, Journal);

    public override long Version => _context.Version;

    public override IAsyncEnumerable<IdentityChange>? ReadIdentityChangesAsync(long sinceVersion, CancellationToken cancellationToken = default) =>
        Journal.ReadChanges(sinceVersion, cancellationToken);

    public override async IAsyncEnumerable<KeyValuePair<IdentityKey, Guid>> ReadIdentityIndexAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var (key, row) in _state.Identities)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new(key, row.ProfileId);
        }
    }

    public override ValueTask<ProfileRow?> GetProfileAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_state.Profiles.TryGetValue(profileId, out var row) ? row : null);

    public override ValueTask CreateProfileAsync(ProfileRow profile, CancellationToken cancellationToken = default)
    {
        _state.Profiles.Add(profile.Id, profile);
        _context.Push(() => _state.Profiles.Remove(profile.Id));
        return ValueTask.CompletedTask;
    }

    public override ValueTask<IReadOnlyList<IdentityRow>> GetIdentitiesAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<IdentityRow>>(_state.IdentitiesByProfile.TryGetValue(profileId, out var keys)
            ? keys.Select(k => _state.Identities[k]).OrderBy(i => i.Key).ToList()
            : []);

    public override ValueTask<SourceRecordRow?> GetSourceRecordAsync(string source, string recordId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_state.SourceRecords.TryGetValue(new RecordKey(source, recordId), out var row) ? row : null);

    public override ValueTask UpsertSourceRecordAsync(SourceRecordRow record, CancellationToken cancellationToken = default)
    {
        var key = new RecordKey(record.Source, record.RecordId);
        _state.SourceRecords.TryGetValue(key, out var previous);
        Put(key, record);
        _context.Push(() =>
        {
            Remove(key, record);
            if (previous is not null)
            {
                Put(key, previous);
            }
        });
        return ValueTask.CompletedTask;

        void Put(RecordKey k, SourceRecordRow row)
        {
            if (_state.SourceRecords.TryGetValue(k, out var old) && old.ProfileId is { } oldProfile)
            {
                _state.SourceRecordsByProfile.RemoveFrom(oldProfile, k);
            }

            _state.SourceRecords[k] = row;
            if (row.ProfileId is { } profile)
            {
                _state.SourceRecordsByProfile.AddTo(profile, k);
            }
        }

        void Remove(RecordKey k, SourceRecordRow row)
        {
            _state.SourceRecords.Remove(k);
            if (row.ProfileId is { } profile)
            {
                _state.SourceRecordsByProfile.RemoveFrom(profile, k);
            }
        }
    }

    public override ValueTask<IReadOnlyList<SourceRecordRow>> GetSourceRecordsAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<SourceRecordRow>>(_state.SourceRecordsByProfile.TryGetValue(profileId, out var keys)
            ? keys.Select(k => _state.SourceRecords[k]).ToList()
            : []);

    public override ValueTask ReplaceAttributesAsync(Guid profileId, IReadOnlyList<AttributeRow> attributes, CancellationToken cancellationToken = default)
    {
        var had = _state.Attributes.TryGetValue(profileId, out var previous);
        _state.Attributes[profileId] = attributes.ToList();
        _context.Push(() =>
        {
            if (had)
            {
                _state.Attributes[profileId] = previous!;
            }
            else
            {
                _state.Attributes.Remove(profileId);
            }
        });
        return ValueTask.CompletedTask;
    }

    public override ValueTask<long?> TryInsertEventAsync(EventRow row, CancellationToken cancellationToken = default) =>
        Events.TryInsertEventAsync(row, cancellationToken);

    public override ValueTask<IReadOnlyList<string?>> GetEventRecordTypesAsync(IReadOnlyList<(string Source, string RecordId)> keys, CancellationToken cancellationToken = default) =>
        Events.GetEventRecordTypesAsync(keys);

    public override ValueTask<IReadOnlyList<long?>> TryInsertEventsAsync(IReadOnlyList<EventRow> rows, CancellationToken cancellationToken = default) =>
        Events.TryInsertEventsAsync(rows, cancellationToken);

    public override ValueTask SetWaitsAsync(long eventId, IReadOnlyList<EventWait> waits, CancellationToken cancellationToken = default) =>
        Events.SetWaitsAsync(eventId, waits, cancellationToken);

    public override ValueTask<IReadOnlyList<PendingLink>> GetWaitsAsync(IdentityKey key, CancellationToken cancellationToken = default) =>
        Events.GetWaitsAsync(key, cancellationToken);

    public override ValueTask LinkEventAsync(long eventId, Guid profileId, int relationIndex, CancellationToken cancellationToken = default) =>
        Events.LinkEventAsync(eventId, profileId, relationIndex, cancellationToken);

    public override ValueTask SetQuarantineAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default) =>
        Events.SetQuarantineAsync(eventId, reason, message, cancellationToken);

    public override ValueTask MergeProfilesAsync(MergeRow merge, CancellationToken cancellationToken = default)
    {
        var loser = merge.MergedId;
        var survivor = merge.SurvivorId;

        var identityKeys = _state.IdentitiesByProfile.TryGetValue(loser, out var keys) ? keys.ToList() : [];
        foreach (var key in identityKeys)
        {
            var row = _state.Identities[key];
            _state.MoveIdentity(row, row with { ProfileId = survivor });
            _context.Push(() => _state.MoveIdentity(row with { ProfileId = survivor }, row));
            Journal.Add(key);
        }

        var recordKeys = _state.SourceRecordsByProfile.TryGetValue(loser, out var rk) ? rk.ToList() : [];
        foreach (var key in recordKeys)
        {
            var row = _state.SourceRecords[key];
            var moved = row with { ProfileId = survivor };
            _state.MoveRecord(key, row, moved);
            _context.Push(() => _state.MoveRecord(key, moved, row));
        }

        var eventIds = _state.EventsByProfile.TryGetValue(loser, out var ek) ? ek.ToList() : [];
        foreach (var id in eventIds)
        {
            var row = _state.Events[id];
            var moved = row with { ProfileId = survivor };
            _state.ReplaceEvent(row, moved);
            _context.Push(() => _state.ReplaceEvent(moved, row));
        }

        var hadAttributes = _state.Attributes.Remove(loser, out var attributes);
        var profileBefore = _state.Profiles[loser];
        _state.Profiles[loser] = profileBefore with { MergedInto = survivor };

        var survivorHistory = _state.MergeHistory.TryGetValue(survivor, out var sh) ? sh : null;
        var loserHistory = _state.MergeHistory.Remove(loser, out var lh) ? lh : null;
        var combined = new List<MergeRow>(survivorHistory ?? []);
        combined.AddRange(loserHistory ?? []);
        combined.Add(merge);
        combined.Sort((a, b) => a.MergedAt.CompareTo(b.MergedAt));
        _state.MergeHistory[survivor] = combined;

        _context.Push(() =>
        {
            if (hadAttributes)
            {
                _state.Attributes[loser] = attributes!;
            }

            _state.Profiles[loser] = profileBefore;
            if (survivorHistory is null)
            {
                _state.MergeHistory.Remove(survivor);
            }
            else
            {
                _state.MergeHistory[survivor] = survivorHistory;
            }

            if (loserHistory is not null)
            {
                _state.MergeHistory[loser] = loserHistory;
            }
        });
        return ValueTask.CompletedTask;
    }

    public override ValueTask AddRejectionAsync(RejectionRow rejection, CancellationToken cancellationToken = default)
    {
        var key = (rejection.Source, rejection.RecordType, rejection.Key, rejection.Reason);
        if (_state.Rejections.TryAdd(key, rejection))
        {
            _context.Push(() => _state.Rejections.Remove(key));
        }

        return ValueTask.CompletedTask;
    }

    public override ValueTask UpsertClaimAsync(ClaimKey key, string recordType, DateTimeOffset occurredAt, IReadOnlyList<IdentityKey> identities, CancellationToken cancellationToken = default) =>
        Graph.UpsertClaimAsync(key, recordType, occurredAt, identities, cancellationToken);

    public override ValueTask<ClaimState?> GetClaimAsync(ClaimKey key, CancellationToken cancellationToken = default) =>
        Graph.GetClaimAsync(key, cancellationToken);

    public override ValueTask<IReadOnlyList<ClaimKey>> GetClaimsByIdentityAsync(IdentityKey identity, CancellationToken cancellationToken = default) =>
        Graph.GetClaimsByIdentityAsync(identity, cancellationToken);

    public override ValueTask<IdentityRow?> GetIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default) =>
        Graph.GetIdentityAsync(key, cancellationToken);

    public override ValueTask AddIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default) =>
        Graph.AddIdentityAsync(identity, cancellationToken);

    public override ValueTask SetIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default) =>
        Graph.SetIdentityAsync(identity, cancellationToken);

    public override ValueTask RemoveIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default) =>
        Graph.RemoveIdentityAsync(key, cancellationToken);

    public override ValueTask<IReadOnlyList<EventRow>> GetEventsOfProfileAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        Graph.GetEventsOfProfileAsync(profileId, cancellationToken);

    public override ValueTask UnlinkEventAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default) =>
        Graph.UnlinkEventAsync(eventId, reason, message, cancellationToken);

    public override ValueTask ReplaceConflictsAsync(IReadOnlyList<ClaimKey> claims, IReadOnlyList<ConflictRow> conflicts, CancellationToken cancellationToken = default) =>
        Graph.ReplaceConflictsAsync(claims, conflicts, cancellationToken);

    public override ValueTask<IReadOnlyList<IdentityKey>> GetUnmergeRulesAsync(CancellationToken cancellationToken = default) =>
        Graph.GetUnmergeRulesAsync(cancellationToken);

    public override ValueTask AddUnmergeRuleAsync(IdentityKey identity, DateTimeOffset createdAt, CancellationToken cancellationToken = default) =>
        Graph.AddUnmergeRuleAsync(identity, createdAt, cancellationToken);

    public override ValueTask AddMembershipAsync(MembershipRow membership, CancellationToken cancellationToken = default) =>
        Graph.AddMembershipAsync(membership, cancellationToken);

    public override ValueTask AddHistoryAsync(MergeRow entry, CancellationToken cancellationToken = default) =>
        Graph.AddHistoryAsync(entry, cancellationToken);

    public override ValueTask AppendChangeAsync(ChangeRow change, CancellationToken cancellationToken = default) =>
        Outbox.AppendChangeAsync(change, cancellationToken);

    public override ValueTask<IReadOnlySet<string>> ReadTombstonesAsync(CancellationToken cancellationToken = default) =>
        Outbox.ReadTombstonesAsync(cancellationToken);

    public override ValueTask AddSuppressionAsync(SuppressionRow suppression, CancellationToken cancellationToken = default) =>
        Outbox.AddSuppressionAsync(suppression, cancellationToken);

    public override ValueTask<ErasureCounts> ForgetAsync(Guid? profileId, IReadOnlyList<IdentityKey> identities, IReadOnlyList<string> tombstones, ChangeRow? notice, CancellationToken cancellationToken = default) =>
        Outbox.ForgetAsync(profileId, identities, tombstones, notice, cancellationToken);

    public override ValueTask AddQualityNoteAsync(QualityNoteRow note, CancellationToken cancellationToken = default) =>
        Quality.AddQualityNoteAsync(note, cancellationToken);

    public override ValueTask<IReadOnlyList<bool>> ObserveFieldsAsync(IReadOnlyList<FieldObservationRow> rows, CancellationToken cancellationToken = default) =>
        Quality.ObserveFieldsAsync(rows, cancellationToken);

    public override ValueTask AddHourlyCountsAsync(IReadOnlyList<HourlyCountRow> rows, CancellationToken cancellationToken = default) =>
        Quality.AddHourlyCountsAsync(rows, cancellationToken);

    public override ValueTask<ComputedStateRow> GetComputedStateAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        Traits.GetComputedStateAsync(profileId, cancellationToken);

    public override ValueTask SaveComputedStateAsync(Guid profileId, ComputedStateRow state, CancellationToken cancellationToken = default) =>
        Traits.SaveComputedStateAsync(profileId, state, cancellationToken);

    public override ValueTask AppendTriggerAsync(TriggerRow trigger, CancellationToken cancellationToken = default) =>
        Traits.AppendTriggerAsync(trigger, cancellationToken);

    public override ValueTask<IReadOnlyList<Guid>> GetDueProfilesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        Traits.GetDueProfilesAsync(now, limit, cancellationToken);

    public override ValueTask<long> ForgetComputedAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        Traits.ForgetComputedAsync(profileId, cancellationToken);

    public override ValueTask<Guid?> GetEventProfileAsync(long eventId, CancellationToken cancellationToken = default) =>
        Traits.GetEventProfileAsync(eventId, cancellationToken);

    public override ValueTask<TenantErasureCounts> EraseTenantAsync(CancellationToken cancellationToken = default) =>
        Tenants.EraseTenantAsync(cancellationToken);

    public override ValueTask<long> CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_context.IsDirty)
        {
            _state.Version++;
            InMemoryIdentityJournal.Compact(_state);
        }

        _context.Commit();
        _committed = true;
        return ValueTask.FromResult(_state.Version);
    }

    public override ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        try
        {
            if (!_committed)
            {
                _context.Rollback();
            }
        }
        finally
        {
            _state.Gate.Release();
        }

        return ValueTask.CompletedTask;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EventLink.Storage.InMemory;

/// <summary>
/// A session of the in-memory store: changes apply to the tenant's data at once and each pushes its inverse
/// onto an undo log, which is played back when the session ends without a commit.
/// </summary>
internal sealed partial class InMemoryStoreSession : EventLinkStoreSession
{
    private readonly InMemoryTenant _state;
    private readonly Stack<Action> _undo = new();
    private List<ReadOnlyMemory<byte>>? _erasedPayloads;
    private bool _committed;
    private bool _disposed;

    public InMemoryStoreSession(InMemoryTenant state)
    {
        _state = state;
        Version = state.Version;
        CopiesEventPayloads = true;
    }

    public override long Version { get; }

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
        _undo.Push(() => _state.Profiles.Remove(profile.Id));
        return ValueTask.CompletedTask;
    }

    public override ValueTask AddIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default)
    {
        _state.Identities.Add(identity.Key, identity);
        _state.IdentitiesByProfile.AddTo(identity.ProfileId, identity.Key);
        _undo.Push(() =>
        {
            _state.Identities.Remove(identity.Key);
            _state.IdentitiesByProfile.RemoveFrom(identity.ProfileId, identity.Key);
        });
        Journal(identity.Key);
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
        _undo.Push(() =>
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
        _undo.Push(() =>
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

    public override ValueTask<long?> TryInsertEventAsync(EventRow row, CancellationToken cancellationToken = default)
    {
        var key = new RecordKey(row.Source, row.RecordId);
        if (_state.EventKeys.ContainsKey(key))
        {
            return ValueTask.FromResult<long?>(null);
        }

        var id = _state.NextEventId++;
        var stored = Stored(row, id);
        _state.Events.Add(id, stored);
        _state.EventKeys.Add(key, id);
        if (stored.ProfileId is { } profile)
        {
            _state.EventsByProfile.AddTo(profile, id);
        }

        _undo.Push(() =>
        {
            _state.Events.Remove(id);
            _state.EventKeys.Remove(key);
            if (stored.ProfileId is { } p)
            {
                _state.EventsByProfile.RemoveFrom(p, id);
            }

            _state.NextEventId = id;
        });
        return ValueTask.FromResult<long?>(id);
    }

    public override ValueTask<IReadOnlyList<long?>> TryInsertEventsAsync(IReadOnlyList<EventRow> rows, CancellationToken cancellationToken = default)
    {
        // The bulk form of TryInsertEventAsync, with the same outcome row by row: one undo entry for the batch
        // instead of a closure per row, and one hash lookup for the duplicate check and the key's insertion.
        ArgumentNullException.ThrowIfNull(rows);
        var ids = new long?[rows.Count];
        var stored = new EventRow[rows.Count];
        var count = 0;
        var firstId = _state.NextEventId;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_state.EventKeys, new RecordKey(row.Source, row.RecordId), out var exists);
            if (exists)
            {
                continue;
            }

            var id = _state.NextEventId++;
            slot = id;
            var inserted = Stored(row, id);
            _state.Events.Add(id, inserted);
            if (inserted.ProfileId is { } profile)
            {
                _state.EventsByProfile.AddTo(profile, id);
            }

            stored[count++] = inserted;
            ids[i] = id;
        }

        if (count > 0)
        {
            _undo.Push(() =>
            {
                for (var i = count - 1; i >= 0; i--)
                {
                    var row = stored[i];
                    _state.Events.Remove(row.Id);
                    _state.EventKeys.Remove(new RecordKey(row.Source, row.RecordId));
                    if (row.ProfileId is { } p)
                    {
                        _state.EventsByProfile.RemoveFrom(p, row.Id);
                    }
                }

                _state.NextEventId = firstId;
            });
        }

        return ValueTask.FromResult<IReadOnlyList<long?>>(ids);
    }

    public override ValueTask SetWaitsAsync(long eventId, IReadOnlyList<EventWait> waits, CancellationToken cancellationToken = default)
    {
        var previous = _state.WaitsByEvent.TryGetValue(eventId, out var old) ? old.ToList() : [];
        ReplaceWaits(eventId, waits);
        _undo.Push(() => ReplaceWaits(eventId, previous));
        return ValueTask.CompletedTask;
    }

    public override ValueTask<IReadOnlyList<PendingLink>> GetWaitsAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        if (!_state.Waits.TryGetValue(key, out var waits))
        {
            return ValueTask.FromResult<IReadOnlyList<PendingLink>>([]);
        }

        return ValueTask.FromResult<IReadOnlyList<PendingLink>>(waits
            .OrderBy(w => w.EventId)
            .Select(w => new PendingLink(w.EventId, w.Index, _state.Events[w.EventId].LinkIndex))
            .ToList());
    }

    public override ValueTask LinkEventAsync(long eventId, Guid profileId, int relationIndex, CancellationToken cancellationToken = default)
    {
        var before = _state.Events[eventId];
        var waitsBefore = _state.WaitsByEvent.TryGetValue(eventId, out var old) ? old.ToList() : [];
        var after = before with { ProfileId = profileId, LinkIndex = relationIndex, QuarantineReason = IngestReason.None, QuarantineMessage = null };
        ReplaceEvent(before, after);
        ReplaceWaits(eventId, waitsBefore.Where(w => w.RelationIndex < relationIndex).ToList());
        _undo.Push(() =>
        {
            ReplaceEvent(after, before);
            ReplaceWaits(eventId, waitsBefore);
        });
        return ValueTask.CompletedTask;
    }

    public override ValueTask SetQuarantineAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default)
    {
        var before = _state.Events[eventId];
        var after = before with { QuarantineReason = reason, QuarantineMessage = message };
        ReplaceEvent(before, after);
        _undo.Push(() => ReplaceEvent(after, before));
        return ValueTask.CompletedTask;
    }

    public override ValueTask MergeProfilesAsync(MergeRow merge, CancellationToken cancellationToken = default)
    {
        var loser = merge.MergedId;
        var survivor = merge.SurvivorId;

        var identityKeys = _state.IdentitiesByProfile.TryGetValue(loser, out var keys) ? keys.ToList() : [];
        foreach (var key in identityKeys)
        {
            var row = _state.Identities[key];
            MoveIdentity(row, row with { ProfileId = survivor });
            _undo.Push(() => MoveIdentity(row with { ProfileId = survivor }, row));
            Journal(key);
        }

        var recordKeys = _state.SourceRecordsByProfile.TryGetValue(loser, out var rk) ? rk.ToList() : [];
        foreach (var key in recordKeys)
        {
            var row = _state.SourceRecords[key];
            var moved = row with { ProfileId = survivor };
            MoveRecord(key, row, moved);
            _undo.Push(() => MoveRecord(key, moved, row));
        }

        var eventIds = _state.EventsByProfile.TryGetValue(loser, out var ek) ? ek.ToList() : [];
        foreach (var id in eventIds)
        {
            var row = _state.Events[id];
            var moved = row with { ProfileId = survivor };
            ReplaceEvent(row, moved);
            _undo.Push(() => ReplaceEvent(moved, row));
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

        _undo.Push(() =>
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
            _undo.Push(() => _state.Rejections.Remove(key));
        }

        return ValueTask.CompletedTask;
    }

    public override ValueTask<long> CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_undo.Count > 0)
        {
            _state.Version++;
            CompactJournal();
        }

        _undo.Clear();
        _committed = true;

        // Erased events leave nothing behind: their payload bytes, kept in the tenant's shared slab, are zeroed once
        // the erasure is committed (until then a rollback still needs them).
        foreach (var payload in _erasedPayloads ?? [])
        {
            System.Runtime.InteropServices.MemoryMarshal.AsMemory(payload).Span.Clear();
        }

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
                while (_undo.TryPop(out var undo))
                {
                    undo();
                }
            }
        }
        finally
        {
            _state.Gate.Release();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Notes that an event is erased: its payload bytes are zeroed on commit.</summary>
    private void Erased(EventRow row)
    {
        if (row.HasUtf8Payload)
        {
            (_erasedPayloads ??= []).Add(row.Utf8Payload);
        }
    }

    /// <summary>The row as kept: with its id, and its UTF-8 payload (lent by the engine) copied into the tenant's slab.</summary>
    private EventRow Stored(EventRow row, long id) =>
        row.HasUtf8Payload ? row.Keep(id, _state.Payloads.Copy(row.Utf8Payload.Span)) : row with { Id = id };

    private void ReplaceEvent(EventRow before, EventRow after)
    {
        _state.Events[after.Id] = after;
        if (before.ProfileId is { } oldProfile)
        {
            _state.EventsByProfile.RemoveFrom(oldProfile, before.Id);
        }

        if (after.ProfileId is { } newProfile)
        {
            _state.EventsByProfile.AddTo(newProfile, after.Id);
        }
    }

    private void ReplaceWaits(long eventId, IReadOnlyList<EventWait> waits)
    {
        if (_state.WaitsByEvent.Remove(eventId, out var old))
        {
            foreach (var wait in old)
            {
                if (_state.Waits.TryGetValue(wait.Key, out var list))
                {
                    list.RemoveAll(w => w.EventId == eventId && w.Index == wait.RelationIndex);
                    if (list.Count == 0)
                    {
                        _state.Waits.Remove(wait.Key);
                    }
                }
            }
        }

        if (waits.Count == 0)
        {
            return;
        }

        _state.WaitsByEvent[eventId] = waits.ToList();
        foreach (var wait in waits)
        {
            if (!_state.Waits.TryGetValue(wait.Key, out var list))
            {
                list = [];
                _state.Waits[wait.Key] = list;
            }

            list.Add((eventId, wait.RelationIndex));
        }
    }

    private void MoveIdentity(IdentityRow before, IdentityRow after)
    {
        _state.Identities[after.Key] = after;
        _state.IdentitiesByProfile.RemoveFrom(before.ProfileId, before.Key);
        _state.IdentitiesByProfile.AddTo(after.ProfileId, after.Key);
    }

    private void MoveRecord(RecordKey key, SourceRecordRow before, SourceRecordRow after)
    {
        _state.SourceRecords[key] = after;
        if (before.ProfileId is { } oldProfile)
        {
            _state.SourceRecordsByProfile.RemoveFrom(oldProfile, key);
        }

        if (after.ProfileId is { } newProfile)
        {
            _state.SourceRecordsByProfile.AddTo(newProfile, key);
        }
    }
}

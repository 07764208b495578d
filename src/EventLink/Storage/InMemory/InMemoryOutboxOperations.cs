namespace EventLink.Storage.InMemory;

/// <summary>Change-log appends, tombstones, suppressions and erasure, each undone when the session ends uncommitted.</summary>
internal sealed class InMemoryOutboxOperations(InMemorySessionContext context, InMemoryIdentityJournal journal)
{
    private readonly InMemorySessionContext _context = context;
    private readonly InMemoryTenant _state = context.State;
    private readonly InMemoryIdentityJournal _journal = journal;

    public ValueTask AppendChangeAsync(ChangeRow change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var sequence = _state.NextChangeSequence++;
        _state.Changes.Add(change with { Sequence = sequence });
        _context.Push(() =>
        {
            _state.Changes.RemoveAt(_state.Changes.Count - 1);
            _state.NextChangeSequence = sequence;
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlySet<string>> ReadTombstonesAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlySet<string>>(_state.Tombstones.ToHashSet(StringComparer.Ordinal));

    public ValueTask AddSuppressionAsync(SuppressionRow suppression, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suppression);
        var key = new RecordKey(suppression.Source, suppression.RecordId);
        if (_state.Suppressions.TryAdd(key, suppression))
        {
            _context.Push(() => _state.Suppressions.Remove(key));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<ErasureCounts> ForgetAsync(Guid? profileId, IReadOnlyList<IdentityKey> identities, IReadOnlyList<string> tombstones, ChangeRow? notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(tombstones);
        long profiles = 0, identityCount = 0, records = 0, events = 0, quarantined = 0, outbox = 0;

        // Erased identities are not journalled as removals: that would keep them. Other processes reload instead.
        _journal.Reset();
        var closure = profileId is { } root && _state.Profiles.ContainsKey(root) ? _state.MergedClosure(root) : [];
        foreach (var id in closure)
        {
            foreach (var key in _state.IdentitiesByProfile.TryGetValue(id, out var keys) ? keys.ToList() : [])
            {
                var row = _state.Identities[key];
                _state.Identities.Remove(key);
                _state.IdentitiesByProfile.RemoveFrom(id, key);
                _context.Push(() =>
                {
                    _state.Identities[key] = row;
                    _state.IdentitiesByProfile.AddTo(id, key);
                });
                identityCount++;
            }

            foreach (var key in _state.SourceRecordsByProfile.TryGetValue(id, out var recordKeys) ? recordKeys.ToList() : [])
            {
                var row = _state.SourceRecords[key];
                _state.SourceRecords.Remove(key);
                _state.SourceRecordsByProfile.RemoveFrom(id, key);
                _context.Push(() =>
                {
                    _state.SourceRecords[key] = row;
                    _state.SourceRecordsByProfile.AddTo(id, key);
                });
                records++;
            }

            foreach (var eventId in _state.EventsByProfile.TryGetValue(id, out var eventIds) ? eventIds.ToList() : [])
            {
                DeleteEvent(eventId);
                events++;
            }

            Remove(_state.Attributes, id);
            Remove(_state.MergeHistory, id);
            Remove(_state.Profiles, id);
            profiles++;
        }

        foreach (var key in identities)
        {
            foreach (var (eventId, _) in _state.Waits.TryGetValue(key, out var waiting) ? waiting.ToList() : [])
            {
                if (!_state.Events.TryGetValue(eventId, out var row))
                {
                    continue;
                }

                if (row.ProfileId is null)
                {
                    DeleteEvent(eventId);
                    quarantined++;
                }
                else
                {
                    var before = _state.WaitsByEvent[eventId].ToList();
                    _state.ReplaceWaits(eventId, before.Where(w => w.Key != key).ToList());
                    _context.Push(() => _state.ReplaceWaits(eventId, before));
                }
            }
        }

        var changes = _state.Changes.ToList();
        var removed = _state.Changes.RemoveAll(c => closure.Contains(c.ProfileId));
        if (removed > 0)
        {
            _context.Push(() =>
            {
                _state.Changes.Clear();
                _state.Changes.AddRange(changes);
            });
            outbox += removed;
        }

        foreach (var (key, letter) in _state.DeadLetters.Where(d => closure.Contains(d.Value.ProfileId)).ToList())
        {
            _state.DeadLetters.Remove(key);
            _context.Push(() => _state.DeadLetters[key] = letter);
            outbox++;
        }

        foreach (var hash in tombstones)
        {
            if (_state.Tombstones.Add(hash))
            {
                _context.Push(() => _state.Tombstones.Remove(hash));
            }
        }

        if (notice is not null)
        {
            AppendChangeAsync(notice, cancellationToken);
        }

        return ValueTask.FromResult(new ErasureCounts(profiles, identityCount, records, events, quarantined, outbox));
    }

    private void DeleteEvent(long eventId)
    {
        var row = _state.Events[eventId];
        _context.Erased(row);
        var waits = _state.WaitsByEvent.TryGetValue(eventId, out var old) ? old.ToList() : [];
        var key = new RecordKey(row.Source, row.RecordId);
        _state.ReplaceWaits(eventId, []);
        _state.Events.Remove(eventId);
        _state.EventKeys.Remove(key);
        if (row.ProfileId is { } profile)
        {
            _state.EventsByProfile.RemoveFrom(profile, eventId);
        }

        _context.Push(() =>
        {
            _state.Events[eventId] = row;
            _state.EventKeys[key] = eventId;
            if (row.ProfileId is { } p)
            {
                _state.EventsByProfile.AddTo(p, eventId);
            }

            _state.ReplaceWaits(eventId, waits);
        });
    }

    private void Remove<TValue>(Dictionary<Guid, TValue> map, Guid id)
    {
        if (map.Remove(id, out var value))
        {
            _context.Push(() => map[id] = value);
        }
    }
}

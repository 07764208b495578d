namespace EventLink.Storage.InMemory;

/// <summary>Erasing a whole tenant: every collection of its data is emptied, undoably until commit.</summary>
internal sealed class InMemoryTenantOperations(InMemorySessionContext context, InMemoryIdentityJournal journal)
{
    private readonly InMemorySessionContext _context = context;
    private readonly InMemoryTenant _state = context.State;
    private readonly InMemoryIdentityJournal _journal = journal;

    public ValueTask<TenantErasureCounts> EraseTenantAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var profiles = _state.Profiles.Count;
        var events = _state.Events.Count;
        var rows = profiles + events + _state.Identities.Count + _state.SourceRecords.Count
            + _state.Attributes.Values.Sum(a => a.Count) + _state.WaitsByEvent.Values.Sum(w => w.Count)
            + _state.MergeHistory.Values.Sum(m => m.Count) + _state.Rejections.Count
            + _state.Claims.Values.Sum(c => 1 + c.Identities.Count) + _state.Conflicts.Values.Sum(c => c.Count)
            + _state.UnmergeRules.Count + _state.Memberships.Count + _state.Changes.Count + _state.Tombstones.Count
            + _state.Suppressions.Count + _state.SyncStates.Count + _state.DeadLetters.Count + _state.QualityNotes.Count
            + _state.FieldObservations.Count + _state.HourlyCounts.Count + _state.Computed.Count + _state.Triggers.Count;

        // Index maps (…ByProfile, EventKeys, Waits, ClaimsByIdentity) are emptied with the rows they index.
        Wipe(_state.Profiles);
        Wipe(_state.Identities);
        Wipe(_state.IdentitiesByProfile);
        Wipe(_state.SourceRecords);
        Wipe(_state.SourceRecordsByProfile);
        Wipe(_state.Attributes);
        foreach (var row in _state.Events.Values)
        {
            _context.Erased(row);
        }

        Wipe(_state.Events);
        Wipe(_state.EventKeys);
        Wipe(_state.EventsByProfile);
        Wipe(_state.Waits);
        Wipe(_state.WaitsByEvent);
        Wipe(_state.MergeHistory);
        Wipe(_state.Rejections);
        Wipe(_state.Claims);
        Wipe(_state.ClaimsByIdentity);
        Wipe(_state.Conflicts);
        Wipe(_state.UnmergeRules);
        WipeSet(_state.Memberships);
        WipeList(_state.Changes);
        WipeSet(_state.Tombstones);
        Wipe(_state.Suppressions);
        Wipe(_state.SyncStates);
        Wipe(_state.DeadLetters);
        Wipe(_state.QualityNotes);
        Wipe(_state.FieldObservations);
        Wipe(_state.HourlyCounts);
        Wipe(_state.Computed);
        WipeList(_state.Triggers);
        if (rows > 0 || _state.IdentityJournal.Count > 0)
        {
            _journal.Reset();
        }

        return ValueTask.FromResult(new TenantErasureCounts(profiles, events, rows));
    }

    private void Wipe<TKey, TValue>(IDictionary<TKey, TValue> map)
        where TKey : notnull
    {
        if (map.Count == 0)
        {
            return;
        }

        var copy = map.ToList();
        map.Clear();
        _context.Push(() =>
        {
            foreach (var (key, value) in copy)
            {
                map[key] = value;
            }
        });
    }

    private void WipeSet<T>(HashSet<T> set)
    {
        if (set.Count == 0)
        {
            return;
        }

        var copy = set.ToList();
        set.Clear();
        _context.Push(() => set.UnionWith(copy));
    }

    private void WipeList<T>(List<T> list)
    {
        if (list.Count == 0)
        {
            return;
        }

        var copy = list.ToList();
        list.Clear();
        _context.Push(() => list.AddRange(copy));
    }
}

using System.Runtime.InteropServices;

namespace EventLink.Storage.InMemory;

/// <summary>Computed traits, audience memberships and the trigger log, each write undone when the session ends uncommitted.</summary>
internal sealed class InMemoryTraitsOperations(InMemorySessionContext context)
{
    private readonly InMemorySessionContext _context = context;
    private readonly InMemoryTenant _state = context.State;
    private bool _appendsUndone;
    private List<(Guid ProfileId, ComputedStateRow? Row)>? _computedBefore;
    private int _computedBeforeAt = -1;

    public ValueTask<ComputedStateRow> GetComputedStateAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_state.Computed.TryGetValue(profileId, out var state) ? state : ComputedStateRow.Empty);

    public ValueTask SaveComputedStateAsync(Guid profileId, ComputedStateRow state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        bool had;
        ComputedStateRow? previous;
        if (state.IsEmpty)
        {
            had = _state.Computed.Remove(profileId, out previous);
        }
        else
        {
            // One lookup: the row's slot, added when the profile had none.
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_state.Computed, profileId, out had);
            previous = slot;

            // Lists are copied (a caller may reuse its own), but not arrays: the engine passes its memberships as an
            // array it never changes, kept as the next update's previous state. The packed state is the engine's, written once.
            slot = state.Traits is TraitStateRow[] && state.Audiences is AudienceMemberRow[]
                ? state
                : state with
                {
                    Traits = state.Traits.Count == 0 ? [] : [.. state.Traits],
                    Audiences = state.Audiences.Count == 0 ? [] : [.. state.Audiences],
                };
            if (state.DueAt is { } due && (!had || previous!.DueAt != due))
            {
                _state.DueIndex.Add((due, profileId)); // An extra entry is harmless: it is stale once the due time moves.
            }
        }

        ComputedBefore().Add((profileId, had ? previous : null));
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The computed rows as they were before each save of the run of saves under way, restored by one undo (not a
    /// closure per profile saved) from the last to the first, so that a profile saved twice gets its first value back.
    /// A change of anything else in between starts a new run, with its own undo, so the undos still play back in the
    /// reverse order of the changes.
    /// </summary>
    private List<(Guid ProfileId, ComputedStateRow? Row)> ComputedBefore()
    {
        if (_computedBefore is null || _context.UndoCount != _computedBeforeAt)
        {
            var before = _computedBefore = [];
            _context.Push(() =>
            {
                for (var i = before.Count - 1; i >= 0; i--)
                {
                    var (id, row) = before[i];
                    if (row is null)
                    {
                        _state.Computed.Remove(id);
                    }
                    else
                    {
                        _state.Computed[id] = row;
                    }
                }
            });
            _computedBeforeAt = _context.UndoCount;
        }

        return _computedBefore;
    }

    public ValueTask AppendTriggerAsync(TriggerRow trigger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (!_appendsUndone)
        {
            // One undo for every append of the session (run after the undos of later changes): back to the log as it was.
            _appendsUndone = true;
            var count = _state.Triggers.Count;
            var next = _state.NextTriggerSequence;
            _context.Push(() =>
            {
                _state.Triggers.RemoveRange(count, _state.Triggers.Count - count);
                _state.NextTriggerSequence = next;
            });
        }

        _state.Triggers.Add((_state.NextTriggerSequence++, trigger));
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<Guid>> GetDueProfilesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        var due = new List<Guid>();
        List<(DateTimeOffset, Guid)>? stale = null;
        foreach (var entry in _state.DueIndex)
        {
            if (entry.Due > now || due.Count >= limit)
            {
                break;
            }

            if (_state.Computed.TryGetValue(entry.ProfileId, out var row) && row.DueAt == entry.Due)
            {
                due.Add(entry.ProfileId);
            }
            else
            {
                (stale ??= []).Add(entry);
            }
        }

        foreach (var entry in stale ?? [])
        {
            _state.DueIndex.Remove(entry);
        }

        if (stale is not null)
        {
            // A rolled-back session may restore the rows these entries were for.
            _context.Push(() => _state.DueIndex.UnionWith(stale));
        }

        return ValueTask.FromResult<IReadOnlyList<Guid>>(due);
    }

    public ValueTask<long> ForgetComputedAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        var closure = _state.MergedClosure(profileId);
        foreach (var id in closure)
        {
            if (_state.Computed.Remove(id, out var state))
            {
                _context.Push(() => _state.Computed[id] = state);
            }
        }

        var before = _state.Triggers.ToList();
        var removed = _state.Triggers.RemoveAll(t => closure.Contains(t.Row.ProfileId));
        if (removed > 0)
        {
            _context.Push(() =>
            {
                _state.Triggers.Clear();
                _state.Triggers.AddRange(before);
            });
        }

        return ValueTask.FromResult((long)removed);
    }

    public ValueTask<Guid?> GetEventProfileAsync(long eventId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_state.Events.TryGetValue(eventId, out var row) ? row.ProfileId : null);
}

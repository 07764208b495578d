using System.Runtime.InteropServices;

namespace EventLink.Storage.InMemory;

/// <summary>
/// Events of the in-memory store and the identities they wait for: the ingest hot path, where each kept event's
/// UTF-8 payload is copied into the tenant's slab.
/// </summary>
internal sealed class InMemoryEventOperations(InMemorySessionContext context)
{
    private readonly InMemorySessionContext _context = context;
    private readonly InMemoryTenant _state = context.State;

    public ValueTask<long?> TryInsertEventAsync(EventRow row, CancellationToken cancellationToken = default)
    {
        var key = new RecordKey(row.Source, row.RecordId);
        if (_state.EventKeys.ContainsKey(key) || _state.SourceRecords.ContainsKey(key))
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

        _context.Push(() =>
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

    public ValueTask<IReadOnlyList<long?>> TryInsertEventsAsync(IReadOnlyList<EventRow> rows, CancellationToken cancellationToken = default)
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
            var key = new RecordKey(row.Source, row.RecordId);
            if (_state.SourceRecords.Count > 0 && _state.SourceRecords.ContainsKey(key))
            {
                continue; // Held by a merged record.
            }

            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_state.EventKeys, key, out var exists);
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
            _context.Push(() =>
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

    public ValueTask<IReadOnlyList<string?>> GetEventRecordTypesAsync(IReadOnlyList<(string Source, string RecordId)> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var types = new string?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            types[i] = _state.EventKeys.TryGetValue(new RecordKey(keys[i].Source, keys[i].RecordId), out var id) ? _state.Events[id].RecordType : null;
        }

        return ValueTask.FromResult<IReadOnlyList<string?>>(types);
    }

    public ValueTask SetWaitsAsync(long eventId, IReadOnlyList<EventWait> waits, CancellationToken cancellationToken = default)
    {
        var previous = _state.WaitsByEvent.TryGetValue(eventId, out var old) ? old.ToList() : [];
        _state.ReplaceWaits(eventId, waits);
        _context.Push(() => _state.ReplaceWaits(eventId, previous));
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<PendingLink>> GetWaitsAsync(IdentityKey key, CancellationToken cancellationToken = default)
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

    public ValueTask LinkEventAsync(long eventId, Guid profileId, int relationIndex, CancellationToken cancellationToken = default)
    {
        var before = _state.Events[eventId];
        var waitsBefore = _state.WaitsByEvent.TryGetValue(eventId, out var old) ? old.ToList() : [];
        var after = before with { ProfileId = profileId, LinkIndex = relationIndex, QuarantineReason = IngestReason.None, QuarantineMessage = null };
        _state.ReplaceEvent(before, after);
        _state.ReplaceWaits(eventId, waitsBefore.Where(w => w.RelationIndex < relationIndex).ToList());
        _context.Push(() =>
        {
            _state.ReplaceEvent(after, before);
            _state.ReplaceWaits(eventId, waitsBefore);
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask SetQuarantineAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default)
    {
        var before = _state.Events[eventId];
        var after = before with { QuarantineReason = reason, QuarantineMessage = message };
        _state.ReplaceEvent(before, after);
        _context.Push(() => _state.ReplaceEvent(after, before));
        return ValueTask.CompletedTask;
    }

    /// <summary>The row as kept: with its id, and its UTF-8 payload (lent by the engine) copied into the tenant's slab.</summary>
    private EventRow Stored(EventRow row, long id) =>
        row.HasUtf8Payload ? row.Keep(id, _state.Payloads.Copy(row.Utf8Payload.Span)) : row with { Id = id };
}

namespace EventLink.Storage.InMemory;

/// <summary>Data-quality writes of the in-memory store, undone like the others when the session ends uncommitted.</summary>
internal sealed class InMemoryQualityOperations(InMemorySessionContext context)
{
    private readonly InMemorySessionContext _context = context;
    private readonly InMemoryTenant _state = context.State;

    public ValueTask AddQualityNoteAsync(QualityNoteRow note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(note);
        var key = (note.Source, note.RecordType, note.Key, note.Kind, note.Rule);
        if (_state.QualityNotes.TryAdd(key, note))
        {
            _context.Push(() => _state.QualityNotes.Remove(key));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<bool>> ObserveFieldsAsync(IReadOnlyList<FieldObservationRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var isNew = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var key = (row.Source, row.RecordType, row.Path, row.JsonType);
            if (_state.FieldObservations.TryGetValue(key, out var previous))
            {
                _state.FieldObservations[key] = previous with
                {
                    FirstSeen = row.FirstSeen < previous.FirstSeen ? row.FirstSeen : previous.FirstSeen,
                    LastSeen = row.LastSeen > previous.LastSeen ? row.LastSeen : previous.LastSeen,
                    Count = previous.Count + row.Count,
                };
                _context.Push(() => _state.FieldObservations[key] = previous);
            }
            else
            {
                _state.FieldObservations[key] = row;
                _context.Push(() => _state.FieldObservations.Remove(key));
                isNew[i] = true;
            }
        }

        return ValueTask.FromResult<IReadOnlyList<bool>>(isNew);
    }

    public ValueTask AddHourlyCountsAsync(IReadOnlyList<HourlyCountRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            var key = (row.Source, row.RecordType, row.Hour.ToUniversalTime());
            var had = _state.HourlyCounts.TryGetValue(key, out var previous);
            _state.HourlyCounts[key] = previous + row.Count;
            _context.Push(had ? () => _state.HourlyCounts[key] = previous : () => _state.HourlyCounts.Remove(key));
        }

        return ValueTask.CompletedTask;
    }
}

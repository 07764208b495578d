using EventLink.Storage;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// Set-based links and waits: what a session's <c>LinkEvent</c> and <c>SetWaits</c> calls do to the events and
/// waits tables, kept as each event's resulting state and written as at most four statements when the write buffers
/// are sealed — not two or three statements per event (a batch that links the events waiting for new profiles made
/// thousands). The statements have the effect of the per-event ones applied in order: a link updates the event and
/// drops its waits from the linking field on; setting waits replaces them.
/// </summary>
internal sealed class PostgreSqlLinkBuffer(PostgreSqlSessionContext context)
{
    private readonly PostgreSqlSessionContext _context = context;
    private readonly Dictionary<long, (Guid Profile, int Index)> _links = [];
    private readonly Dictionary<long, WaitsChange> _waits = [];

    /// <summary>Buffers an event's link to a profile through relation field <paramref name="relationIndex"/>.</summary>
    public void Link(long eventId, Guid profileId, int relationIndex)
    {
        _links[eventId] = (profileId, relationIndex);
        if (_waits.TryGetValue(eventId, out var change))
        {
            change.DropFrom(relationIndex);
        }
        else
        {
            _waits[eventId] = new WaitsChange { Drop = relationIndex };
        }

        _context.Dirty = true;
    }

    /// <summary>Buffers the waits that replace an event's; <paramref name="mayBeStored"/> is false when it has none stored.</summary>
    public void SetWaits(long eventId, IReadOnlyList<EventWait> waits, bool mayBeStored)
    {
        // Stored waits go when some may be stored: before this session, or by a link buffered here (it drops only some).
        var stored = mayBeStored || (_waits.TryGetValue(eventId, out var prior) && (prior.Replacement is null || prior.DeleteStored));
        _waits[eventId] = new WaitsChange { Replacement = [.. waits], DeleteStored = stored };
        _context.Dirty = true;
    }

    /// <summary>Moves the buffered links and waits to the deferred statements.</summary>
    public void Seal()
    {
        if (_links.Count == 0 && _waits.Count == 0)
        {
            return;
        }

        var sql = _context.Sql.Buffers;
        var tenant = _context.Tenant;
        if (_links.Count > 0)
        {
            _context.AddDeferred(BatchCommand(
                sql.LinkEvents,
                Text(tenant),
                LongArray([.. _links.Keys]),
                UuidArray([.. _links.Values.Select(l => l.Profile)]),
                IntArray([.. _links.Values.Select(l => l.Index)])), counted: false);
        }

        var replaced = _waits.Where(w => w.Value.Replacement is not null).ToList();
        if (replaced.Exists(w => w.Value.DeleteStored))
        {
            _context.AddDeferred(BatchCommand(sql.DeleteWaits, Text(tenant), LongArray([.. replaced.Where(w => w.Value.DeleteStored).Select(w => w.Key)])), counted: false);
        }

        var dropped = _waits.Where(w => w.Value.Replacement is null).ToList();
        if (dropped.Count > 0)
        {
            _context.AddDeferred(BatchCommand(
                sql.DropWaitsFrom,
                Text(tenant),
                LongArray([.. dropped.Select(w => w.Key)]),
                IntArray([.. dropped.Select(w => w.Value.Drop)])), counted: false);
        }

        var inserted = replaced.SelectMany(w => w.Value.Replacement!.Select(wait => (Event: w.Key, Wait: wait))).ToList();
        if (inserted.Count > 0)
        {
            _context.AddDeferred(BatchCommand(
                sql.InsertWaits,
                Text(tenant),
                LongArray([.. inserted.Select(i => i.Event)]),
                TextArray([.. inserted.Select(i => i.Wait.Key.Kind)]),
                TextArray([.. inserted.Select(i => i.Wait.Key.Value)]),
                IntArray([.. inserted.Select(i => i.Wait.RelationIndex)])), counted: false);
        }

        Clear();
    }

    /// <summary>Drops what is buffered (the flush failed or the session ends uncommitted).</summary>
    public void Clear()
    {
        _links.Clear();
        _waits.Clear();
    }

    /// <summary>An event's waits after the session's calls: replaced by a list, or (after links alone) some dropped.</summary>
    private sealed class WaitsChange
    {
        /// <summary>The waits replacing the stored ones, or <see langword="null"/> when they were only dropped from <see cref="Drop"/>.</summary>
        public List<EventWait>? Replacement { get; init; }

        /// <summary>Whether the stored waits are deleted before <see cref="Replacement"/> is inserted.</summary>
        public bool DeleteStored { get; init; }

        /// <summary>The relation field from which stored waits are dropped (when there is no replacement).</summary>
        public int Drop { get; set; } = int.MaxValue;

        public void DropFrom(int relationIndex)
        {
            if (Replacement is not null)
            {
                Replacement.RemoveAll(w => w.RelationIndex >= relationIndex);
            }
            else
            {
                Drop = Math.Min(Drop, relationIndex);
            }
        }
    }
}

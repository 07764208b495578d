using EventLink.Storage;
using Npgsql;
using static EventLink.PostgreSql.IdentityGraph.Internal.PostgreSqlGraphSql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// The event side of a batch's working set (<see cref="PostgreSqlSessionCache"/>): which keys events or merged records
/// hold, ids reserved for new events, the events inserted and not sent yet, and the waits of the batch's identities with
/// each waiting event's link index. Kept current by the session's own writes; loaded by the cache's prefetch.
/// </summary>
internal sealed class PostgreSqlEventWorkingSet(PostgreSqlSessionContext context)
{
    private readonly PostgreSqlSessionContext _context = context;

    // Keys (source, record id): whether an event or a merged record holds one (or this session inserted it).
    private readonly Dictionary<(string Source, string RecordId), bool> _events = [];

    // Who holds a held key, when known: an event (and its type) or a merged record; the record-id rule asks it for every duplicate.
    private readonly Dictionary<(string Source, string RecordId), (bool IsEvent, string RecordType)> _holders = [];

    // Event ids taken from the events' sequence for this session's inserts, used in order.
    private readonly Queue<long> _eventIds = new();

    // Events this session inserted whose waits it has not set yet: they have none to replace. Not a cache of the
    // database, so an erasure does not drop it (it deletes events, never adds waits).
    private readonly HashSet<long> _withoutWaits = [];

    // Event rows inserted by this session and not sent yet; they go first at the next flush.
    private readonly List<EventRow> _pendingEvents = [];

    // Every event waiting for these identities (complete lists), with the current link index of each such event.
    private readonly Dictionary<IdentityKey, List<(long EventId, int RelationIndex)>> _waits = [];
    private readonly Dictionary<long, int> _linkIndex = [];
    private readonly Dictionary<long, HashSet<IdentityKey>> _waitsOfEvent = [];

    /// <summary>Gets whether the session inserted events that are not sent yet.</summary>
    public bool HasPendingEvents => _pendingEvents.Count > 0;

    /// <summary>Gets how many event ids are reserved and not used yet.</summary>
    public int ReservedIds => _eventIds.Count;

    /// <summary>Forgets the pending events (they were sent, or the flush failed and so did the session).</summary>
    public void ClearPendingEvents() => _pendingEvents.Clear();

    /// <summary>Forgets what this set knows of the database (an erasure deletes rows of every kind); pending inserts stay.</summary>
    public void Clear()
    {
        _events.Clear();
        _holders.Clear();
        _waits.Clear();
        _linkIndex.Clear();
        _waitsOfEvent.Clear();
    }

    /// <summary>Gets whether the set knows whether something holds a key.</summary>
    public bool KnowsKey(string source, string recordId) => _events.ContainsKey((source, recordId));

    /// <summary>Gets whether the set holds the complete list of events waiting for an identity.</summary>
    public bool KnowsWaits(IdentityKey identity) => _waits.ContainsKey(identity);

    /// <summary>Records a key as loaded: held by an event (and its type) or a merged record, or free (<paramref name="holder"/> <see langword="null"/>).</summary>
    public void LoadKey(string source, string recordId, (bool IsEvent, string RecordType)? holder)
    {
        _events[(source, recordId)] = holder is not null;
        if (holder is { } known)
        {
            _holders[(source, recordId)] = known;
        }
    }

    /// <summary>Keeps an event id reserved from the sequence for a later insert.</summary>
    public void ReserveId(long id) => _eventIds.Enqueue(id);

    /// <summary>Starts the complete list of events waiting for an identity (filled by <see cref="LoadWait"/>).</summary>
    public void LoadWaitsOf(IdentityKey identity) => _waits[identity] = [];

    /// <summary>Adds a loaded wait of an identity whose list <see cref="LoadWaitsOf"/> started.</summary>
    public void LoadWait(IdentityKey identity, long eventId, int relationIndex, int linkIndex)
    {
        _waits[identity].Add((eventId, relationIndex));
        _linkIndex[eventId] = linkIndex;
        WaitsOf(eventId).Add(identity);
    }

    /// <summary>Records that an event is stored now (inserted or a duplicate); a key the working set did not know stays unknown.</summary>
    /// <param name="source">The key's source.</param>
    /// <param name="recordId">The key's record id.</param>
    /// <param name="holder">What holds the key now, when the caller knows: an event (and its type) or a merged record.</param>
    public void MarkEventStored(string source, string recordId, (bool IsEvent, string RecordType)? holder = null)
    {
        if (_events.ContainsKey((source, recordId)))
        {
            _events[(source, recordId)] = true;
            if (holder is { } known)
            {
                _holders[(source, recordId)] = known;
            }
        }
    }

    /// <summary>Gets whether the working set knows that no event and no merged record holds a source record id.</summary>
    public bool IsKeyFree(string source, string recordId) => _events.TryGetValue((source, recordId), out var held) && !held;

    /// <summary>
    /// The record type of the event holding a key (<see langword="null"/> when the key is free or a merged record holds
    /// it), when the working set knows; <see langword="false"/> when it does not.
    /// </summary>
    public bool TryGetEventHolder(string source, string recordId, out string? recordType)
    {
        recordType = null;
        if (IsKeyFree(source, recordId))
        {
            return true;
        }

        if (_holders.TryGetValue((source, recordId), out var holder))
        {
            recordType = holder.IsEvent ? holder.RecordType : null;
            return true;
        }

        return false;
    }

    /// <summary>Keeps a known event's link index current.</summary>
    public void SetLinkIndex(long eventId, int linkIndex)
    {
        if (_linkIndex.ContainsKey(eventId))
        {
            _linkIndex[eventId] = linkIndex;
        }
    }

    /// <summary>
    /// Inserts events from the working set when every key is known: a duplicate is answered from memory, a new event
    /// gets an id reserved from the sequence and is sent with the next flush.
    /// </summary>
    public bool TryInsertKnownEvents(IReadOnlyList<EventRow> rows, out long?[] ids)
    {
        ids = [];
        if (_events.Count == 0)
        {
            return false;
        }

        var fresh = 0;
        foreach (var row in rows)
        {
            ArgumentNullException.ThrowIfNull(row, nameof(rows));
            if (!_events.TryGetValue((row.Source, row.RecordId), out var stored))
            {
                return false;
            }

            fresh += stored ? 0 : 1;
        }

        if (fresh > _eventIds.Count)
        {
            return false;
        }

        ids = new long?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (_events[(row.Source, row.RecordId)])
            {
                continue;
            }

            var id = _eventIds.Dequeue();
            MarkEventStored(row.Source, row.RecordId, (true, row.RecordType));
            _linkIndex[id] = row.LinkIndex;
            _withoutWaits.Add(id);
            _pendingEvents.Add(row with { Id = id });
            ids[i] = id;
            _context.Dirty = true;
        }

        return true;
    }

    /// <summary>The statement inserting the session's pending events (with their reserved ids) at once.</summary>
    public NpgsqlBatchCommand InsertPendingEventsCommand()
    {
        var rows = _pendingEvents;
        return BatchCommand(
            _context.Sql.Prefetch.InsertEvents,
            Text(_context.Tenant),
            LongArray([.. rows.Select(r => r.Id)]),
            TextArray([.. rows.Select(r => r.Source)]),
            TextArray([.. rows.Select(r => r.RecordId)]),
            TextArray([.. rows.Select(r => r.RecordType)]),
            TextArray([.. rows.Select(r => r.EventName)]),
            TimestampArray([.. rows.Select(r => r.OccurredAt.UtcDateTime)]),
            TimestampArray([.. rows.Select(r => r.IngestedAt.UtcDateTime)]),
            NullableUuidArray([.. rows.Select(r => r.ProfileId)]),
            IntArray([.. rows.Select(r => r.LinkIndex)]),
            SmallintArray([.. rows.Select(r => (short)r.QuarantineReason)]),
            NullableTextArray([.. rows.Select(r => r.QuarantineMessage)]),
            TextArray([.. rows.Select(r => r.PayloadJson)]));
    }

    /// <summary>Whether the event's waits are set for the first time by this session's insert of it (so none exist to delete).</summary>
    /// <param name="eventId">The event.</param>
    /// <returns><see langword="true"/> the first time for an event this session inserted; <see langword="false"/> after that, and for any other event.</returns>
    public bool SettingFirstWaits(long eventId) => _withoutWaits.Remove(eventId);

    /// <summary>The waiting events of an identity from the working set, as the database would list them.</summary>
    public bool TryGetCachedWaits(IdentityKey key, out IReadOnlyList<PendingLink> waits)
    {
        waits = [];
        if (!_waits.TryGetValue(key, out var list))
        {
            return false;
        }

        waits = [.. list.Order().Select(w => new PendingLink(w.EventId, w.RelationIndex, _linkIndex[w.EventId]))];
        return true;
    }

    /// <summary>Keeps the working set current with an event's new waits (which replace its old ones).</summary>
    public void CacheWaits(long eventId, IReadOnlyList<EventWait> waits)
    {
        DropCachedWaits(eventId, 0);
        foreach (var wait in waits)
        {
            if (!_waits.TryGetValue(wait.Key, out var list))
            {
                continue;
            }

            if (_linkIndex.ContainsKey(eventId))
            {
                list.Add((eventId, wait.RelationIndex));
                WaitsOf(eventId).Add(wait.Key);
            }
            else
            {
                // The event's link index is not known here: this identity is read from the database again.
                _waits.Remove(wait.Key);
            }
        }
    }

    /// <summary>Drops an event's cached waits with a relation index at or above <paramref name="from"/>.</summary>
    public void DropCachedWaits(long eventId, int from)
    {
        if (!_waitsOfEvent.TryGetValue(eventId, out var identities))
        {
            return;
        }

        foreach (var identity in identities)
        {
            if (_waits.TryGetValue(identity, out var list))
            {
                list.RemoveAll(w => w.EventId == eventId && w.RelationIndex >= from);
            }
        }
    }

    /// <summary>The cached identities an event waits for (a superset: entries are dropped from the lists, not from here).</summary>
    private HashSet<IdentityKey> WaitsOf(long eventId)
    {
        if (!_waitsOfEvent.TryGetValue(eventId, out var identities))
        {
            _waitsOfEvent[eventId] = identities = [];
        }

        return identities;
    }
}

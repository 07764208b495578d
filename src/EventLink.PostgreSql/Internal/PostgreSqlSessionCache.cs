using EventLink.Storage;
using Npgsql;
using static EventLink.PostgreSql.IdentityGraph.Internal.PostgreSqlGraphSql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// The batch's working set: what <see cref="PrefetchAsync"/> loaded in up to three round trips, kept current by the session's
/// own writes, so the engine's reads of merged records, claims, profiles and waits are answered from memory. The
/// tenant's advisory lock is held for the whole session, so nothing else changes these rows meanwhile. An entry is
/// only ever what the database would return now; a write the cache cannot follow (a merge, an erasure) drops it all,
/// and reads go to the database again.
/// </summary>
internal sealed partial class PostgreSqlSessionCache(PostgreSqlSessionContext context)
{
    private readonly PostgreSqlSessionContext _context = context;

    // Merged source records by (source, record id); a null value means "known not to exist".
    private readonly Dictionary<(string Source, string RecordId), SourceRecordRow?> _records = [];

    // Every source record of these profiles (complete lists: profiles created here, or loaded whole).
    private readonly Dictionary<Guid, Dictionary<(string Source, string RecordId), SourceRecordRow>> _profileRecords = [];

    private readonly Dictionary<Guid, ProfileRow> _profiles = [];

    // Record claims: their stored part (type, first occurred-at, identities); the profile is the source record's.
    private readonly Dictionary<(string Source, string RecordId), CachedClaim?> _claims = [];

    private readonly Dictionary<IdentityKey, SortedSet<ClaimKey>> _claimsByIdentity = [];

    // Every event waiting for these identities (complete lists), with the current link index of each such event.
    private readonly Dictionary<IdentityKey, List<(long EventId, int RelationIndex)>> _waits = [];
    private readonly Dictionary<long, int> _linkIndex = [];
    private readonly Dictionary<long, HashSet<IdentityKey>> _waitsOfEvent = [];

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

    /// <summary>Gets whether the session inserted events that are not sent yet.</summary>
    public bool HasPendingEvents => _pendingEvents.Count > 0;

    /// <summary>Forgets the pending events (they were sent, or the flush failed and so did the session).</summary>
    public void ClearPendingEvents() => _pendingEvents.Clear();

    /// <summary>A profile from the working set.</summary>
    public bool TryGetProfile(Guid profileId, out ProfileRow? profile) => _profiles.TryGetValue(profileId, out profile);

    /// <summary>Keeps the working set current with a profile the session creates.</summary>
    public void AddNewProfile(ProfileRow profile)
    {
        // A new profile's records are all written by this session from here on: its list is complete.
        _profiles[profile.Id] = profile;
        _profileRecords[profile.Id] = [];
    }

    /// <summary>A merged source record from the working set (<see langword="null"/> when known not to exist).</summary>
    public bool TryGetSourceRecord(string source, string recordId, out SourceRecordRow? record) => _records.TryGetValue((source, recordId), out record);

    /// <summary>Every source record of a profile, when the working set holds its complete list.</summary>
    public bool TryGetSourceRecords(Guid profileId, out IReadOnlyList<SourceRecordRow> records)
    {
        records = [];
        if (!_profileRecords.TryGetValue(profileId, out var cached))
        {
            return false;
        }

        records = [.. cached.Values];
        return true;
    }

    /// <summary>The claims of an identity from the working set.</summary>
    public bool TryGetClaimsByIdentity(IdentityKey identity, out IReadOnlyList<ClaimKey> claims)
    {
        claims = [];
        if (!_claimsByIdentity.TryGetValue(identity, out var cached))
        {
            return false;
        }

        claims = [.. cached];
        return true;
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

    /// <summary>Keeps the working set current with a merge: the merged profile's records now belong to the survivor.</summary>
    public void CacheMerge(Guid mergedId, Guid survivorId)
    {
        if (_profiles.TryGetValue(mergedId, out var merged))
        {
            _profiles[mergedId] = merged with { MergedInto = survivorId };
        }

        foreach (var (key, row) in _records)
        {
            if (row?.ProfileId == mergedId)
            {
                _records[key] = row with { ProfileId = survivorId };
            }
        }

        var mergedKnown = _profileRecords.Remove(mergedId, out var moved);
        if (_profileRecords.TryGetValue(survivorId, out var survivorRecords))
        {
            if (mergedKnown)
            {
                foreach (var (key, _) in moved!)
                {
                    survivorRecords[key] = _records[key]!;
                }
            }
            else
            {
                // The merged profile's records are not all known: neither are the survivor's now.
                _profileRecords.Remove(survivorId);
            }
        }
    }

    /// <summary>Forgets the working set (an erasure deletes rows of every kind): the next reads go to the database.</summary>
    /// <summary>Whether the event's waits are set for the first time by this session's insert of it (so none exist to delete).</summary>
    /// <param name="eventId">The event.</param>
    /// <returns><see langword="true"/> the first time for an event this session inserted; <see langword="false"/> after that, and for any other event.</returns>
    public bool SettingFirstWaits(long eventId) => _withoutWaits.Remove(eventId);

    public void ClearCaches()
    {
        _records.Clear();
        _profileRecords.Clear();
        _profiles.Clear();
        _claims.Clear();
        _claimsByIdentity.Clear();
        _waits.Clear();
        _linkIndex.Clear();
        _waitsOfEvent.Clear();
        _events.Clear();
    }

    /// <summary>Keeps the working set current with a source record the session writes.</summary>
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

    public void CacheSourceRecord(SourceRecordRow record)
    {
        var key = (record.Source, record.RecordId);
        MarkEventStored(record.Source, record.RecordId, (false, record.RecordType)); // The key is held now: no event may take it.

        var stored = record with
        {
            OccurredAt = TimestampReader.Normalize(record.OccurredAt),
            IngestedAt = TimestampReader.Normalize(record.IngestedAt),
        };
        if (_records.TryGetValue(key, out var previous))
        {
            if (previous?.ProfileId is { } from && _profileRecords.TryGetValue(from, out var fromList))
            {
                fromList.Remove(key);
            }

        }

        // Unknown before, it belonged to no tracked profile (their records are all known); either way it is known now.
        _records[key] = stored;

        if (stored.ProfileId is { } to && _profileRecords.TryGetValue(to, out var toList))
        {
            toList[key] = stored;
        }
    }

    /// <summary>Keeps the working set current with a claim the session writes (the SQL unions identities and keeps the earliest time).</summary>
    public void CacheClaim(ClaimKey key, string recordType, DateTimeOffset occurredAt, IReadOnlyList<IdentityKey> identities)
    {
        if (key.Kind == ClaimKind.Record && _claims.TryGetValue((key.Source, key.RecordId), out var cached))
        {
            var time = TimestampReader.Normalize(occurredAt);
            if (cached is null)
            {
                _claims[(key.Source, key.RecordId)] = cached = new CachedClaim(recordType, time);
            }
            else if (time < cached.FirstOccurredAt)
            {
                cached.FirstOccurredAt = time;
            }

            cached.Identities.UnionWith(identities);
        }

        foreach (var identity in identities)
        {
            if (_claimsByIdentity.TryGetValue(identity, out var claims))
            {
                claims.Add(key);
            }
        }
    }

    /// <summary>A record claim from the working set, when both it and its source record are known.</summary>
    public bool TryGetCachedClaim(ClaimKey key, out ClaimState? state)
    {
        state = null;
        if (key.Kind != ClaimKind.Record || !_claims.TryGetValue((key.Source, key.RecordId), out var cached) ||
            !_records.TryGetValue((key.Source, key.RecordId), out var record))
        {
            return false;
        }

        if (cached is not null)
        {
            state = new ClaimState(key, cached.RecordType, cached.FirstOccurredAt, [.. cached.Identities], record?.ProfileId, null);
        }

        return true;
    }

    /// <summary>A record claim's stored part.</summary>
    private sealed class CachedClaim(string recordType, DateTimeOffset firstOccurredAt)
    {
        public string RecordType { get; } = recordType;

        public DateTimeOffset FirstOccurredAt { get; set; } = firstOccurredAt;

        // Sorted like IdentityKey.CompareTo, as the database read sorts them.
        public SortedSet<IdentityKey> Identities { get; } = [];
    }
}

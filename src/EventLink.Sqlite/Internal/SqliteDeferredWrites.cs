using EventLink.Storage;

namespace EventLink.Sqlite.Internal;

/// <summary>
/// The writes of a session that come one event at a time but go in together: the waits of new events, and the links
/// of waiting events to one profile. They are held until the session runs any other statement (every statement goes
/// through <see cref="SqliteSessionContext.Command"/>, which flushes them first) or commits, then written as
/// multi-row statements: a batch's quarantined events cost a statement per 16 instead of one each, and a profile's
/// waiting events are linked by two statements instead of two each.
/// </summary>
/// <remarks>
/// Only one kind is held at a time (adding the other kind flushes first), so the rows reach the table in the order
/// the engine wrote them; no statement of the session, read or write, runs before them.
/// </remarks>
internal sealed class SqliteDeferredWrites(SqliteSessionContext context)
{
    private static readonly SqliteMultiRow InsertWaits = new(
        "INSERT INTO waits (tenant_key, kind, value, event_id, relation_index) VALUES",
        "($t, $kind{0}, $value{0}, $event{0}, $index{0})",
        ";",
        [],
        ["$kind", "$value", "$event", "$index"]);

    // "+tenant_key": with an IN list on the id, SQLite's planner would otherwise search ix_events_profile by tenant
    // (every event of the tenant) instead of the ids by rowid; the unary plus keeps that index out of the choice.
    private static readonly SqliteMultiRow LinkEvents = new(
        "UPDATE events SET profile_id = $profile, link_index = $index, quarantine_reason = 0, quarantine_message = NULL WHERE +tenant_key = $t AND id IN (",
        "$event{0}",
        ");",
        ["$profile", "$index"],
        ["$event"]);

    // An event stored by an earlier commit whose row holds no profile is linked by a row of event_links (see
    // migration 9): its own row and index entry stay as they are, in pages that earlier commit wrote.
    private static readonly SqliteMultiRow LinkStoredEvents = new(
        "INSERT INTO event_links (tenant_key, event_id, profile_id, link_index) SELECT $t, id, $profile, $index FROM events WHERE +tenant_key = $t AND profile_id IS NULL AND id IN (",
        "$event{0}",
        ") ON CONFLICT (tenant_key, event_id) DO UPDATE SET profile_id = excluded.profile_id, link_index = excluded.link_index;",
        ["$profile", "$index"],
        ["$event"]);

    // The rest of them (rare: an event relinked through an earlier relation field) hold a profile in their own row.
    private static readonly SqliteMultiRow RelinkStoredEvents = new(
        "UPDATE events SET profile_id = $profile, link_index = $index, quarantine_reason = 0, quarantine_message = NULL WHERE +tenant_key = $t AND profile_id IS NOT NULL AND id IN (",
        "$event{0}",
        ");",
        ["$profile", "$index"],
        ["$event"]);

    private static readonly SqliteMultiRow DropWaitsFrom = new(
        "DELETE FROM waits WHERE tenant_key = $t AND relation_index >= $index AND event_id IN (",
        "$event{0}",
        ");",
        ["$index"],
        ["$event"]);

    private readonly List<(long EventId, EventWait Wait)> _waits = [];
    private readonly List<long> _links = [];
    private byte[]? _linkProfile;
    private Guid _linkProfileId;
    private int _linkIndex;

    /// <summary>Holds the waits of an event that has none stored.</summary>
    public void AddWaits(long eventId, IReadOnlyList<EventWait> waits)
    {
        if (_links.Count > 0)
        {
            Flush();
        }

        foreach (var wait in waits)
        {
            _waits.Add((eventId, wait));
        }
    }

    /// <summary>Holds the link of an event to a profile through a relation, which drops the event's waits from that relation on.</summary>
    public void AddLink(long eventId, Guid profileId, byte[] profile, int relationIndex)
    {
        if (_waits.Count > 0 || (_links.Count > 0 && (_linkProfileId != profileId || _linkIndex != relationIndex)))
        {
            Flush();
        }

        (_linkProfileId, _linkProfile, _linkIndex) = (profileId, profile, relationIndex);
        _links.Add(eventId);
    }

    /// <summary>Writes what is held. The lists are emptied before the statements run, so the statements' own flush finds nothing.</summary>
    public void Flush()
    {
        if (_waits.Count > 0)
        {
            var waits = _waits.ToArray();
            _waits.Clear();
            FlushWaits(waits);
        }

        if (_links.Count > 0)
        {
            var links = _links.ToArray();
            _links.Clear();
            FlushLinks(links, _linkProfile!, _linkIndex);
        }
    }

    private void FlushWaits((long EventId, EventWait Wait)[] waits)
    {
        for (var start = 0; start < waits.Length; start += SqliteMultiRow.MaxRows)
        {
            var rows = Math.Min(SqliteMultiRow.MaxRows, waits.Length - start);
            var insert = InsertWaits.Statement(context, rows);
            for (var i = 0; i < rows; i++)
            {
                var (eventId, wait) = waits[start + i];
                var at = InsertWaits.FirstRowParameter + (i * InsertWaits.ColumnCount);
                insert.Set(at, wait.Key.Kind);
                insert.Set(at + 1, wait.Key.Value);
                insert.Set(at + 2, eventId);
                insert.Set(at + 3, wait.RelationIndex);
            }

            insert.Execute();
        }
    }

    private void FlushLinks(long[] events, byte[] profile, int relationIndex)
    {
        // This session's events are in pages it writes anyway: their rows take the link. Older ones get a link row.
        var firstNew = context.Session.FirstNewEventId;
        Array.Sort(events);
        var stored = 0;
        while (stored < events.Length && events[stored] < firstNew)
        {
            stored++;
        }

        for (var start = 0; start < stored; start += SqliteMultiRow.MaxRows)
        {
            var rows = Math.Min(SqliteMultiRow.MaxRows, stored - start);
            if (Link(LinkStoredEvents, rows, events, start, profile, relationIndex) < rows)
            {
                Link(RelinkStoredEvents, rows, events, start, profile, relationIndex);
            }
        }

        for (var start = stored; start < events.Length; start += SqliteMultiRow.MaxRows)
        {
            var rows = Math.Min(SqliteMultiRow.MaxRows, events.Length - start);
            Link(LinkEvents, rows, events, start, profile, relationIndex);
        }

        for (var start = 0; start < events.Length; start += SqliteMultiRow.MaxRows)
        {
            var rows = Math.Min(SqliteMultiRow.MaxRows, events.Length - start);
            var drop = DropWaitsFrom.Statement(context, rows);
            drop.Set(1, relationIndex);
            Bind(drop, DropWaitsFrom.FirstRowParameter, events, start, rows);
            drop.Execute();
        }
    }

    /// <summary>Runs one of the link statements for <paramref name="rows"/> events from <paramref name="start"/>; returns the rows it changed.</summary>
    private int Link(SqliteMultiRow statement, int rows, long[] events, int start, byte[] profile, int relationIndex)
    {
        var link = statement.Statement(context, rows);
        link.Set(1, profile);
        link.Set(2, relationIndex);
        Bind(link, statement.FirstRowParameter, events, start, rows);
        var changed = link.Execute();
        if (changed > 0)
        {
            context.MarkDirty();
        }

        return changed;
    }

    private static void Bind(SqliteRawStatement statement, int first, long[] events, int start, int rows)
    {
        for (var i = 0; i < rows; i++)
        {
            statement.Set(first + i, events[start + i]);
        }
    }
}

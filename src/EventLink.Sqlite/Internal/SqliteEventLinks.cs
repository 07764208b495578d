namespace EventLink.Sqlite.Internal;

/// <summary>
/// How reads see late links (migration 9): an event stored quarantined by an earlier commit and linked later keeps
/// its row as stored (no profile, its quarantine reason) and has a row in <c>event_links</c> with its profile and
/// link index. An event has a link row only while its own row holds no profile, so an event's profile is the link
/// row's, else its own; one with a link row is not quarantined.
/// </summary>
/// <remarks>
/// The fragments here alias the event table <c>e</c> and the link table <c>l</c>. A read by profile reads the
/// events whose rows hold it (by <c>ix_events_profile</c>, as before) and, as a second arm, those linked to it by a
/// link row (by <c>ix_event_links_profile</c>): the arms cannot overlap.
/// </remarks>
internal static class SqliteEventLinks
{
    /// <summary>Joins an event (<c>e</c>) to its link row (<c>l</c>), if it has one.</summary>
    public const string Join = " LEFT JOIN event_links l ON l.tenant_key = e.tenant_key AND l.event_id = e.id";

    /// <summary>The columns of <see cref="SqliteReads.EventColumns"/>, in its order and names, of an event joined by <see cref="Join"/>.</summary>
    public const string Columns =
        "e.id, e.source, e.record_id, e.record_type, e.event_name, e.occurred_at, e.ingested_at, " +
        "COALESCE(l.profile_id, e.profile_id) AS profile_id, COALESCE(l.link_index, e.link_index) AS link_index, " +
        "CASE WHEN l.event_id IS NULL THEN e.quarantine_reason ELSE 0 END AS quarantine_reason, " +
        "CASE WHEN l.event_id IS NULL THEN e.quarantine_message END AS quarantine_message, e.payload";

    /// <summary>The first arm of a read by profile: the events whose own rows hold <c>$profile</c> (<see cref="SqliteReads.EventColumns"/>).</summary>
    public const string RowsOfProfile = "SELECT " + SqliteReads.EventColumns + " FROM events WHERE tenant_key = $t AND profile_id = $profile";

    /// <summary>
    /// The second arm: the events linked to <c>$profile</c> by a link row, in the same columns. Conditions on the
    /// event columns (<c>occurred_at</c>, <c>source</c>, …) can follow unqualified, as after <see cref="RowsOfProfile"/>.
    /// </summary>
    /// <remarks>Hinted: without statistics SQLite would walk the tenant's link rows by the primary key instead.</remarks>
    public const string LateLinkedToProfile =
        "SELECT e.id, e.source, e.record_id, e.record_type, e.event_name, e.occurred_at, e.ingested_at, l.profile_id, l.link_index, 0, NULL, e.payload" +
        " FROM event_links l INDEXED BY ix_event_links_profile JOIN events e ON e.id = l.event_id WHERE l.tenant_key = $t AND l.profile_id = $profile";

    /// <summary>The events of <c>$profile</c>, both arms, to be ordered by the caller (SQLite merges the two ordered arms).</summary>
    public const string OfProfile = RowsOfProfile + " UNION ALL " + LateLinkedToProfile;

    /// <summary>True for an event (<c>e</c>) with no link row: with no profile in its row, it is quarantined.</summary>
    public const string NotLinkedLate = "NOT EXISTS (SELECT 1 FROM event_links l WHERE l.tenant_key = e.tenant_key AND l.event_id = e.id)";

    /// <summary>The profile of event <c>$event</c>.</summary>
    public const string ProfileOfEvent =
        "SELECT COALESCE(l.profile_id, e.profile_id) FROM events e" + Join + " WHERE e.tenant_key = $t AND e.id = $event;";
}

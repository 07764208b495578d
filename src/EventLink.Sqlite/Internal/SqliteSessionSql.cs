namespace EventLink.Sqlite.Internal;

/// <summary>The statements of a session. Every one is scoped by <c>$t</c>, the tenant key, except the tenant lookup itself.</summary>
internal static class SqliteSessionSql
{
    public const string BeginImmediate = "BEGIN IMMEDIATE;";
    public const string Commit = "COMMIT;";
    public const string Rollback = "ROLLBACK;";

    /// <summary>The tenant's key, version, and the oldest version its identity log answers from (see <see cref="SetVersion"/>).</summary>
    public const string FindTenant = """
        SELECT tenant_key, version, CASE WHEN identity_log_version = version THEN identity_log_from ELSE version END
        FROM tenants WHERE name = $name;
        """;

    public const string AddTenant = "INSERT INTO tenants (name, version) VALUES ($name, 0);";

    /// <summary>
    /// Commits a version. A version that moved without this statement was committed by a library that keeps no
    /// identity log: the log then answers only from that version on.
    /// </summary>
    public const string SetVersion = """
        UPDATE tenants SET
            identity_log_from = MAX(identity_log_from, CASE WHEN identity_log_version <> version THEN version ELSE 0 END),
            version = $version, identity_log_version = $version
        WHERE tenant_key = $t;
        """;

    public const string ReadIdentityIndex = "SELECT kind, value, profile_id FROM identities WHERE tenant_key = $t;";

    public const string GetProfile = "SELECT id, entity, created_at, merged_into FROM profiles WHERE tenant_key = $t AND id = $id;";
    public const string CreateProfile = "INSERT INTO profiles (tenant_key, id, entity, created_at, merged_into) VALUES ($t, $id, $entity, $created, $merged);";

    public static readonly string[] CreateProfileParameters = ["$t", "$id", "$entity", "$created", "$merged"];

    public const string AddIdentity = """
        INSERT INTO identities (tenant_key, kind, value, profile_id, source, record_type, record_id, first_seen_at, changed_version)
        VALUES ($t, $kind, $value, $profile, $source, $type, $record, $seen, $changed);
        """;

    private const string SourceRecordColumns =
        "source, record_id, record_type, profile_id, occurred_at, ingested_at, content_hash, payload, quarantine_reason, quarantine_message";

    public const string GetSourceRecord = "SELECT " + SourceRecordColumns + " FROM source_records WHERE tenant_key = $t AND source = $source AND record_id = $record;";
    public const string GetSourceRecords = "SELECT " + SourceRecordColumns + " FROM source_records WHERE tenant_key = $t AND profile_id = $profile ORDER BY source, record_id;";

    public const string UpsertSourceRecord = """
        INSERT INTO source_records (tenant_key, source, record_id, record_type, profile_id, occurred_at, ingested_at, content_hash, payload, quarantine_reason, quarantine_message)
        VALUES ($t, $source, $record, $type, $profile, $occurred, $ingested, $hash, $payload, $reason, $message)
        ON CONFLICT (tenant_key, source, record_id) DO UPDATE SET
            record_type = excluded.record_type, profile_id = excluded.profile_id, occurred_at = excluded.occurred_at,
            ingested_at = excluded.ingested_at, content_hash = excluded.content_hash, payload = excluded.payload,
            quarantine_reason = excluded.quarantine_reason, quarantine_message = excluded.quarantine_message;
        """;

    public static readonly string[] UpsertSourceRecordParameters =
        ["$t", "$source", "$record", "$type", "$profile", "$occurred", "$ingested", "$hash", "$payload", "$reason", "$message"];

    public const string DeleteAttributes = "DELETE FROM attributes WHERE tenant_key = $t AND profile_id = $profile;";

    /// <summary>The waits of several identities (<c>k.column1</c> is the identity's index in the call), each one search of <c>ix_waits_identity</c>.</summary>
    public static readonly SqliteMultiRow GetWaitsOfIdentities = new(
        "SELECT k.column1, w.event_id, w.relation_index, COALESCE(l.link_index, e.link_index) FROM (VALUES",
        "({0}, $kind{0}, $value{0})",
        """
        ) AS k CROSS JOIN waits w ON w.tenant_key = $t AND w.kind = k.column2 AND w.value = k.column3
        JOIN events e ON e.id = w.event_id
        LEFT JOIN event_links l ON l.tenant_key = w.tenant_key AND l.event_id = w.event_id;
        """,
        [],
        ["$kind", "$value"]);

    /// <summary>A profile's attributes, up to <see cref="SqliteMultiRow.MaxRows"/> a statement.</summary>
    public static readonly SqliteMultiRow InsertAttributes = new(
        "INSERT INTO attributes (tenant_key, profile_id, ordinal, name, value_json, source, record_type, record_id, observed_at) VALUES",
        "($t, $profile, $ordinal{0}, $name{0}, $value{0}, $source{0}, $type{0}, $record{0}, $observed{0})",
        ";",
        ["$profile"],
        ["$ordinal", "$name", "$value", "$source", "$type", "$record", "$observed"]);

    // A source's record id belongs to one record: an id a merged record holds is not an event's (one more probe of
    // source_records' unique index, inside the same statement).
    public const string InsertEvent = """
        INSERT INTO events (tenant_key, source, record_id, record_type, event_name, occurred_at, ingested_at, profile_id, link_index, quarantine_reason, quarantine_message, payload)
        SELECT $t, $source, $record, $type, $name, $occurred, $ingested, $profile, $link, $reason, $message, $payload
        WHERE NOT EXISTS (SELECT 1 FROM source_records WHERE tenant_key = $t AND source = $source AND record_id = $record)
        ON CONFLICT (tenant_key, source, record_id) DO NOTHING;
        """;

    public const string GetEventRecordType = "SELECT record_type FROM events WHERE tenant_key = $t AND source = $source AND record_id = $record;";

    /// <summary>The parameters of the statements that find a record by source and record id.</summary>
    public static readonly string[] RecordKeyParameters = ["$t", "$source", "$record"];

    public const string DeleteWaits = "DELETE FROM waits WHERE tenant_key = $t AND event_id = $event;";
    public const string GetWaits = """
        SELECT w.event_id, w.relation_index, COALESCE(l.link_index, e.link_index)
        FROM waits w JOIN events e ON e.id = w.event_id
        LEFT JOIN event_links l ON l.tenant_key = w.tenant_key AND l.event_id = w.event_id
        WHERE w.tenant_key = $t AND w.kind = $kind AND w.value = $value
        ORDER BY w.event_id, w.relation_index;
        """;

    public const string SetQuarantine = "UPDATE events SET quarantine_reason = $reason, quarantine_message = $message WHERE tenant_key = $t AND id = $event;";

    /// <summary>A merge moves everything the loser holds, and the loser's merge history, to the survivor.</summary>
    public static readonly string[] MoveToSurvivor =
    [
        "UPDATE source_records SET profile_id = $survivor WHERE tenant_key = $t AND profile_id = $loser;",
        "UPDATE events SET profile_id = $survivor WHERE tenant_key = $t AND profile_id = $loser;",
        "UPDATE event_links INDEXED BY ix_event_links_profile SET profile_id = $survivor WHERE tenant_key = $t AND profile_id = $loser;",
        "UPDATE profiles SET merged_into = $survivor WHERE tenant_key = $t AND id = $loser;",
        "UPDATE merges SET root = $survivor WHERE tenant_key = $t AND root = $loser;",
    ];

    /// <summary>The loser's identities move to the survivor (<see cref="MoveToSurvivor"/> moves the rest), marked with the commit's version.</summary>
    /// <remarks>Hinted: without statistics SQLite would walk the tenant's whole primary key instead.</remarks>
    public const string MoveIdentitiesToSurvivor =
        "UPDATE identities INDEXED BY ix_identities_profile SET profile_id = $survivor, changed_version = $changed WHERE tenant_key = $t AND profile_id = $loser;";

    public const string InsertMerge = """
        INSERT INTO merges (tenant_key, root, survivor_id, merged_id, kind, value, source, record_type, record_id, merged_at, merge_kind)
        VALUES ($t, $survivor, $survivor, $loser, $kind, $value, $source, $type, $record, $at, $mkind);
        """;

    public const string AddRejection = """
        INSERT INTO rejections (tenant_key, source, record_type, key, reason, message, rejected_at)
        VALUES ($t, $source, $type, $key, $reason, $message, $at)
        ON CONFLICT (tenant_key, source, record_type, key, reason) DO NOTHING;
        """;

    /// <summary>The profiles merged directly into one (erasures follow them to the end of the chain).</summary>
    public const string MergedInto = "SELECT id FROM profiles WHERE tenant_key = $t AND merged_into = $profile;";
}

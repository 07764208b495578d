using EventLink.PostgreSql.IdentityGraph.Internal;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// The store's SQL, written once per schema. Parameter <c>$1</c> is always the tenant, so every statement is
/// scoped to one tenant (and stays on one shard when the tables are distributed by tenant).
/// </summary>
internal sealed partial class PostgreSqlSql
{
    private PostgreSqlGraphSql? _graph;

    public const string EventColumns = "id, source, record_id, record_type, event_name, occurred_at, ingested_at, profile_id, link_index, quarantine_reason, quarantine_message, payload_text";
    public const string IdentityColumns = "kind, value, profile_id, source, record_type, record_id, first_seen_at";
    public const string SourceRecordColumns = "source, record_id, record_type, profile_id, occurred_at, ingested_at, content_hash, payload_text, quarantine_reason, quarantine_message";
    public const string AttributeColumns = "name, value_json, source, record_type, record_id, observed_at";
    public const string MergeColumns = "survivor_id, merged_id, identity_kind, identity_value, source, record_type, record_id, merged_at, kind";
    public const string StagingTable = "pg_temp.eventlink_event_staging";

    public PostgreSqlSql(string schema)
    {
        var s = Quote(schema);
        Schema = schema;

        Lock = "SELECT pg_advisory_xact_lock(hashtext($2), hashtext($1))";
        LockShared = "SELECT pg_advisory_xact_lock_shared(hashtext($2), hashtext($1))";

        // A row the INSERT adds is not visible to the SELECT of the same statement: exactly one of the two returns it.
        // Second column: the oldest version the identity log answers from (see BumpVersion).
        EnsureTenant = $"""
            WITH added AS (
                INSERT INTO {s}.tenants (tenant) VALUES ($1) ON CONFLICT (tenant) DO NOTHING
                RETURNING version, identity_log_from, identity_log_version),
            found AS (
                SELECT version, identity_log_from, identity_log_version FROM added
                UNION ALL SELECT version, identity_log_from, identity_log_version FROM {s}.tenants WHERE tenant = $1)
            SELECT version, CASE WHEN identity_log_version = version THEN identity_log_from ELSE version END FROM found
            """;

        // A version that moved without this statement was committed by a library that keeps no identity log: the
        // log then answers only from that version on.
        BumpVersion = $"""
            UPDATE {s}.tenants SET
                identity_log_from = GREATEST(identity_log_from, CASE WHEN identity_log_version <> version THEN version ELSE 0 END),
                version = version + 1, identity_log_version = version + 1
            WHERE tenant = $1 RETURNING version
            """;

        ReadIdentityIndex = $"SELECT kind, value, profile_id FROM {s}.identities WHERE tenant = $1";
        GetProfileRow = $"SELECT id, entity, created_at, merged_into FROM {s}.profiles WHERE tenant = $1 AND id = $2";
        GetIdentities = $"SELECT {IdentityColumns} FROM {s}.identities WHERE tenant = $1 AND profile_id = $2";
        GetSourceRecord = $"SELECT {SourceRecordColumns} FROM {s}.source_records WHERE tenant = $1 AND source = $2 AND record_id = $3";
        GetSourceRecords = $"SELECT {SourceRecordColumns} FROM {s}.source_records WHERE tenant = $1 AND profile_id = $2";
        InsertEvent = $"""
            INSERT INTO {s}.events (tenant, source, record_id, record_type, event_name, occurred_at, ingested_at, profile_id, link_index, quarantine_reason, quarantine_message, payload_text)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12
            WHERE NOT EXISTS (SELECT 1 FROM {s}.source_records r WHERE r.tenant = $1 AND r.source = $2 AND r.record_id = $3)
            ON CONFLICT (tenant, source, record_id) DO NOTHING
            RETURNING id
            """;
        GetEventRecordTypes = $"SELECT source, record_id, record_type FROM {s}.events WHERE tenant = $1 AND source = ANY($2) AND record_id = ANY($3)";
        CreateStaging = $"""
            CREATE TEMP TABLE IF NOT EXISTS eventlink_event_staging (
                ordinal integer NOT NULL,
                source text COLLATE "C" NOT NULL,
                record_id text COLLATE "C" NOT NULL,
                record_type text NOT NULL,
                event_name text NOT NULL,
                occurred_at timestamptz NOT NULL,
                ingested_at timestamptz NOT NULL,
                profile_id uuid,
                link_index integer NOT NULL,
                quarantine_reason smallint NOT NULL,
                quarantine_message text,
                payload_text text NOT NULL) ON COMMIT DELETE ROWS
            """;
        TruncateStaging = $"TRUNCATE {StagingTable}";
        CopyStaging = $"COPY {StagingTable} (ordinal, source, record_id, record_type, event_name, occurred_at, ingested_at, profile_id, link_index, quarantine_reason, quarantine_message, payload_text) FROM STDIN (FORMAT BINARY)";

        // DISTINCT ON keeps the first occurrence of a key within the batch; ORDER BY ordinal assigns ids in input order.
        InsertStaged = $"""
            INSERT INTO {s}.events (tenant, source, record_id, record_type, event_name, occurred_at, ingested_at, profile_id, link_index, quarantine_reason, quarantine_message, payload_text)
            SELECT $1, b.source, b.record_id, b.record_type, b.event_name, b.occurred_at, b.ingested_at, b.profile_id, b.link_index, b.quarantine_reason, b.quarantine_message, b.payload_text
            FROM (SELECT DISTINCT ON (source, record_id) * FROM {StagingTable} ORDER BY source, record_id, ordinal) AS b
            WHERE NOT EXISTS (SELECT 1 FROM {s}.source_records r WHERE r.tenant = $1 AND r.source = b.source AND r.record_id = b.record_id)
            ORDER BY b.ordinal
            ON CONFLICT (tenant, source, record_id) DO NOTHING
            RETURNING id, source, record_id
            """;
        GetWaits = $"""
            SELECT w.event_id, w.relation_index, e.link_index
            FROM {s}.waits w JOIN {s}.events e ON e.tenant = w.tenant AND e.id = w.event_id
            WHERE w.tenant = $1 AND w.kind = $2 AND w.value = $3
            ORDER BY w.event_id, w.relation_index
            """;
        SetQuarantine = $"UPDATE {s}.events SET quarantine_reason = $3, quarantine_message = $4 WHERE tenant = $1 AND id = $2";

        // $2 = merged (loser), $3 = survivor; $4 = the version the session's commit produces.
        MergeIdentities = $"UPDATE {s}.identities SET profile_id = $3, changed_version = $4 WHERE tenant = $1 AND profile_id = $2";

        // $2 = merged (loser), $3 = survivor.
        MergeStatements =
        [
            $"UPDATE {s}.source_records SET profile_id = $3 WHERE tenant = $1 AND profile_id = $2",
            $"UPDATE {s}.events SET profile_id = $3 WHERE tenant = $1 AND profile_id = $2",
            $"DELETE FROM {s}.attributes WHERE tenant = $1 AND profile_id = $2",
            $"UPDATE {s}.profiles SET merged_into = $3 WHERE tenant = $1 AND id = $2",

            // The survivor's history, then the merged profile's, then this merge: ordered by merged-at with ties in that order.
            $"""
            UPDATE {s}.merges SET owner_id = $3,
                history_order = history_order + (SELECT count(*) FROM {s}.merges WHERE tenant = $1 AND owner_id = $3)
            WHERE tenant = $1 AND owner_id = $2
            """,
        ];
        InsertMerge = $"""
            INSERT INTO {s}.merges (tenant, owner_id, history_order, {MergeColumns})
            VALUES ($1, $2, (SELECT count(*) FROM {s}.merges WHERE tenant = $1 AND owner_id = $2), $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """;
        AddRejection = $"""
            INSERT INTO {s}.rejections (tenant, source, record_type, key, reason, message, rejected_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (tenant, record_type, source, key, reason) DO NOTHING
            """;

        FindProfileId = $"SELECT profile_id FROM {s}.identities WHERE tenant = $1 AND kind = $2 AND value = $3";
        ResolveProfile = $"""
            WITH RECURSIVE chain (id, entity, created_at, merged_into, depth) AS (
                SELECT id, entity, created_at, merged_into, 0 FROM {s}.profiles WHERE tenant = $1 AND id = $2
                UNION ALL
                SELECT p.id, p.entity, p.created_at, p.merged_into, c.depth + 1
                FROM chain c JOIN {s}.profiles p ON p.tenant = $1 AND p.id = c.merged_into
                WHERE c.depth < 10000)
            SELECT id, entity, created_at, merged_into FROM chain ORDER BY depth DESC LIMIT 1
            """;
        LiveProfilesPage = $"""
            SELECT id, entity, created_at, merged_into FROM {s}.profiles
            WHERE tenant = $1 AND merged_into IS NULL AND ($2::uuid IS NULL OR id > $2)
            ORDER BY id LIMIT $3
            """;
        IdentitiesOf = $"SELECT {IdentityColumns} FROM {s}.identities WHERE tenant = $1 AND profile_id = ANY($2)";
        AttributesOf = $"SELECT profile_id, {AttributeColumns} FROM {s}.attributes WHERE tenant = $1 AND profile_id = ANY($2) ORDER BY profile_id, ordinal";
        RecordsOf = $"SELECT profile_id, source, record_type, record_id, occurred_at FROM {s}.source_records WHERE tenant = $1 AND profile_id = ANY($2)";
        MergesOf = $"SELECT owner_id, {MergeColumns} FROM {s}.merges WHERE tenant = $1 AND owner_id = ANY($2) ORDER BY owner_id, merged_at, history_order";
        Timeline = $"""
            SELECT {EventColumns} FROM {s}.events
            WHERE tenant = $1 AND profile_id = $2
              AND ($3::timestamptz IS NULL OR occurred_at >= $3)
              AND ($4::timestamptz IS NULL OR occurred_at < $4)
              AND ($5::text[] IS NULL OR record_type = ANY($5))
              AND ($6::text[] IS NULL OR source = ANY($6))
              AND ($8::timestamptz IS NULL OR (occurred_at, source, record_id) > ($8, $9::text, $10::text))
            ORDER BY occurred_at, source, record_id
            LIMIT $7
            """;
        AllEvents = $"SELECT {EventColumns} FROM {s}.events WHERE tenant = $1 ORDER BY source, record_id";
        Quarantine = $"""
            SELECT event_id, source, record_type, record_id, occurred_at, ingested_at, quarantine_reason, quarantine_message, payload_text FROM (
                SELECT id AS event_id, source, record_type, record_id, occurred_at, ingested_at, quarantine_reason, quarantine_message, payload_text
                FROM {s}.events WHERE tenant = $1 AND profile_id IS NULL AND ($2::text IS NULL OR record_type = $2)
                UNION ALL
                SELECT NULL, source, record_type, record_id, occurred_at, ingested_at, quarantine_reason, quarantine_message, payload_text
                FROM {s}.source_records WHERE tenant = $1 AND profile_id IS NULL AND ($2::text IS NULL OR record_type = $2)) AS q
            ORDER BY record_type, source, record_id
            """;
        Rejections = $"SELECT source, record_type, key, reason, message, rejected_at FROM {s}.rejections WHERE tenant = $1 ORDER BY record_type, source, key, reason";
        Coverage = $"""
            WITH stored AS (
                SELECT record_type, profile_id FROM {s}.events WHERE tenant = $1
                UNION ALL
                SELECT record_type, profile_id FROM {s}.source_records WHERE tenant = $1),
            counted AS (
                SELECT record_type, count(profile_id) AS linked, count(*) - count(profile_id) AS quarantined, count(DISTINCT profile_id) AS profiles
                FROM stored GROUP BY record_type),
            rejected AS (
                SELECT record_type, count(*) AS rejected FROM {s}.rejections WHERE tenant = $1 GROUP BY record_type)
            SELECT record_type, coalesce(c.linked, 0), coalesce(c.quarantined, 0), coalesce(r.rejected, 0), coalesce(c.profiles, 0)
            FROM counted c FULL JOIN rejected r USING (record_type)
            ORDER BY record_type
            """;
    }

    public string Schema { get; }

    public string Lock { get; }

    public string LockShared { get; }

    public string EnsureTenant { get; }

    public string BumpVersion { get; }

    public string ReadIdentityIndex { get; }

    public string GetProfileRow { get; }

    public string GetIdentities { get; }

    public string GetSourceRecord { get; }

    public string GetSourceRecords { get; }

    public string InsertEvent { get; }

    public string GetEventRecordTypes { get; }

    public string CreateStaging { get; }

    public string TruncateStaging { get; }

    public string CopyStaging { get; }

    public string InsertStaged { get; }



    public string GetWaits { get; }



    public string SetQuarantine { get; }

    public string MergeIdentities { get; }

    public IReadOnlyList<string> MergeStatements { get; }

    public string InsertMerge { get; }

    public string AddRejection { get; }

    public string FindProfileId { get; }

    public string ResolveProfile { get; }

    public string LiveProfilesPage { get; }

    public string IdentitiesOf { get; }

    public string AttributesOf { get; }

    public string RecordsOf { get; }

    public string MergesOf { get; }

    public string Timeline { get; }

    public string AllEvents { get; }

    public string Quarantine { get; }

    public string Rejections { get; }

    public string Coverage { get; }

    /// <summary>Gets the identity graph's statements (claims, conflicts, unmerge rules, memberships).</summary>
    public PostgreSqlGraphSql Graph => _graph ??= new PostgreSqlGraphSql(Schema);

    /// <summary>Quotes an identifier (the schema name is validated too; quoting keeps it exact).</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

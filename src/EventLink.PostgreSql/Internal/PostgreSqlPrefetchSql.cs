namespace EventLink.PostgreSql.Internal;

/// <summary>The statements that load what a batch will read, one statement per kind of row whatever the batch's size.</summary>
internal sealed partial class PostgreSqlSql
{
    private PostgreSqlPrefetchSql? _prefetch;

    /// <summary>Gets the prefetch statements.</summary>
    public PostgreSqlPrefetchSql Prefetch => _prefetch ??= new PostgreSqlPrefetchSql(Schema);
}

/// <summary>
/// The prefetch SQL. <c>$1</c> is the tenant; <c>$2</c>/<c>$3</c> are the distinct sources and distinct record ids of the
/// batch's merged records (<see cref="SourceRecords"/>, <see cref="ProfileRecords"/>, <see cref="Profiles"/>, <see cref="IdentitiesOfProfiles"/>, <see cref="Claims"/>) or the distinct
/// kinds and values of its identities (<see cref="ClaimsByIdentity"/>, <see cref="Waits"/>), or of its events (<see cref="Events"/>).
/// </summary>
internal sealed class PostgreSqlPrefetchSql
{
    public PostgreSqlPrefetchSql(string schema)
    {
        var s = PostgreSqlSql.Quote(schema);

        // Keys are matched as "source = ANY($2) AND record_id = ANY($3)" (distinct sources, distinct ids), a superset of
        // the pairs that the caller narrows: unlike a join with unnest, it is an index scan in the generic plan that a
        // prepared statement ends up with, whatever the statistics said when the tables were small.
        const string Keys = "source = ANY($2) AND record_id = ANY($3)";
        var profilesOfKeys = $"ARRAY(SELECT profile_id FROM {s}.source_records WHERE tenant = $1 AND {Keys} AND profile_id IS NOT NULL)";

        SourceRecords = $"SELECT {PostgreSqlSql.SourceRecordColumns} FROM {s}.source_records WHERE tenant = $1 AND {Keys}";

        // Every record of the profiles those records belong to: the merge of attributes reads them all.
        ProfileRecords = $"SELECT {PostgreSqlSql.SourceRecordColumns} FROM {s}.source_records WHERE tenant = $1 AND profile_id = ANY({profilesOfKeys})";
        Profiles = $"SELECT id, entity, created_at, merged_into FROM {s}.profiles WHERE tenant = $1 AND id = ANY({profilesOfKeys})";
        IdentitiesOfProfiles = $"SELECT {PostgreSqlSql.IdentityColumns} FROM {s}.identities WHERE tenant = $1 AND profile_id = ANY({profilesOfKeys})";
        Claims = $"""
            SELECT c.source, c.record_id, c.record_type, c.first_occurred_at, i.kind, i.value
            FROM {s}.claims c LEFT JOIN {s}.claim_identities i ON i.tenant = c.tenant AND i.claim_id = c.id
            WHERE c.tenant = $1 AND c.kind = 0 AND c.source = ANY($2) AND c.record_id = ANY($3)
            """;
        ClaimsByIdentity = $"""
            SELECT i.kind, i.value, c.source, c.record_id, c.kind
            FROM {s}.claim_identities i JOIN {s}.claims c ON c.tenant = i.tenant AND c.id = i.claim_id
            WHERE i.tenant = $1 AND i.kind = ANY($2) AND i.value = ANY($3)
            """;
        Waits = $"""
            SELECT w.kind, w.value, w.event_id, w.relation_index, e.link_index
            FROM {s}.waits w JOIN {s}.events e ON e.tenant = w.tenant AND e.id = w.event_id
            WHERE w.tenant = $1 AND w.kind = ANY($2) AND w.value = ANY($3)
            """;
        // The keys held already, by an event or by a merged record (a source's record id belongs to one record).
        Events = $"SELECT source, record_id, record_type, true FROM {s}.events WHERE tenant = $1 AND {Keys} UNION ALL SELECT source, record_id, record_type, false FROM {s}.source_records WHERE tenant = $1 AND {Keys}";

        // Ids for the events the batch may insert, taken from the column's own sequence (so ids keep growing in insert
        // order, and rows inserted without an id, by another path, never collide). $1 is the number of ids here.
        // The sequence is looked up once (a materialised CTE), not for every id: per id, the lookup cost more than nextval.
        ReserveEventIds = $"""
            WITH q AS MATERIALIZED (SELECT pg_get_serial_sequence('{s}.events', 'id')::regclass AS seq)
            SELECT nextval(q.seq) FROM q CROSS JOIN generate_series(1, $1)
            """;
        InsertEvents = $"""
            INSERT INTO {s}.events (tenant, id, source, record_id, record_type, event_name, occurred_at, ingested_at, profile_id, link_index, quarantine_reason, quarantine_message, payload_text)
            OVERRIDING SYSTEM VALUE
            SELECT $1, e.* FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[],
                $9::uuid[], $10::integer[], $11::smallint[], $12::text[], $13::text[]) AS e
            """;
    }

    /// <summary>
    /// Plans the prefetch's statements for their arguments (a custom plan) until <see cref="GenericPlans"/>: a generic
    /// plan treats the key arrays as unknown, so it filters a tenant's rows with a linear search of every array and
    /// sizes its scans by statistics a growing tenant has outrun; a custom plan hashes the arrays and sees their sizes.
    /// </summary>
    public const string CustomPlans = "SET LOCAL plan_cache_mode = force_custom_plan";

    /// <summary>Returns to the session's plan cache mode after the prefetch.</summary>
    public const string GenericPlans = "RESET plan_cache_mode";

    public string SourceRecords { get; }

    public string ProfileRecords { get; }

    public string Profiles { get; }

    public string IdentitiesOfProfiles { get; }

    public string Claims { get; }

    public string ClaimsByIdentity { get; }

    public string Waits { get; }

    public string Events { get; }

    public string ReserveEventIds { get; }

    public string InsertEvents { get; }
}

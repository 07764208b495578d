namespace EventLink.PostgreSql.Internal;

/// <summary>The multi-row statements the session's write buffers become.</summary>
internal sealed partial class PostgreSqlSql
{
    private PostgreSqlBufferSql? _buffers;

    /// <summary>Gets the multi-row write statements.</summary>
    public PostgreSqlBufferSql Buffers => _buffers ??= new PostgreSqlBufferSql(Schema);
}

/// <summary>
/// One statement per kind of row, whatever the number of rows: what a session's writes of profiles, merged records,
/// claims, identities, attributes, conflicts and memberships become at a flush. <c>$1</c> is the tenant; the arrays
/// that follow hold one element per row. Each statement has exactly the effect of the single-row statements it
/// replaces applied in order, given that the buffers hold one row per key (the last write of each).
/// </summary>
internal sealed class PostgreSqlBufferSql
{
    public PostgreSqlBufferSql(string schema)
    {
        var s = PostgreSqlSql.Quote(schema);
        Profiles = $"""
            INSERT INTO {s}.profiles (tenant, id, entity, created_at, merged_into)
            SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::uuid[])
            """;
        SourceRecords = $"""
            INSERT INTO {s}.source_records (tenant, {PostgreSqlSql.SourceRecordColumns})
            SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::uuid[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::text[], $10::smallint[], $11::text[])
            ON CONFLICT (tenant, source, record_id) DO UPDATE SET
                record_type = excluded.record_type, profile_id = excluded.profile_id, occurred_at = excluded.occurred_at,
                ingested_at = excluded.ingested_at, content_hash = excluded.content_hash, payload_text = excluded.payload_text,
                quarantine_reason = excluded.quarantine_reason, quarantine_message = excluded.quarantine_message
            """;
        Claims = $"""
            INSERT INTO {s}.claims AS c (tenant, source, record_id, kind, record_type, first_occurred_at)
            SELECT $1, * FROM unnest($2::text[], $3::text[], $4::smallint[], $5::text[], $6::timestamptz[])
            ON CONFLICT (tenant, source, record_id, kind) DO UPDATE SET first_occurred_at = excluded.first_occurred_at
            WHERE excluded.first_occurred_at < c.first_occurred_at
            """;
        ClaimIdentities = $"""
            INSERT INTO {s}.claim_identities (tenant, claim_id, kind, value)
            SELECT $1, c.id, i.kind, i.value
            FROM unnest($2::text[], $3::text[], $4::smallint[], $5::text[], $6::text[]) AS i(source, record_id, claim_kind, kind, value)
            JOIN {s}.claims c ON c.tenant = $1 AND c.source = i.source AND c.record_id = i.record_id AND c.kind = i.claim_kind
            ON CONFLICT DO NOTHING
            """;
        Identities = $"""
            INSERT INTO {s}.identities (tenant, {PostgreSqlSql.IdentityColumns}, changed_version)
            SELECT $1, * FROM unnest($2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::bigint[])
            ON CONFLICT (tenant, kind, value) DO UPDATE SET
                profile_id = excluded.profile_id, source = excluded.source, record_type = excluded.record_type,
                record_id = excluded.record_id, first_seen_at = excluded.first_seen_at, changed_version = excluded.changed_version
            """;
        DeleteAttributes = $"DELETE FROM {s}.attributes WHERE tenant = $1 AND profile_id = ANY($2)";
        InsertAttributes = $"""
            INSERT INTO {s}.attributes (tenant, profile_id, ordinal, {PostgreSqlSql.AttributeColumns})
            SELECT $1, * FROM unnest($2::uuid[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
            """;
        Memberships = $"""
            INSERT INTO {s}.memberships (tenant, member_kind, member_value, account_kind, account_value, source, record_id)
            SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
            ON CONFLICT DO NOTHING
            """;
    }

    public string Profiles { get; }

    public string SourceRecords { get; }

    public string Claims { get; }

    public string ClaimIdentities { get; }

    public string Identities { get; }

    public string DeleteAttributes { get; }

    public string InsertAttributes { get; }

    public string Memberships { get; }
}

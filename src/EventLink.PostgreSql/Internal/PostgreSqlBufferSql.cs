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
        LinkEvents = $"""
            UPDATE {s}.events e SET profile_id = u.profile, link_index = u.link_index, quarantine_reason = 0, quarantine_message = NULL
            FROM unnest($2::bigint[], $3::uuid[], $4::integer[]) AS u(id, profile, link_index)
            WHERE e.tenant = $1 AND e.id = u.id
            """;
        DeleteWaits = $"DELETE FROM {s}.waits WHERE tenant = $1 AND event_id = ANY($2::bigint[])";
        DropWaitsFrom = $"""
            DELETE FROM {s}.waits w USING unnest($2::bigint[], $3::integer[]) AS u(id, from_index)
            WHERE w.tenant = $1 AND w.event_id = u.id AND w.relation_index >= u.from_index
            """;
        InsertWaits = $"""
            INSERT INTO {s}.waits (tenant, event_id, kind, value, relation_index)
            SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::integer[])
            ON CONFLICT DO NOTHING
            """;
        Memberships = $"""
            INSERT INTO {s}.memberships (tenant, member_kind, member_value, account_kind, account_value, source, record_id)
            SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
            ON CONFLICT DO NOTHING
            """;
    }

    public string Profiles { get; }

    /// <summary>Links events: <c>$2</c> ids, <c>$3</c> profiles, <c>$4</c> relation fields.</summary>
    public string LinkEvents { get; }

    /// <summary>Deletes every wait of the events <c>$2</c>.</summary>
    public string DeleteWaits { get; }

    /// <summary>Deletes the waits of events <c>$2</c> from relation field <c>$3</c> on.</summary>
    public string DropWaitsFrom { get; }

    /// <summary>Inserts waits: <c>$2</c> events, <c>$3</c> kinds, <c>$4</c> values, <c>$5</c> relation fields.</summary>
    public string InsertWaits { get; }

    public string SourceRecords { get; }

    public string Claims { get; }

    public string ClaimIdentities { get; }

    public string Identities { get; }

    public string DeleteAttributes { get; }

    public string InsertAttributes { get; }

    public string Memberships { get; }
}

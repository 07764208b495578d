using EventLink.PostgreSql.Internal;
using EventLink.Storage;
using Npgsql;
using NpgsqlTypes;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.IdentityGraph.Internal;

/// <summary>
/// The identity graph's SQL. As everywhere, <c>$1</c> is the tenant. Claims are keyed by (source, record id, kind),
/// kind being 0 for a record and 1 for an event; orders are applied in code with the engine's ordinal comparers.
/// </summary>
internal sealed class PostgreSqlGraphSql
{
    public const string ConflictColumns = "source, record_id, claim_kind, record_type, identity_kind, identity_value, reason, other_kind, other_source, other_record_id";

    public PostgreSqlGraphSql(string schema)
    {
        var s = PostgreSqlSql.Quote(schema);

        GetClaim = $"""
            SELECT c.record_type, c.first_occurred_at,
                CASE c.kind WHEN 0 THEN r.profile_id ELSE e.profile_id END,
                CASE c.kind WHEN 1 THEN e.id END
            FROM {s}.claims c
            LEFT JOIN {s}.source_records r ON c.kind = 0 AND r.tenant = c.tenant AND r.source = c.source AND r.record_id = c.record_id
            LEFT JOIN {s}.events e ON c.kind = 1 AND e.tenant = c.tenant AND e.source = c.source AND e.record_id = c.record_id
            WHERE c.tenant = $1 AND c.source = $2 AND c.record_id = $3 AND c.kind = $4
            """;
        GetClaimIdentities = $"""
            SELECT i.kind, i.value
            FROM {s}.claims c JOIN {s}.claim_identities i ON i.tenant = c.tenant AND i.claim_id = c.id
            WHERE c.tenant = $1 AND c.source = $2 AND c.record_id = $3 AND c.kind = $4
            """;
        GetClaimsByIdentity = $"""
            SELECT c.source, c.record_id, c.kind
            FROM {s}.claim_identities i JOIN {s}.claims c ON c.tenant = i.tenant AND c.id = i.claim_id
            WHERE i.tenant = $1 AND i.kind = $2 AND i.value = $3
            """;
        GetIdentity = $"SELECT {PostgreSqlSql.IdentityColumns} FROM {s}.identities WHERE tenant = $1 AND kind = $2 AND value = $3";

        // Logged with $4, the version the session's commit produces; counts the identities removed.
        RemoveIdentity = $"""
            WITH removed AS (DELETE FROM {s}.identities WHERE tenant = $1 AND kind = $2 AND value = $3 RETURNING kind, value)
            INSERT INTO {s}.identity_removals (tenant, kind, value, version) SELECT $1, kind, value, $4 FROM removed
            ON CONFLICT (tenant, kind, value) DO UPDATE SET version = excluded.version
            """;
        GetEventsOfProfile = $"SELECT {PostgreSqlSql.EventColumns} FROM {s}.events WHERE tenant = $1 AND profile_id = $2 ORDER BY id";
        GetEvent = $"SELECT {PostgreSqlSql.EventColumns} FROM {s}.events WHERE tenant = $1 AND source = $2 AND record_id = $3";
        UnlinkEvent = $"UPDATE {s}.events SET profile_id = NULL, link_index = -1, quarantine_reason = $3, quarantine_message = $4 WHERE tenant = $1 AND id = $2";
        DeleteConflicts = $"""
            DELETE FROM {s}.conflicts
            WHERE tenant = $1 AND (source, record_id, claim_kind) IN (SELECT * FROM unnest($2::text[], $3::text[], $4::smallint[]))
            """;

        // Ids follow the input order, which the reads keep for conflicts of the same claim and identity.
        InsertConflicts = $"""
            INSERT INTO {s}.conflicts (tenant, {ConflictColumns})
            SELECT $1, c.source, c.record_id, c.claim_kind, c.record_type, c.identity_kind, c.identity_value, c.reason,
                NULLIF(c.other_kind, -1), c.other_source, c.other_record_id
            FROM unnest($2::text[], $3::text[], $4::smallint[], $5::text[], $6::text[], $7::text[], $8::smallint[], $9::smallint[], $10::text[], $11::text[])
                WITH ORDINALITY AS c(source, record_id, claim_kind, record_type, identity_kind, identity_value, reason, other_kind, other_source, other_record_id, ordinal)
            ORDER BY c.ordinal
            """;
        ReadConflicts = $"SELECT {ConflictColumns} FROM {s}.conflicts WHERE tenant = $1 ORDER BY id";
        GetUnmergeRules = $"SELECT kind, value FROM {s}.unmerge_rules WHERE tenant = $1";
        AddUnmergeRule = $"INSERT INTO {s}.unmerge_rules (tenant, kind, value, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant, kind, value) DO NOTHING";
        MembersOf = $"""
            SELECT DISTINCT m.member_kind, m.member_value
            FROM {s}.memberships m JOIN unnest($2::text[], $3::text[]) AS a(kind, value) ON m.account_kind = a.kind AND m.account_value = a.value
            WHERE m.tenant = $1
            """;
        AccountsOf = $"""
            SELECT DISTINCT m.account_kind, m.account_value
            FROM {s}.memberships m JOIN unnest($2::text[], $3::text[]) AS a(kind, value) ON m.member_kind = a.kind AND m.member_value = a.value
            WHERE m.tenant = $1
            """;
    }

    public string GetClaim { get; }

    public string GetClaimIdentities { get; }

    public string GetClaimsByIdentity { get; }

    public string GetIdentity { get; }

    public string RemoveIdentity { get; }

    public string GetEventsOfProfile { get; }

    public string GetEvent { get; }

    public string UnlinkEvent { get; }

    public string DeleteConflicts { get; }

    public string InsertConflicts { get; }

    public string ReadConflicts { get; }

    public string GetUnmergeRules { get; }

    public string AddUnmergeRule { get; }

    public string MembersOf { get; }

    public string AccountsOf { get; }

    /// <summary>The parameters of a claim's key, after the tenant: <c>$2</c> source, <c>$3</c> record id, <c>$4</c> kind.</summary>
    public static NpgsqlParameter[] ClaimParameters(string tenant, ClaimKey key) =>
        [Text(tenant), Text(key.Source), Text(key.RecordId), Smallint((short)key.Kind)];

    /// <summary>The two statements reading a claim (<see cref="GetClaim"/>, then <see cref="GetClaimIdentities"/>).</summary>
    public NpgsqlBatch ClaimBatch(NpgsqlConnection connection, NpgsqlTransaction? transaction, string tenant, ClaimKey key) => new(connection, transaction)
    {
        BatchCommands =
        {
            BatchCommand(GetClaim, ClaimParameters(tenant, key)),
            BatchCommand(GetClaimIdentities, ClaimParameters(tenant, key)),
        },
    };

    /// <summary>Reads the results of <see cref="ClaimBatch"/>.</summary>
    public static async ValueTask<ClaimState?> ReadClaimAsync(NpgsqlBatch batch, ClaimKey key, CancellationToken cancellationToken)
    {
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var recordType = reader.GetString(0);
        var firstOccurredAt = Time(reader, 1);
        var profileId = NullableGuid(reader, 2);
        long? eventId = reader.IsDBNull(3) ? null : reader.GetInt64(3);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var identities = await ReadIdentityKeysAsync(reader, cancellationToken).ConfigureAwait(false);
        return new ClaimState(key, recordType, firstOccurredAt, identities, profileId, eventId);
    }

    /// <summary>Reads (kind, value) rows, ordered like <see cref="IdentityKey.CompareTo"/>.</summary>
    public static async ValueTask<List<IdentityKey>> ReadIdentityKeysAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var keys = new List<IdentityKey>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(new IdentityKey(reader.GetString(0), reader.GetString(1)));
        }

        keys.Sort();
        return keys;
    }

    public static ConflictRow ReadConflict(NpgsqlDataReader reader) => new(
        new ClaimKey((ClaimKind)reader.GetInt16(2), reader.GetString(0), reader.GetString(1)),
        reader.GetString(3),
        new IdentityKey(reader.GetString(4), reader.GetString(5)),
        (ConflictReason)reader.GetInt16(6),
        reader.IsDBNull(7) ? null : new ClaimKey((ClaimKind)reader.GetInt16(7), reader.GetString(8), reader.GetString(9)));

    /// <summary>A text[] parameter whose elements may be null.</summary>
    public static NpgsqlParameter NullableTextArray(string?[] values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values };

    public static NpgsqlParameter SmallintArray(short[] values) =>
        new NpgsqlParameter<short[]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint };
}

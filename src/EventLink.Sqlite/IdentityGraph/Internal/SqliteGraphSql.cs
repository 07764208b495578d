using EventLink.Sqlite.Internal;
using EventLink.Storage;
using Microsoft.Data.Sqlite;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.IdentityGraph.Internal;

/// <summary>
/// The identity graph's statements (claims, conflicts, unmerge rules, memberships), each scoped by <c>$t</c>, the
/// tenant key, and the code that reads their rows. Orders are applied in code with the engine's ordinal comparers,
/// not left to SQLite's byte order.
/// </summary>
internal static class SqliteGraphSql
{
    public const string UpsertClaim = """
        INSERT INTO claims (tenant_key, source, record_id, kind, record_type, first_occurred_at)
        VALUES ($t, $source, $record, $kind, $type, $occurred)
        ON CONFLICT (tenant_key, source, record_id, kind) DO UPDATE SET first_occurred_at = excluded.first_occurred_at
        WHERE excluded.first_occurred_at < claims.first_occurred_at;
        """;

    public static readonly string[] UpsertClaimParameters = ["$t", "$source", "$record", "$kind", "$type", "$occurred"];

    public const string FindClaimId = "SELECT id FROM claims WHERE tenant_key = $t AND source = $source AND record_id = $record AND kind = $kind;";

    /// <summary>A claim's identities, up to <see cref="SqliteMultiRow.MaxRows"/> a statement.</summary>
    public static readonly SqliteMultiRow AddClaimIdentities = new(
        "INSERT INTO claim_identities (tenant_key, claim_id, kind, value) VALUES",
        "($t, $claim, $kind{0}, $value{0})",
        "ON CONFLICT (tenant_key, claim_id, kind, value) DO NOTHING;",
        ["$claim"],
        ["$kind", "$value"]);

    /// <summary>A claim with its current profile: a record's from its source record, an event's (and its id) from the event row.</summary>
    public const string GetClaim = """
        SELECT c.id, c.record_type, c.first_occurred_at,
            CASE c.kind WHEN 0 THEN r.profile_id ELSE COALESCE(l.profile_id, e.profile_id) END,
            CASE c.kind WHEN 1 THEN e.id END
        FROM claims c
        LEFT JOIN source_records r ON c.kind = 0 AND r.tenant_key = c.tenant_key AND r.source = c.source AND r.record_id = c.record_id
        LEFT JOIN events e ON c.kind = 1 AND e.tenant_key = c.tenant_key AND e.source = c.source AND e.record_id = c.record_id
        LEFT JOIN event_links l ON c.kind = 1 AND l.tenant_key = c.tenant_key AND l.event_id = e.id
        WHERE c.tenant_key = $t AND c.source = $source AND c.record_id = $record AND c.kind = $kind;
        """;

    public const string GetClaimIdentities = "SELECT kind, value FROM claim_identities WHERE tenant_key = $t AND claim_id = $claim;";

    public static readonly string[] GetClaimParameters = ["$t", "$source", "$record", "$kind"];

    public static readonly string[] GetClaimIdentitiesParameters = ["$t", "$claim"];

    public const string GetClaimsByIdentity = """
        SELECT c.source, c.record_id, c.kind
        FROM claim_identities i JOIN claims c ON c.id = i.claim_id
        WHERE i.tenant_key = $t AND i.kind = $kind AND i.value = $value;
        """;

    public const string GetIdentity = """
        SELECT kind, value, profile_id, source, record_type, record_id, first_seen_at
        FROM identities WHERE tenant_key = $t AND kind = $kind AND value = $value;
        """;

    /// <summary>
    /// The claims of several identities (<c>k.column1</c> is the identity's index in the call). The identities come
    /// first (<c>CROSS JOIN</c> keeps that order), so each is one search of <c>ix_claim_identities_identity</c>.
    /// </summary>
    public static readonly SqliteMultiRow GetClaimsByIdentities = new(
        "SELECT k.column1, c.source, c.record_id, c.kind FROM (VALUES",
        "({0}, $kind{0}, $value{0})",
        """
        ) AS k CROSS JOIN claim_identities i ON i.tenant_key = $t AND i.kind = k.column2 AND i.value = k.column3
        JOIN claims c ON c.id = i.claim_id;
        """,
        [],
        ["$kind", "$value"]);

    /// <summary>
    /// Several identity rows no row holds yet (the common case: a new profile's): a plain insert, which SQLite runs in
    /// about half the time of the upsert below; it fails on the first key that exists, undoing the statement.
    /// </summary>
    public static readonly SqliteMultiRow InsertIdentities = new(
        "INSERT INTO identities (tenant_key, kind, value, profile_id, source, record_type, record_id, first_seen_at, changed_version) VALUES",
        "($t, $kind{0}, $value{0}, $profile{0}, $source{0}, $type{0}, $record{0}, $seen{0}, $changed)",
        ";",
        ["$changed"],
        ["$kind", "$value", "$profile", "$source", "$type", "$record", "$seen"]);

    /// <summary>Several identity rows, set as <see cref="SetIdentity"/> sets one.</summary>
    public static readonly SqliteMultiRow SetIdentities = new(
        "INSERT INTO identities (tenant_key, kind, value, profile_id, source, record_type, record_id, first_seen_at, changed_version) VALUES",
        "($t, $kind{0}, $value{0}, $profile{0}, $source{0}, $type{0}, $record{0}, $seen{0}, $changed)",
        """
        ON CONFLICT (tenant_key, kind, value) DO UPDATE SET
            profile_id = excluded.profile_id, source = excluded.source, record_type = excluded.record_type,
            record_id = excluded.record_id, first_seen_at = excluded.first_seen_at, changed_version = excluded.changed_version;
        """,
        ["$changed"],
        ["$kind", "$value", "$profile", "$source", "$type", "$record", "$seen"]);

    public const string SetIdentity = """
        INSERT INTO identities (tenant_key, kind, value, profile_id, source, record_type, record_id, first_seen_at, changed_version)
        VALUES ($t, $kind, $value, $profile, $source, $type, $record, $seen, $changed)
        ON CONFLICT (tenant_key, kind, value) DO UPDATE SET
            profile_id = excluded.profile_id, source = excluded.source, record_type = excluded.record_type,
            record_id = excluded.record_id, first_seen_at = excluded.first_seen_at, changed_version = excluded.changed_version;
        """;

    public const string RemoveIdentity = "DELETE FROM identities WHERE tenant_key = $t AND kind = $kind AND value = $value;";

    public const string GetEventsOfProfile = SqliteEventLinks.OfProfile + " ORDER BY id;";

    public const string GetEvent = "SELECT " + SqliteEventLinks.Columns + " FROM events e" + SqliteEventLinks.Join + " WHERE e.tenant_key = $t AND e.source = $source AND e.record_id = $record;";

    public const string GetSourceRecord = """
        SELECT source, record_id, record_type, profile_id, occurred_at, ingested_at, content_hash, payload, quarantine_reason, quarantine_message
        FROM source_records WHERE tenant_key = $t AND source = $source AND record_id = $record;
        """;

    public const string UnlinkEvent = """
        UPDATE events SET profile_id = NULL, link_index = -1, quarantine_reason = $reason, quarantine_message = $message
        WHERE tenant_key = $t AND id = $event;
        DELETE FROM event_links WHERE tenant_key = $t AND event_id = $event;
        """;

    public const string DeleteConflicts = "DELETE FROM conflicts WHERE tenant_key = $t AND source = $source AND record_id = $record AND claim_kind = $kind;";

    public const string InsertConflict = """
        INSERT INTO conflicts (tenant_key, source, record_id, claim_kind, record_type, identity_kind, identity_value, reason, other_kind, other_source, other_record_id)
        VALUES ($t, $source, $record, $kind, $type, $ikind, $ivalue, $reason, $okind, $osource, $orecord);
        """;

    /// <summary>In insertion order: the caller sorts stably by claim and identity, as the in-memory store does.</summary>
    public const string ReadConflicts = """
        SELECT source, record_id, claim_kind, record_type, identity_kind, identity_value, reason, other_kind, other_source, other_record_id
        FROM conflicts WHERE tenant_key = $t ORDER BY seq;
        """;

    public const string GetUnmergeRules = "SELECT kind, value FROM unmerge_rules WHERE tenant_key = $t;";

    public const string AddUnmergeRule = """
        INSERT INTO unmerge_rules (tenant_key, kind, value, created_at) VALUES ($t, $kind, $value, $at)
        ON CONFLICT (tenant_key, kind, value) DO NOTHING;
        """;

    public const string AddMembership = """
        INSERT INTO memberships (tenant_key, member_kind, member_value, account_kind, account_value, source, record_id)
        VALUES ($t, $mkind, $mvalue, $akind, $avalue, $source, $record)
        ON CONFLICT DO NOTHING;
        """;

    public const string MembersOf = "SELECT member_kind, member_value FROM memberships WHERE tenant_key = $t AND account_kind = $kind AND account_value = $value;";

    /// <summary>Served by the primary key, which leads with the member.</summary>
    public const string AccountsOf = "SELECT account_kind, account_value FROM memberships WHERE tenant_key = $t AND member_kind = $kind AND member_value = $value;";

    /// <summary>Reads a claim: <paramref name="claim"/> runs <see cref="GetClaim"/> with its parameters set; <paramref name="identities"/> runs <see cref="GetClaimIdentities"/>.</summary>
    public static ClaimState? ReadClaim(SqliteCommand claim, SqliteCommand identities, ClaimKey key)
    {
        long id;
        string recordType;
        DateTimeOffset firstOccurredAt;
        Guid? profileId;
        long? eventId;
        using (var reader = claim.ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            id = reader.GetInt64(0);
            recordType = reader.GetString(1);
            firstOccurredAt = ToTime(reader, 2);
            profileId = ToNullableGuid(reader, 3);
            eventId = reader.IsDBNull(4) ? null : reader.GetInt64(4);
        }

        identities.Parameters["$claim"].Value = id;
        return new ClaimState(key, recordType, firstOccurredAt, ReadIdentityKeys(identities), profileId, eventId);
    }

    /// <summary>As <see cref="ReadClaim(SqliteCommand, SqliteCommand, ClaimKey)"/>, from the write connection's statements bound by position.</summary>
    public static ClaimState? ReadClaim(SqliteSessionContext context, ClaimKey key)
    {
        var claim = context.Statement(GetClaim, GetClaimParameters);
        claim.Set(1, key.Source);
        claim.Set(2, key.RecordId);
        claim.Set(3, (int)key.Kind);
        long id;
        string recordType;
        DateTimeOffset firstOccurredAt;
        Guid? profileId;
        long? eventId;
        using (var reader = claim.Query())
        {
            if (!reader.Read())
            {
                return null;
            }

            id = reader.GetInt64(0);
            recordType = reader.GetString(1);
            firstOccurredAt = reader.GetTime(2);
            profileId = reader.GetNullableGuid(3);
            eventId = reader.IsNull(4) ? null : reader.GetInt64(4);
        }

        var identities = context.Statement(GetClaimIdentities, GetClaimIdentitiesParameters);
        identities.Set(1, id);
        var keys = new List<IdentityKey>();
        using (var reader = identities.Query())
        {
            while (reader.Read())
            {
                keys.Add(new IdentityKey(reader.GetString(0), reader.GetString(1)));
            }
        }

        keys.Sort();
        return new ClaimState(key, recordType, firstOccurredAt, keys, profileId, eventId);
    }

    /// <summary>Reads (kind, value) rows, ordered like <see cref="IdentityKey.CompareTo"/>.</summary>
    public static List<IdentityKey> ReadIdentityKeys(SqliteCommand command)
    {
        var keys = new List<IdentityKey>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                keys.Add(new IdentityKey(reader.GetString(0), reader.GetString(1)));
            }
        }

        keys.Sort();
        return keys;
    }

    /// <summary>Reads (source, record id, kind) rows, ordered like <see cref="ClaimKey.CompareTo"/>.</summary>
    public static List<ClaimKey> ReadClaimKeys(SqliteCommand command)
    {
        var keys = new List<ClaimKey>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                keys.Add(new ClaimKey((ClaimKind)reader.GetInt32(2), reader.GetString(0), reader.GetString(1)));
            }
        }

        keys.Sort();
        return keys;
    }

    public static ConflictRow ReadConflict(SqliteDataReader reader) => new(
        new ClaimKey((ClaimKind)reader.GetInt32(2), reader.GetString(0), reader.GetString(1)),
        reader.GetString(3),
        new IdentityKey(reader.GetString(4), reader.GetString(5)),
        (ConflictReason)reader.GetInt32(6),
        reader.IsDBNull(7) ? null : new ClaimKey((ClaimKind)reader.GetInt32(7), reader.GetString(8), reader.GetString(9)));
}

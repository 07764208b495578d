using EventLink.Storage;
using Microsoft.Data.Sqlite;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Internal;

/// <summary>The read statements of the store, scoped by <c>$t</c>, and the code that turns their rows into store rows.</summary>
internal static class SqliteReads
{
    public const string FindTenant = "SELECT tenant_key FROM tenants WHERE name = $name;";

    public const string FindProfileId = "SELECT profile_id FROM identities WHERE tenant_key = $t AND kind = $kind AND value = $value;";

    public const string GetProfile = "SELECT id, entity, created_at, merged_into FROM profiles WHERE tenant_key = $t AND id = $id;";

    public const string MergedInto = "SELECT merged_into FROM profiles WHERE tenant_key = $t AND id = $id;";

    /// <summary>A timeline without filters, the usual call: a constant text, so its prepared statement is reused.</summary>
    public const string Timeline = SqliteEventLinks.OfProfile + " ORDER BY occurred_at, source, record_id;";

    public const string LiveProfiles = "SELECT id, entity, created_at, merged_into FROM profiles WHERE tenant_key = $t AND merged_into IS NULL ORDER BY id;";

    /// <summary>
    /// A profile's identities. Without statistics SQLite would rather walk the tenant's whole primary key (already
    /// in kind, value order) than use the per-profile index, hence the hint.
    /// </summary>
    public const string Identities = """
        SELECT kind, value, profile_id, source, record_type, record_id, first_seen_at
        FROM identities INDEXED BY ix_identities_profile
        WHERE tenant_key = $t AND profile_id = $profile ORDER BY kind, value;
        """;

    public const string Attributes = """
        SELECT name, value_json, source, record_type, record_id, observed_at
        FROM attributes WHERE tenant_key = $t AND profile_id = $profile ORDER BY ordinal;
        """;

    public const string Records = """
        SELECT source, record_type, record_id, occurred_at
        FROM source_records WHERE tenant_key = $t AND profile_id = $profile ORDER BY source, record_id;
        """;

    public const string Merges = """
        SELECT survivor_id, merged_id, kind, value, source, record_type, record_id, merged_at, merge_kind
        FROM merges WHERE tenant_key = $t AND root = $profile ORDER BY merged_at, seq;
        """;

    public const string EventColumns =
        "id, source, record_id, record_type, event_name, occurred_at, ingested_at, profile_id, link_index, quarantine_reason, quarantine_message, payload";

    public const string Events = "SELECT " + SqliteEventLinks.Columns + " FROM events e" + SqliteEventLinks.Join + " WHERE e.tenant_key = $t ORDER BY e.source, e.record_id;";

    public const string Rejections = """
        SELECT source, record_type, key, reason, message, rejected_at
        FROM rejections WHERE tenant_key = $t ORDER BY record_type, source, key, reason;
        """;

    public const string Coverage = """
        SELECT record_type, SUM(profile_id IS NOT NULL), SUM(profile_id IS NULL), COUNT(DISTINCT profile_id)
        FROM (SELECT e.record_type, COALESCE(l.profile_id, e.profile_id) AS profile_id FROM events e
              LEFT JOIN event_links l ON l.tenant_key = e.tenant_key AND l.event_id = e.id WHERE e.tenant_key = $t
              UNION ALL
              SELECT record_type, profile_id FROM source_records WHERE tenant_key = $t)
        GROUP BY record_type;
        """;

    public const string RejectionCounts = "SELECT record_type, COUNT(*) FROM rejections WHERE tenant_key = $t GROUP BY record_type;";

    public static string Quarantine(bool byType)
    {
        var filter = byType ? " AND record_type = $type" : string.Empty;
        return $"""
            SELECT id, source, record_type, record_id, occurred_at, ingested_at, quarantine_reason, quarantine_message, payload
            FROM events e WHERE tenant_key = $t AND profile_id IS NULL AND {SqliteEventLinks.NotLinkedLate}{filter}
            UNION ALL
            SELECT NULL, source, record_type, record_id, occurred_at, ingested_at, quarantine_reason, quarantine_message, payload
            FROM source_records WHERE tenant_key = $t AND profile_id IS NULL{filter}
            ORDER BY record_type, source, record_id;
            """;
    }

    public static List<IdentityRow> ReadIdentities(SqliteCommand command)
    {
        var rows = new List<IdentityRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new IdentityRow(
                new IdentityKey(reader.GetString(0), reader.GetString(1)),
                ToGuid(reader, 2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                ToTime(reader, 6)));
        }

        return rows;
    }

    public static ProfileRow ReadProfileRow(SqliteDataReader reader) =>
        new(ToGuid(reader, 0), reader.GetString(1), ToTime(reader, 2), ToNullableGuid(reader, 3));

    public static EventRow ReadEvent(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        ToTime(reader, 5),
        ToTime(reader, 6),
        ToNullableGuid(reader, 7),
        reader.GetInt32(8),
        (IngestReason)reader.GetInt32(9),
        ToNullableString(reader, 10),
        reader.GetString(11));

    public static QuarantineEntry ReadQuarantineEntry(SqliteDataReader reader) => new(
        reader.IsDBNull(0) ? null : reader.GetInt64(0),
        new QuarantinedRecord(
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            ToTime(reader, 4),
            ToTime(reader, 5),
            (IngestReason)reader.GetInt32(6),
            ToNullableString(reader, 7) ?? string.Empty,
            reader.GetString(8)));

    public static SourceRecordRow ReadSourceRecord(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        ToNullableGuid(reader, 3),
        ToTime(reader, 4),
        ToTime(reader, 5),
        reader.GetString(6),
        reader.GetString(7),
        (IngestReason)reader.GetInt32(8),
        ToNullableString(reader, 9));

    /// <summary>A row of <see cref="SqliteSessionSql.GetSourceRecord"/>'s columns, read from a statement bound by position.</summary>
    public static SourceRecordRow ReadSourceRecord(SqliteRawStatement.Reader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetNullableGuid(3),
        reader.GetTime(4),
        reader.GetTime(5),
        reader.GetString(6),
        reader.GetString(7),
        (IngestReason)reader.GetInt32(8),
        reader.GetNullableString(9));

    public static RejectionRow ReadRejection(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        (IngestReason)reader.GetInt32(3),
        reader.GetString(4),
        ToTime(reader, 5));
}

/// <summary>Reads whole profiles (identities, attributes, records, merges) over one read connection, reusing its statements.</summary>
internal sealed class SqliteProfileReader : IDisposable
{
    private readonly SqliteCommand _identities;
    private readonly SqliteCommand _attributes;
    private readonly SqliteCommand _records;
    private readonly SqliteCommand _merges;

    public SqliteProfileReader(SqliteConnection connection, SqliteTransaction transaction, long tenantKey)
    {
        _identities = Create(SqliteReads.Identities);
        _attributes = Create(SqliteReads.Attributes);
        _records = Create(SqliteReads.Records);
        _merges = Create(SqliteReads.Merges);

        SqliteCommand Create(string sql)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.Parameters.AddWithValue("$t", tenantKey);
            command.Parameters.Add(new SqliteParameter { ParameterName = "$profile" });
            return command;
        }
    }

    public StoredProfile Read(ProfileRow profile)
    {
        var id = ToBlob(profile.Id);
        _identities.Parameters[1].Value = id;
        _attributes.Parameters[1].Value = id;
        _records.Parameters[1].Value = id;
        _merges.Parameters[1].Value = id;

        var identities = SqliteReads.ReadIdentities(_identities);

        var attributes = new List<AttributeRow>();
        using (var reader = _attributes.ExecuteReader())
        {
            while (reader.Read())
            {
                attributes.Add(new AttributeRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), ToTime(reader, 5)));
            }
        }

        var records = new List<ProfileRecord>();
        using (var reader = _records.ExecuteReader())
        {
            while (reader.Read())
            {
                records.Add(new ProfileRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), ToTime(reader, 3)));
            }
        }

        var merges = new List<MergeRow>();
        using (var reader = _merges.ExecuteReader())
        {
            while (reader.Read())
            {
                merges.Add(new MergeRow(
                    ToGuid(reader, 0),
                    ToGuid(reader, 1),
                    new IdentityKey(reader.GetString(2), reader.GetString(3)),
                    reader.GetString(4),
                    reader.GetString(5),
                    reader.GetString(6),
                    ToTime(reader, 7),
                    (MergeKind)reader.GetInt32(8)));
            }
        }

        return new StoredProfile(profile, identities, attributes, records, merges);
    }

    public void Dispose()
    {
        _identities.Dispose();
        _attributes.Dispose();
        _records.Dispose();
        _merges.Dispose();
    }
}

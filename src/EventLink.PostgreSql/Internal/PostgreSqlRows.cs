using EventLink.Storage;
using Npgsql;
using NpgsqlTypes;

namespace EventLink.PostgreSql.Internal;

/// <summary>Reads rows in the column orders of <see cref="PostgreSqlSql"/> and builds typed parameters.</summary>
internal static class PostgreSqlRows
{
    public static EventRow ReadEvent(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        Time(reader, 5),
        Time(reader, 6),
        NullableGuid(reader, 7),
        reader.GetInt32(8),
        (IngestReason)reader.GetInt16(9),
        reader.IsDBNull(10) ? null : reader.GetString(10),
        reader.GetString(11));

    public static IdentityRow ReadIdentity(NpgsqlDataReader reader, int offset = 0) => new(
        new IdentityKey(reader.GetString(offset), reader.GetString(offset + 1)),
        reader.GetGuid(offset + 2),
        reader.GetString(offset + 3),
        reader.GetString(offset + 4),
        reader.GetString(offset + 5),
        Time(reader, offset + 6));

    public static SourceRecordRow ReadSourceRecord(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        NullableGuid(reader, 3),
        Time(reader, 4),
        Time(reader, 5),
        reader.GetString(6),
        reader.GetString(7),
        (IngestReason)reader.GetInt16(8),
        reader.IsDBNull(9) ? null : reader.GetString(9));

    public static ProfileRow ReadProfile(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        Time(reader, 2),
        NullableGuid(reader, 3));

    public static AttributeRow ReadAttribute(NpgsqlDataReader reader, int offset) => new(
        reader.GetString(offset),
        reader.GetString(offset + 1),
        reader.GetString(offset + 2),
        reader.GetString(offset + 3),
        reader.GetString(offset + 4),
        Time(reader, offset + 5));

    public static MergeRow ReadMerge(NpgsqlDataReader reader, int offset) => new(
        reader.GetGuid(offset),
        reader.GetGuid(offset + 1),
        new IdentityKey(reader.GetString(offset + 2), reader.GetString(offset + 3)),
        reader.GetString(offset + 4),
        reader.GetString(offset + 5),
        reader.GetString(offset + 6),
        Time(reader, offset + 7),
        (MergeKind)reader.GetInt16(offset + 8));

    public static DateTimeOffset Time(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static Guid? NullableGuid(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetGuid(ordinal);

    public static NpgsqlParameter Text(string value) => new NpgsqlParameter<string> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };

    public static NpgsqlParameter NullableText(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Uuid(Guid value) => new NpgsqlParameter<Guid> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Uuid };

    public static NpgsqlParameter NullableUuid(Guid? value) => new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = value is { } v ? v : DBNull.Value };

    public static NpgsqlParameter Int(int value) => new NpgsqlParameter<int> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Integer };

    public static NpgsqlParameter Smallint(short value) => new NpgsqlParameter<short> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Smallint };

    public static NpgsqlParameter Long(long value) => new NpgsqlParameter<long> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Bigint };

    public static NpgsqlParameter Reason(IngestReason value) => new NpgsqlParameter<short> { TypedValue = (short)value, NpgsqlDbType = NpgsqlDbType.Smallint };

    /// <summary>A timestamptz parameter; PostgreSQL keeps instants in UTC, and Npgsql accepts only UTC values for it.</summary>
    public static NpgsqlParameter Timestamp(DateTimeOffset value) =>
        new NpgsqlParameter<DateTime> { TypedValue = value.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    public static NpgsqlParameter NullableTimestamp(DateTimeOffset? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value is { } v ? v.UtcDateTime : DBNull.Value };

    public static NpgsqlParameter TextArray(string[]? values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = (object?)values ?? DBNull.Value };

    public static NpgsqlParameter UuidArray(Guid[] values) =>
        new NpgsqlParameter<Guid[]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid };

    public static NpgsqlParameter NullableUuidArray(Guid?[] values) =>
        new NpgsqlParameter<Guid?[]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid };

    public static NpgsqlParameter LongArray(long[] values) =>
        new NpgsqlParameter<long[]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };

    public static NpgsqlParameter IntArray(int[] values) =>
        new NpgsqlParameter<int[]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer };

    public static NpgsqlParameter TimestampArray(DateTime[] values) =>
        new NpgsqlParameter<DateTime[]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };

    public static NpgsqlParameter NullableLong(long? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = value is { } v ? v : DBNull.Value };

    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params ReadOnlySpan<NpgsqlParameter> parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public static NpgsqlBatchCommand BatchCommand(string sql, params ReadOnlySpan<NpgsqlParameter> parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter);
        }

        return command;
    }
}

using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EventLink.Sqlite.Internal;

/// <summary>How values are stored: times as unix microseconds, profile ids as big-endian 16-byte blobs.</summary>
internal static class SqliteValues
{
    private static readonly long EpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    public static byte[] ToBlob(Guid id) => id.ToByteArray(bigEndian: true);

    public static object ToBlob(Guid? id) => id is { } value ? ToBlob(value) : DBNull.Value;

    public static Guid ToGuid(SqliteDataReader reader, int ordinal) => new(reader.GetFieldValue<byte[]>(ordinal), bigEndian: true);

    public static Guid? ToNullableGuid(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ToGuid(reader, ordinal);

    /// <summary>The engine truncates times to microseconds, so this is exact for every time it stores.</summary>
    public static long ToMicros(DateTimeOffset time) => (time.UtcTicks - EpochTicks) / 10;

    /// <summary>The smallest stored time at or after <paramref name="time"/>, for bounds that may carry finer ticks.</summary>
    public static long CeilingMicros(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - EpochTicks;
        var micros = ticks / 10;
        return ticks % 10 > 0 ? micros + 1 : micros;
    }

    public static DateTimeOffset FromMicros(long micros) => new(EpochTicks + (micros * 10), TimeSpan.Zero);

    public static DateTimeOffset ToTime(SqliteDataReader reader, int ordinal) => FromMicros(reader.GetInt64(ordinal));

    public static string? ToNullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static object ToDb(string? value) => value ?? (object)DBNull.Value;

    /// <summary>Whether the connection has an open transaction (SQLite is not in autocommit mode).</summary>
    public static bool InTransaction(SqliteConnection connection) =>
        connection.Handle is { } handle && raw.sqlite3_get_autocommit(handle) == 0;

    public static long LastInsertRowId(SqliteConnection connection) => raw.sqlite3_last_insert_rowid(connection.Handle);
}

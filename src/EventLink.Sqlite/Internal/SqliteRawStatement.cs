using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EventLink.Sqlite.Internal;

/// <summary>
/// A statement prepared once on the write connection and bound by position, through SQLite's own API (the handle
/// Microsoft.Data.Sqlite exposes). A <see cref="SqliteCommand"/> binds every parameter by name on every execution,
/// and SQLite finds a name by walking the statement's list of names: a multi-row statement of a hundred parameters
/// paid for five thousand name comparisons a run, more than its rows cost to write. Here the names are looked up
/// once, when the statement is prepared.
/// </summary>
internal sealed class SqliteRawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _positions;

    /// <param name="db">The write connection's handle.</param>
    /// <param name="sql">The statement.</param>
    /// <param name="names">Its parameters, in the order callers number them.</param>
    public SqliteRawStatement(sqlite3 db, string sql, ReadOnlySpan<string> names)
    {
        _db = db;
        Check(raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement, out var tail));
        if (!string.IsNullOrWhiteSpace(tail))
        {
            _statement.Dispose();
            throw new ArgumentException("One statement only.", nameof(sql));
        }

        _positions = new int[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            _positions[i] = raw.sqlite3_bind_parameter_index(_statement, names[i]);
            if (_positions[i] == 0)
            {
                _statement.Dispose();
                throw new ArgumentException($"The statement has no parameter {names[i]}.", nameof(names));
            }
        }
    }

    public void Set(int parameter, long value) => Check(raw.sqlite3_bind_int64(_statement, _positions[parameter], value));

    public void Set(int parameter, long? value) =>
        Check(value is { } number ? raw.sqlite3_bind_int64(_statement, _positions[parameter], number) : raw.sqlite3_bind_null(_statement, _positions[parameter]));

    public void Set(int parameter, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, _positions[parameter]) : raw.sqlite3_bind_text(_statement, _positions[parameter], value));

    public void Set(int parameter, byte[]? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, _positions[parameter]) : raw.sqlite3_bind_blob(_statement, _positions[parameter], value));

    /// <summary>Gets the row id of the connection's latest successful insert (into any table).</summary>
    public long LastInsertedRowId => raw.sqlite3_last_insert_rowid(_db);

    /// <summary>Runs the statement to its end; returns the rows it changed.</summary>
    public int Execute()
    {
        try
        {
            int result;
            while ((result = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }

            Check(result == raw.SQLITE_DONE ? raw.SQLITE_OK : result);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>
    /// Runs a write that may break a constraint: returns <see langword="false"/> when it did (SQLite undid the
    /// statement; the transaction goes on), <see langword="true"/> when it ran to its end.
    /// </summary>
    public bool TryExecute()
    {
        try
        {
            int result;
            while ((result = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }

            if ((result & 0xFF) == raw.SQLITE_CONSTRAINT)
            {
                return false;
            }

            Check(result == raw.SQLITE_DONE ? raw.SQLITE_OK : result);
            return true;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs the statement for its rows; dispose the reader (which resets the statement) when done.</summary>
    public Reader Query() => new(this);

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _db);
        }
    }

    /// <summary>The rows of one run of a statement.</summary>
    public readonly struct Reader(SqliteRawStatement owner) : IDisposable
    {
        public bool Read()
        {
            var result = raw.sqlite3_step(owner._statement);
            if (result == raw.SQLITE_ROW)
            {
                return true;
            }

            owner.Check(result == raw.SQLITE_DONE ? raw.SQLITE_OK : result);
            return false;
        }

        public long GetInt64(int column) => raw.sqlite3_column_int64(owner._statement, column);

        public int GetInt32(int column) => raw.sqlite3_column_int(owner._statement, column);

        public string GetString(int column) => raw.sqlite3_column_text(owner._statement, column).utf8_to_string();

        public bool IsNull(int column) => raw.sqlite3_column_type(owner._statement, column) == raw.SQLITE_NULL;

        public string? GetNullableString(int column) => IsNull(column) ? null : GetString(column);

        /// <summary>Reads a profile id (a big-endian 16-byte blob), or <see langword="null"/>.</summary>
        public Guid? GetNullableGuid(int column) => IsNull(column) ? null : new Guid(raw.sqlite3_column_blob(owner._statement, column), bigEndian: true);

        public DateTimeOffset GetTime(int column) => SqliteValues.FromMicros(GetInt64(column));

        public void Dispose() => raw.sqlite3_reset(owner._statement);
    }
}

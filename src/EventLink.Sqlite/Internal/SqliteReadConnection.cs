using Microsoft.Data.Sqlite;

namespace EventLink.Sqlite.Internal;

/// <summary>
/// An open read connection the store keeps between queries, with the statements it has prepared on it. Reusing
/// both saves, per query, the pragmas of a fresh connection and SQLite's parse and plan of the statement, which on
/// a short query (one profile's timeline) cost as much as the read itself.
/// </summary>
internal sealed class SqliteReadConnection(SqliteConnection connection) : IDisposable
{
    /// <summary>Beyond this many distinct statements (timeline filters make new texts), new ones are not kept.</summary>
    private const int MaxPrepared = 32;

    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    public SqliteConnection Connection { get; } = connection;

    /// <summary>
    /// A prepared command for <paramref name="sql"/> in <paramref name="transaction"/>, its parameters cleared, or
    /// <see langword="null"/> when the connection keeps no more statements (the caller then makes its own).
    /// The command belongs to the connection: callers never dispose it.
    /// </summary>
    public SqliteCommand? Prepared(string sql, SqliteTransaction transaction)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            if (_prepared.Count >= MaxPrepared)
            {
                return null;
            }

            command = Connection.CreateCommand();
            command.CommandText = sql;
            _prepared.Add(sql, command);
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _prepared.Clear();
        Connection.Dispose();
    }
}

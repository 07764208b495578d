using Microsoft.Data.Sqlite;

namespace EventLink.Sqlite.Internal;

/// <summary>
/// The store's one write connection and its prepared statements. SQLite allows one writer per file, so sessions
/// take turns on it (see <see cref="SqliteEventLinkStore"/>); the statements are prepared once and reused by
/// every session, only their parameter values change.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    // Keyed by reference: the statements are string constants, and hashing their text on every call would cost more than the lookup.
    private readonly Dictionary<string, SqliteCommand> _commands = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, SqliteRawStatement> _statements = new(ReferenceEqualityComparer.Instance);

    public SqliteWriter(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <summary>
    /// Gets the prepared command for <paramref name="sql"/>, whose parameters are <c>$t</c> (the tenant key) when
    /// <paramref name="tenantScoped"/>, then <paramref name="parameters"/>, in that order.
    /// </summary>
    public SqliteCommand Get(string sql, bool tenantScoped, params ReadOnlySpan<string> parameters)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            return command;
        }

        command = Connection.CreateCommand();
        command.CommandText = sql;
        if (tenantScoped)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = "$t" });
        }

        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        _commands.Add(sql, command);
        return command;
    }

    /// <summary>Gets the statement for <paramref name="sql"/> bound by position, its parameters numbered in the order of <paramref name="parameters"/>.</summary>
    public SqliteRawStatement GetStatement(string sql, ReadOnlySpan<string> parameters)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new SqliteRawStatement(Connection.Handle!, sql, parameters);
            _statements.Add(sql, statement);
        }

        return statement;
    }

    /// <summary>Runs a statement without parameters (transaction control).</summary>
    public void Execute(string sql) => Get(sql, tenantScoped: false).ExecuteNonQuery();

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
        Connection.Dispose();
    }
}

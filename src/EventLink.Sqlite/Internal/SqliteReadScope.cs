using Microsoft.Data.Sqlite;

namespace EventLink.Sqlite.Internal;

/// <summary>A read connection, its snapshot transaction, and the tenant key every statement is scoped by.</summary>
internal sealed class SqliteReadScope(SqliteEventLinkStore store, SqliteReadConnection reader, SqliteTransaction transaction, long tenantKey) : IDisposable
{
    private SqliteCommand? _owned;

    public SqliteConnection Connection => reader.Connection;

    public SqliteTransaction Transaction { get; } = transaction;

    public long TenantKey { get; } = tenantKey;

    /// <summary>Creates a command in the snapshot with <c>$t</c> bound to the tenant key.</summary>
    public SqliteCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$t", TenantKey);
        return command;
    }

    /// <summary>
    /// Like <see cref="Command"/>, but the statement stays prepared on the connection for the next query; the
    /// scope owns the command, the caller does not dispose it.
    /// </summary>
    public SqliteCommand Prepared(string sql)
    {
        if (reader.Prepared(sql, Transaction) is not { } command)
        {
            command = Command(sql);
            _owned = command;
            return command;
        }

        command.Parameters.AddWithValue("$t", TenantKey);
        return command;
    }

    public void Dispose()
    {
        _owned?.Dispose();
        try
        {
            Transaction.Dispose();
        }
        catch
        {
            reader.Dispose();
            throw;
        }

        if (Connection.State == System.Data.ConnectionState.Open)
        {
            store.ReturnReader(reader);
        }
        else
        {
            reader.Dispose();
        }
    }
}

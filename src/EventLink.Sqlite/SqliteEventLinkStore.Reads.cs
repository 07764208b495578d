using EventLink.Sqlite.Internal;

namespace EventLink.Sqlite;

/// <summary>Read snapshots: each query runs on its own pooled connection, in a read transaction (one consistent snapshot).</summary>
public sealed partial class SqliteEventLinkStore
{
    /// <summary>Opens a read snapshot of a tenant, or returns <see langword="null"/> when the tenant has never written anything.</summary>
    internal async ValueTask<SqliteReadScope?> BeginReadAsync(string tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var reader = RentReader();
        try
        {
            var connection = reader.Connection;
            var transaction = connection.BeginTransaction(deferred: true);
            if (!_tenantKeys.TryGetValue(tenant, out var key))
            {
                using var find = connection.CreateCommand();
                find.Transaction = transaction;
                find.CommandText = SqliteReads.FindTenant;
                find.Parameters.AddWithValue("$name", tenant);
                if (find.ExecuteScalar() is not long found)
                {
                    transaction.Dispose();
                    ReturnReader(reader);
                    return null;
                }

                key = found;
                _tenantKeys[tenant] = key;
            }

            return new SqliteReadScope(this, reader, transaction, key);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>An idle read connection, or a new one.</summary>
    private SqliteReadConnection RentReader() =>
        _idleReaders.TryDequeue(out var reader) ? reader : new SqliteReadConnection(Open(writer: false));

    /// <summary>Keeps a read connection for the next query (as many as there are cores), or closes it.</summary>
    internal void ReturnReader(SqliteReadConnection reader)
    {
        if (Volatile.Read(ref _disposed) || _idleReaders.Count >= Environment.ProcessorCount)
        {
            reader.Dispose();
            return;
        }

        _idleReaders.Enqueue(reader);

        // A dispose that ran meanwhile has drained the queue before this connection entered it.
        if (Volatile.Read(ref _disposed))
        {
            DisposeIdleReaders();
        }
    }

    private void DisposeIdleReaders()
    {
        while (_idleReaders.TryDequeue(out var reader))
        {
            reader.Dispose();
        }
    }
}

using EventLink.PostgreSql.Internal;
using EventLink.Storage;
using Npgsql;
using NpgsqlTypes;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Destinations.Internal;

/// <summary>The change log, sync progress, dead letters and suppression counts.</summary>
/// <remarks>Sync progress is bookkeeping: it is saved in its own short transaction, without the tenant's write lock and without changing the tenant's version.</remarks>
internal sealed class PostgreSqlOutboxQueries(NpgsqlDataSource dataSource, PostgreSqlSql sql) : PostgreSqlStoreQueries(dataSource, sql)
{
    private PostgreSqlOutboxSql Outbox => PostgreSqlOutboxSql.For(Sql.Schema);

    public async ValueTask<IReadOnlyList<ChangeRow>> ReadChangesAsync(string tenant, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, Outbox.ReadChanges, Text(tenant), Long(afterSequence), Int(Math.Max(0, limit)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<ChangeRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new ChangeRow(
                reader.GetInt64(0),
                (ChangeKind)reader.GetInt16(1),
                reader.GetGuid(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                Time(reader, 5)));
        }

        return rows;
    }

    public async ValueTask<SyncStateRow?> GetSyncStateAsync(string tenant, string sync, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(sync);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, Outbox.GetSyncState, Text(tenant), Text(sync));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new SyncStateRow(sync, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : Time(reader, 3), reader.IsDBNull(4) ? null : reader.GetString(4))
            : null;
    }

    public async ValueTask SaveSyncStateAsync(string tenant, SyncStateRow state, DeadLetterRow? deadLetter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(state);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                BatchCommand(
                    Outbox.SaveSyncState,
                    Text(tenant),
                    Text(state.Sync),
                    Long(state.Cursor),
                    Long(state.RetrySequence),
                    Int(state.Attempts),
                    NullableTimestamp(state.NextAttemptAt),
                    NullableText(state.LastError)),
            },
        };
        if (deadLetter is not null)
        {
            batch.BatchCommands.Add(BatchCommand(
                Outbox.AddDeadLetter,
                Text(tenant),
                Text(deadLetter.Sync),
                Long(deadLetter.Sequence),
                Uuid(deadLetter.ProfileId),
                Text(deadLetter.IdempotencyKey),
                Int(deadLetter.Attempts),
                Text(deadLetter.LastError),
                Timestamp(deadLetter.DeadAt)));
        }

        // A multi-statement batch runs in one implicit transaction: the progress and the dead letter are saved together.
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<DeadLetterRow>> ReadDeadLettersAsync(string tenant, string sync, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(sync);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, Outbox.ReadDeadLetters, Text(tenant), Text(sync));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<DeadLetterRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new DeadLetterRow(sync, reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), Time(reader, 5)));
        }

        return rows;
    }

    public async ValueTask RemoveDeadLetterAsync(string tenant, string sync, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(sync);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, Outbox.RemoveDeadLetter, Text(tenant), Text(sync), Long(sequence));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyDictionary<string, long>> GetSuppressionCountsAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, Outbox.SuppressionCounts, Text(tenant));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}

using EventLink.Storage;
using Npgsql;
using NpgsqlTypes;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>Bulk event insert: binary COPY into a temporary staging table, then one INSERT … SELECT.</summary>
internal sealed partial class PostgreSqlStoreSession
{
    public override async ValueTask<IReadOnlyList<long?>> TryInsertEventsAsync(IReadOnlyList<EventRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (TryInsertKnownEvents(rows, out var known))
        {
            return known;
        }

        var ids = await InsertEventsAsync(rows, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            // Stored now (inserted or a duplicate); a key the working set did not know stays unknown.
            if (_events.ContainsKey((row.Source, row.RecordId)))
            {
                _events[(row.Source, row.RecordId)] = true;
            }
        }

        return ids;
    }

    private async ValueTask<IReadOnlyList<long?>> InsertEventsAsync(IReadOnlyList<EventRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count < _bulkThreshold)
        {
            return await base.TryInsertEventsAsync(rows, cancellationToken).ConfigureAwait(false);
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var connection = Connection;
        await using (var prepare = Command(connection, _transaction, _stagingReady ? _sql.TruncateStaging : _sql.CreateStaging))
        {
            // The staging table lives as long as the physical connection (Npgsql discards temporary tables when a
            // connection returns to the pool); ON COMMIT DELETE ROWS empties it between sessions, TRUNCATE between batches.
            await prepare.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        _stagingReady = true;
        var importer = await connection.BeginBinaryImportAsync(_sql.CopyStaging, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                ArgumentNullException.ThrowIfNull(row, nameof(rows));
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.Source, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.RecordId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.RecordType, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.EventName, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.OccurredAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.IngestedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                if (row.ProfileId is { } profileId)
                {
                    await importer.WriteAsync(profileId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                }

                await importer.WriteAsync(row.LinkIndex, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync((short)row.QuarantineReason, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                if (row.QuarantineMessage is { } message)
                {
                    await importer.WriteAsync(message, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                }

                await importer.WriteAsync(row.PayloadJson, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        // Map the new ids back to input positions; a key seen again later in the batch is a duplicate.
        var inserted = new Dictionary<(string Source, string RecordId), long>(rows.Count);
        await using (var command = await PrepareAsync(_sql.InsertStaged, cancellationToken, Text(_tenant)).ConfigureAwait(false))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                inserted[(reader.GetString(1), reader.GetString(2))] = reader.GetInt64(0);
            }
        }

        var ids = new long?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            if (inserted.Remove((rows[i].Source, rows[i].RecordId), out var id))
            {
                ids[i] = id;
            }
        }

        if (inserted.Count != 0)
        {
            throw new InvalidOperationException("The database returned event ids for keys that were not in the batch.");
        }

        _dirty |= ids.Any(id => id is not null);
        return ids;
    }
}

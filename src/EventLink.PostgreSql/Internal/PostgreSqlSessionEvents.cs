using EventLink.Storage;
using Npgsql;
using NpgsqlTypes;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// Events, their waits and links in a PostgreSQL session. Bulk event insert: binary COPY into a temporary staging
/// table, then one INSERT … SELECT.
/// </summary>
internal sealed class PostgreSqlSessionEvents(PostgreSqlSessionContext context, int bulkThreshold)
{
    private readonly PostgreSqlSessionContext _context = context;
    private readonly int _bulkThreshold = bulkThreshold;
    private bool _stagingReady;

    public async ValueTask<IReadOnlyList<long?>> TryInsertEventsAsync(IReadOnlyList<EventRow> rows, Func<IReadOnlyList<EventRow>, CancellationToken, ValueTask<IReadOnlyList<long?>>> insertEach, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (_context.Cache.Events.TryInsertKnownEvents(rows, out var known))
        {
            return known;
        }

        var ids = await InsertEventsAsync(rows, insertEach, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            // Stored now (inserted or a duplicate); a key the working set did not know stays unknown.
            _context.Cache.Events.MarkEventStored(row.Source, row.RecordId);
        }

        return ids;
    }

    private async ValueTask<IReadOnlyList<long?>> InsertEventsAsync(IReadOnlyList<EventRow> rows, Func<IReadOnlyList<EventRow>, CancellationToken, ValueTask<IReadOnlyList<long?>>> insertEach, CancellationToken cancellationToken)
    {
        if (rows.Count < _bulkThreshold)
        {
            return await insertEach(rows, cancellationToken).ConfigureAwait(false);
        }

        await _context.FlushAsync(cancellationToken).ConfigureAwait(false);
        var connection = _context.Connection;
        await using (var prepare = Command(connection, _context.Transaction, _stagingReady ? _context.Sql.TruncateStaging : _context.Sql.CreateStaging))
        {
            // The staging table lives as long as the physical connection (Npgsql discards temporary tables when a
            // connection returns to the pool); ON COMMIT DELETE ROWS empties it between sessions, TRUNCATE between batches.
            await prepare.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        _stagingReady = true;
        var importer = await connection.BeginBinaryImportAsync(_context.Sql.CopyStaging, cancellationToken).ConfigureAwait(false);
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
        await using (var command = await _context.PrepareAsync(_context.Sql.InsertStaged, cancellationToken, Text(_context.Tenant)).ConfigureAwait(false))
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

        _context.Dirty |= ids.Any(id => id is not null);
        return ids;
    }

    public async ValueTask<IReadOnlyList<string?>> GetEventRecordTypesAsync(IReadOnlyList<(string Source, string RecordId)> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var types = new string?[keys.Count];
        var known = true;
        for (var i = 0; i < keys.Count && known; i++)
        {
            known = _context.Cache.Events.TryGetEventHolder(keys[i].Source, keys[i].RecordId, out types[i]);
        }

        if (known)
        {
            return types;
        }

        Array.Clear(types);

        var found = new Dictionary<(string Source, string RecordId), string>();
        await using (var command = await _context.PrepareAsync(
            _context.Sql.GetEventRecordTypes,
            cancellationToken,
            Text(_context.Tenant),
            TextArray([.. keys.Select(k => k.Source).Distinct()]),
            TextArray([.. keys.Select(k => k.RecordId).Distinct()])).ConfigureAwait(false))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
            }
        }

        for (var i = 0; i < keys.Count; i++)
        {
            types[i] = found.GetValueOrDefault(keys[i]);
        }

        return types;
    }

    public async ValueTask<long?> TryInsertEventAsync(EventRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        await using var command = await _context.PrepareAsync(
            _context.Sql.InsertEvent,
            cancellationToken,
            Text(_context.Tenant),
            Text(row.Source),
            Text(row.RecordId),
            Text(row.RecordType),
            Text(row.EventName),
            Timestamp(row.OccurredAt),
            Timestamp(row.IngestedAt),
            NullableUuid(row.ProfileId),
            Int(row.LinkIndex),
            Reason(row.QuarantineReason),
            NullableText(row.QuarantineMessage),
            Text(row.PayloadJson)).ConfigureAwait(false);
        var id = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        _context.Cache.Events.MarkEventStored(row.Source, row.RecordId);

        if (id is long value)
        {
            _context.Dirty = true;
            return value;
        }

        return null;
    }

    public ValueTask SetWaitsAsync(long eventId, IReadOnlyList<EventWait> waits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(waits);
        cancellationToken.ThrowIfCancellationRequested();
        _context.Cache.Events.CacheWaits(eventId, waits);
        _context.Buffers.Links.SetWaits(eventId, waits, mayBeStored: !_context.Cache.Events.SettingFirstWaits(eventId));
        return ValueTask.CompletedTask;
    }

    public async ValueTask<IReadOnlyList<PendingLink>> GetWaitsAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        if (_context.Cache.Events.TryGetCachedWaits(key, out var cached))
        {
            return cached;
        }

        var rows = new List<PendingLink>();
        await using var command = await _context.PrepareAsync(_context.Sql.GetWaits, cancellationToken, Text(_context.Tenant), Text(key.Kind), Text(key.Value)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new PendingLink(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return rows;
    }

    public ValueTask LinkEventAsync(long eventId, Guid profileId, int relationIndex, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _context.Cache.Events.SetLinkIndex(eventId, relationIndex);
        _context.Cache.Events.DropCachedWaits(eventId, relationIndex);
        _context.Buffers.Links.Link(eventId, profileId, relationIndex);
        return ValueTask.CompletedTask;
    }

    public ValueTask SetQuarantineAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default) =>
        _context.Defer(BatchCommand(_context.Sql.SetQuarantine, Text(_context.Tenant), Long(eventId), Reason(reason), Text(message)), counted: false, cancellationToken, seal: false);
}

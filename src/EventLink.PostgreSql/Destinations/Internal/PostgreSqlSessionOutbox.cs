using EventLink.PostgreSql.Internal;
using EventLink.Storage;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Destinations.Internal;

/// <summary>Change-log appends, tombstones, suppressions and erasure, in the session's transaction.</summary>
internal sealed class PostgreSqlSessionOutbox(PostgreSqlSessionContext context, PostgreSqlSessionIdentityLog identityLog)
{
    private readonly PostgreSqlSessionContext _context = context;
    private readonly PostgreSqlSessionIdentityLog _identityLog = identityLog;

    private PostgreSqlOutboxSql Outbox => PostgreSqlOutboxSql.For(_context.Sql.Schema);

    public ValueTask AppendChangeAsync(ChangeRow change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _context.ExecuteAsync(
            Outbox.AppendChange,
            cancellationToken,
            Text(_context.Tenant),
            new Npgsql.NpgsqlParameter<short> { TypedValue = (short)change.Kind, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Smallint },
            Uuid(change.ProfileId),
            NullableLong(change.EventId),
            NullableText(change.DataJson),
            Timestamp(change.At));
    }

    public async ValueTask<IReadOnlySet<string>> ReadTombstonesAsync(CancellationToken cancellationToken = default)
    {
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        await using var command = await _context.PrepareAsync(Outbox.ReadTombstones, cancellationToken, Text(_context.Tenant)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            hashes.Add(reader.GetString(0));
        }

        return hashes;
    }

    public ValueTask AddSuppressionAsync(SuppressionRow suppression, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suppression);
        return _context.ExecuteAsync(
            Outbox.AddSuppression,
            cancellationToken,
            Text(_context.Tenant),
            Text(suppression.Source),
            Text(suppression.RecordId),
            Text(suppression.RecordType),
            Timestamp(suppression.SuppressedAt));
    }

    public async ValueTask<ErasureCounts> ForgetAsync(Guid? profileId, IReadOnlyList<IdentityKey> identities, IReadOnlyList<string> tombstones, ChangeRow? notice, CancellationToken cancellationToken = default)
    {
        _context.Cache.ClearCaches(); // An erasure deletes rows of every kind.
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(tombstones);
        long profiles = 0, identityCount = 0, records = 0, events = 0, quarantined = 0, outbox = 0;
        var sql = Outbox;
        if (profileId is { } root)
        {
            var closure = new List<Guid>();
            await using (var command = await _context.PrepareAsync(sql.Closure, cancellationToken, Text(_context.Tenant), Uuid(root)).ConfigureAwait(false))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    closure.Add(reader.GetGuid(0));
                }
            }

            if (closure.Count > 0)
            {
                var ids = closure.ToArray();
                identityCount = await CountAsync(sql.DeleteIdentities, ids, cancellationToken).ConfigureAwait(false);
                records = await CountAsync(sql.DeleteSourceRecords, ids, cancellationToken).ConfigureAwait(false);
                await CountAsync(sql.DeleteAttributes, ids, cancellationToken).ConfigureAwait(false);
                await CountAsync(sql.DeleteProfileWaits, ids, cancellationToken).ConfigureAwait(false);
                events = await CountAsync(sql.DeleteEvents, ids, cancellationToken).ConfigureAwait(false);
                await CountAsync(sql.DeleteMerges, ids, cancellationToken).ConfigureAwait(false);
                profiles = await CountAsync(sql.DeleteProfiles, ids, cancellationToken).ConfigureAwait(false);
                outbox = await CountAsync(sql.DeleteChanges, ids, cancellationToken).ConfigureAwait(false)
                    + await CountAsync(sql.DeleteDeadLetters, ids, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var key in identities)
        {
            var waiting = new List<long>();
            await using (var command = await _context.PrepareAsync(sql.QuarantinedWaiting, cancellationToken, Text(_context.Tenant), Text(key.Kind), Text(key.Value)).ConfigureAwait(false))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    waiting.Add(reader.GetInt64(0));
                }
            }

            if (waiting.Count > 0)
            {
                var ids = new Npgsql.NpgsqlParameter<long[]> { TypedValue = [.. waiting], NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint };
                await _context.ExecuteCountAsync(sql.DeleteEventWaits, cancellationToken, Text(_context.Tenant), ids).ConfigureAwait(false);
                var idsAgain = new Npgsql.NpgsqlParameter<long[]> { TypedValue = [.. waiting], NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint };
                quarantined += await _context.ExecuteCountAsync(sql.DeleteEventsById, cancellationToken, Text(_context.Tenant), idsAgain).ConfigureAwait(false);
            }

            await _context.ExecuteCountAsync(sql.DeleteIdentityWaits, cancellationToken, Text(_context.Tenant), Text(key.Kind), Text(key.Value)).ConfigureAwait(false);
        }

        if (tombstones.Count > 0)
        {
            await _context.ExecuteCountAsync(sql.AddTombstones, cancellationToken, Text(_context.Tenant), TextArray([.. tombstones])).ConfigureAwait(false);
        }

        // Erased identities are not logged as removals: that would keep them. Other processes reload instead.
        await _identityLog.ResetIdentityLogAsync(cancellationToken).ConfigureAwait(false);
        _context.Dirty = true;
        if (notice is not null)
        {
            await AppendChangeAsync(notice, cancellationToken).ConfigureAwait(false);
        }

        return new ErasureCounts(profiles, identityCount, records, events, quarantined, outbox);
    }

    private ValueTask<int> CountAsync(string sql, Guid[] profiles, CancellationToken cancellationToken) =>
        _context.ExecuteCountAsync(sql, cancellationToken, Text(_context.Tenant), UuidArray(profiles));
}

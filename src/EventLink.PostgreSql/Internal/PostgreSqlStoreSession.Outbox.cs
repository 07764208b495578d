using EventLink.Storage;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>Change-log appends, tombstones, suppressions and erasure, in the session's transaction.</summary>
internal sealed partial class PostgreSqlStoreSession
{
    private PostgreSqlOutboxSql Outbox => PostgreSqlOutboxSql.For(_sql.Schema);

    public override ValueTask AppendChangeAsync(ChangeRow change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return ExecuteAsync(
            Outbox.AppendChange,
            cancellationToken,
            Text(_tenant),
            new Npgsql.NpgsqlParameter<short> { TypedValue = (short)change.Kind, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Smallint },
            Uuid(change.ProfileId),
            NullableLong(change.EventId),
            NullableText(change.DataJson),
            Timestamp(change.At));
    }

    public override async ValueTask<IReadOnlySet<string>> ReadTombstonesAsync(CancellationToken cancellationToken = default)
    {
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        await using var command = await PrepareAsync(Outbox.ReadTombstones, cancellationToken, Text(_tenant)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            hashes.Add(reader.GetString(0));
        }

        return hashes;
    }

    public override ValueTask AddSuppressionAsync(SuppressionRow suppression, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suppression);
        return ExecuteAsync(
            Outbox.AddSuppression,
            cancellationToken,
            Text(_tenant),
            Text(suppression.Source),
            Text(suppression.RecordId),
            Text(suppression.RecordType),
            Timestamp(suppression.SuppressedAt));
    }

    public override async ValueTask<ErasureCounts> ForgetAsync(Guid? profileId, IReadOnlyList<IdentityKey> identities, IReadOnlyList<string> tombstones, ChangeRow? notice, CancellationToken cancellationToken = default)
    {
        ClearCaches(); // An erasure deletes rows of every kind.
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(tombstones);
        long profiles = 0, identityCount = 0, records = 0, events = 0, quarantined = 0, outbox = 0;
        var sql = Outbox;
        if (profileId is { } root)
        {
            var closure = new List<Guid>();
            await using (var command = await PrepareAsync(sql.Closure, cancellationToken, Text(_tenant), Uuid(root)).ConfigureAwait(false))
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
            await using (var command = await PrepareAsync(sql.QuarantinedWaiting, cancellationToken, Text(_tenant), Text(key.Kind), Text(key.Value)).ConfigureAwait(false))
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
                await ExecuteCountAsync(sql.DeleteEventWaits, cancellationToken, Text(_tenant), ids).ConfigureAwait(false);
                var idsAgain = new Npgsql.NpgsqlParameter<long[]> { TypedValue = [.. waiting], NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint };
                quarantined += await ExecuteCountAsync(sql.DeleteEventsById, cancellationToken, Text(_tenant), idsAgain).ConfigureAwait(false);
            }

            await ExecuteCountAsync(sql.DeleteIdentityWaits, cancellationToken, Text(_tenant), Text(key.Kind), Text(key.Value)).ConfigureAwait(false);
        }

        if (tombstones.Count > 0)
        {
            await ExecuteCountAsync(sql.AddTombstones, cancellationToken, Text(_tenant), TextArray([.. tombstones])).ConfigureAwait(false);
        }

        // Erased identities are not logged as removals: that would keep them. Other processes reload instead.
        await ResetIdentityLogAsync(cancellationToken).ConfigureAwait(false);
        _dirty = true;
        if (notice is not null)
        {
            await AppendChangeAsync(notice, cancellationToken).ConfigureAwait(false);
        }

        return new ErasureCounts(profiles, identityCount, records, events, quarantined, outbox);
    }

    private ValueTask<int> CountAsync(string sql, Guid[] profiles, CancellationToken cancellationToken) =>
        ExecuteCountAsync(sql, cancellationToken, Text(_tenant), UuidArray(profiles));

    private async ValueTask<int> ExecuteCountAsync(string sql, CancellationToken cancellationToken, params Npgsql.NpgsqlParameter[] parameters)
    {
        await using var command = await PrepareAsync(sql, cancellationToken, parameters).ConfigureAwait(false);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

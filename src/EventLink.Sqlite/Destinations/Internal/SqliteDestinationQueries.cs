using EventLink.Sqlite.Internal;
using EventLink.Storage;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Destinations.Internal;

/// <summary>The change log, sync progress, dead letters and suppression counts.</summary>
internal sealed class SqliteDestinationQueries(SqliteEventLinkStore store)
{
    public async ValueTask<IReadOnlyList<ChangeRow>> ReadChangesAsync(string tenant, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return [];
        }

        using var command = scope.Command("SELECT seq, kind, profile_id, event_id, data, at FROM changes WHERE tenant_key = $t AND seq > $after ORDER BY seq LIMIT $limit;");
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$limit", Math.Max(0, limit));
        var rows = new List<ChangeRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new ChangeRow(
                reader.GetInt64(0),
                (ChangeKind)reader.GetInt32(1),
                ToGuid(reader, 2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                ToNullableString(reader, 4),
                ToTime(reader, 5)));
        }

        return rows;
    }

    public async ValueTask<SyncStateRow?> GetSyncStateAsync(string tenant, string sync, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return null;
        }

        using var command = scope.Command("SELECT cursor, retry_seq, attempts, next_attempt_at, last_error FROM sync_state WHERE tenant_key = $t AND sync = $sync;");
        command.Parameters.AddWithValue("$sync", sync);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new SyncStateRow(sync, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : ToTime(reader, 3), ToNullableString(reader, 4))
            : null;
    }

    public async ValueTask SaveSyncStateAsync(string tenant, SyncStateRow state, DeadLetterRow? deadLetter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var session = (SqliteStoreSession)await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            session.SaveSyncState(state, deadLetter);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<IReadOnlyList<DeadLetterRow>> ReadDeadLettersAsync(string tenant, string sync, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return [];
        }

        using var command = scope.Command("SELECT seq, profile_id, idempotency_key, attempts, last_error, dead_at FROM dead_letters WHERE tenant_key = $t AND sync = $sync ORDER BY seq;");
        command.Parameters.AddWithValue("$sync", sync);
        var rows = new List<DeadLetterRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new DeadLetterRow(sync, reader.GetInt64(0), ToGuid(reader, 1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), ToTime(reader, 5)));
        }

        return rows;
    }

    public async ValueTask RemoveDeadLetterAsync(string tenant, string sync, long sequence, CancellationToken cancellationToken = default)
    {
        var session = (SqliteStoreSession)await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            session.RemoveDeadLetter(sync, sequence);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<IReadOnlyDictionary<string, long>> GetSuppressionCountsAsync(string tenant, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (scope is null)
        {
            return counts;
        }

        using var command = scope.Command("SELECT record_type, count(*) FROM suppressions WHERE tenant_key = $t GROUP BY record_type;");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}

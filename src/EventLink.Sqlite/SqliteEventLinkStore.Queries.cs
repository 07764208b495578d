using System.Runtime.CompilerServices;
using System.Text;
using EventLink.Sqlite.Internal;
using EventLink.Storage;
using Microsoft.Data.Sqlite;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite;

/// <summary>Queries: each runs on its own pooled connection, in a read transaction (one consistent snapshot).</summary>
public sealed partial class SqliteEventLinkStore
{
    /// <summary>Merge chains are short; a longer one means a corrupt file, not a deep history.</summary>
    private const int MaxMergeChain = 100_000;

    /// <inheritdoc />
    public override async ValueTask<Guid?> FindProfileIdAsync(string tenant, IdentityKey key, CancellationToken cancellationToken = default)
    {
        using var scope = await BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return null;
        }

        using var command = scope.Command(SqliteReads.FindProfileId);
        command.Parameters.AddWithValue("$kind", key.Kind);
        command.Parameters.AddWithValue("$value", key.Value);
        return command.ExecuteScalar() is byte[] blob ? new Guid(blob, bigEndian: true) : null;
    }

    /// <inheritdoc />
    public override async ValueTask<StoredProfile?> GetProfileAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default)
    {
        using var scope = await BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return null;
        }

        using var command = scope.Command(SqliteReads.GetProfile);
        var id = command.Parameters.Add(new SqliteParameter { ParameterName = "$id", Value = ToBlob(profileId) });
        ProfileRow? profile = null;
        for (var hops = 0; hops < MaxMergeChain; hops++)
        {
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read())
                {
                    break;
                }

                profile = SqliteReads.ReadProfileRow(reader);
            }

            if (profile.MergedInto is not { } next)
            {
                break;
            }

            id.Value = ToBlob(next);
        }

        if (profile is null)
        {
            return null;
        }

        using var profiles = new SqliteProfileReader(scope.Connection, scope.Transaction, scope.TenantKey);
        return profiles.Read(profile);
    }

    /// <inheritdoc />
    public override async ValueTask<Guid?> ResolveProfileIdAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default)
    {
        using var scope = await BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return null;
        }

        var command = scope.Prepared(SqliteReads.MergedInto);
        var id = command.Parameters.Add(new SqliteParameter { ParameterName = "$id" });
        // Follows merged_into as GetProfileAsync does, without reading the profile's identities and attributes.
        Guid? found = null;
        var current = profileId;
        for (var hops = 0; hops < MaxMergeChain; hops++)
        {
            id.Value = ToBlob(current);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                break;
            }

            found = current;
            if (reader.IsDBNull(0))
            {
                break;
            }

            current = ToGuid(reader, 0);
        }

        return found;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<StoredProfile> ReadProfilesAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var scope = await BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            yield break;
        }

        using var profiles = new SqliteProfileReader(scope.Connection, scope.Transaction, scope.TenantKey);
        using var command = scope.Command(SqliteReads.LiveProfiles);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return profiles.Read(SqliteReads.ReadProfileRow(reader));
            }
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<EventRow> ReadTimelineAsync(string tenant, Guid profileId, TimelineQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var scope = await BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            yield break;
        }

        if (query is { From: null, To: null, RecordTypes: null or { Count: 0 }, Sources: null or { Count: 0 }, Limit: null })
        {
            var timeline = scope.Prepared(SqliteReads.Timeline);
            timeline.Parameters.AddWithValue("$profile", ToBlob(profileId));
            using var rows = timeline.ExecuteReader();
            while (rows.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return SqliteReads.ReadEvent(rows);
            }

            yield break;
        }

        using var command = scope.Command(string.Empty);
        var sql = new StringBuilder("SELECT ").Append(SqliteReads.EventColumns)
            .Append(" FROM events WHERE tenant_key = $t AND profile_id = $profile");
        command.Parameters.AddWithValue("$profile", ToBlob(profileId));
        if (query.From is { } from)
        {
            // Stored times are whole microseconds: a bound with finer ticks rounds up, as the comparison would.
            sql.Append(" AND occurred_at >= $from");
            command.Parameters.AddWithValue("$from", CeilingMicros(from));
        }

        if (query.To is { } to)
        {
            sql.Append(" AND occurred_at < $to");
            command.Parameters.AddWithValue("$to", CeilingMicros(to));
        }

        AppendIn(sql, command, "record_type", "$type", query.RecordTypes);
        AppendIn(sql, command, "source", "$source", query.Sources);
        sql.Append(" ORDER BY occurred_at, source, record_id");
        if (query.Limit is { } limit)
        {
            sql.Append(" LIMIT $limit");
            command.Parameters.AddWithValue("$limit", Math.Max(0, limit));
        }

        command.CommandText = sql.Append(';').ToString();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return SqliteReads.ReadEvent(reader);
            }
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<EventRow> ReadEventsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var scope = await BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            yield break;
        }

        using var command = scope.Command(SqliteReads.Events);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return SqliteReads.ReadEvent(reader);
            }
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<QuarantineEntry> ReadQuarantineAsync(string tenant, string? recordType, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var scope = await BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            yield break;
        }

        using var command = scope.Command(SqliteReads.Quarantine(byType: recordType is not null));
        if (recordType is not null)
        {
            command.Parameters.AddWithValue("$type", recordType);
        }

        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return SqliteReads.ReadQuarantineEntry(reader);
            }
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<RejectionRow> ReadRejectionsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var scope = await BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            yield break;
        }

        using var command = scope.Command(SqliteReads.Rejections);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return SqliteReads.ReadRejection(reader);
            }
        }
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<CoverageCounts>> GetCoverageCountsAsync(string tenant, CancellationToken cancellationToken = default)
    {
        using var scope = await BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return [];
        }

        var byType = new SortedDictionary<string, CoverageCounts>(StringComparer.Ordinal);
        using (var command = scope.Command(SqliteReads.Coverage))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var type = reader.GetString(0);
                byType[type] = new CoverageCounts(type, reader.GetInt64(1), reader.GetInt64(2), 0, reader.GetInt64(3));
            }
        }

        using (var command = scope.Command(SqliteReads.RejectionCounts))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var type = reader.GetString(0);
                var rejected = reader.GetInt64(1);
                byType[type] = byType.TryGetValue(type, out var counts)
                    ? counts with { Rejected = rejected }
                    : new CoverageCounts(type, 0, 0, rejected, 0);
            }
        }

        return [.. byType.Values];
    }

    private static void AppendIn(StringBuilder sql, SqliteCommand command, string column, string prefix, IReadOnlyCollection<string>? values)
    {
        if (values is null || values.Count == 0)
        {
            return;
        }

        sql.Append(" AND ").Append(column).Append(" IN (");
        var i = 0;
        foreach (var value in values)
        {
            var name = prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? string.Empty : ", ").Append(name);
            command.Parameters.AddWithValue(name, value);
            i++;
        }

        sql.Append(')');
    }

    /// <summary>Opens a read snapshot of a tenant, or returns <see langword="null"/> when the tenant has never written anything.</summary>
    private async ValueTask<ReadScope?> BeginReadAsync(string tenant, CancellationToken cancellationToken)
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

            return new ReadScope(this, reader, transaction, key);
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
    private void ReturnReader(SqliteReadConnection reader)
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

    /// <summary>A read connection, its snapshot transaction, and the tenant key every statement is scoped by.</summary>
    private sealed class ReadScope(SqliteEventLinkStore store, SqliteReadConnection reader, SqliteTransaction transaction, long tenantKey) : IDisposable
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
}

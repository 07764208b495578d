using System.Runtime.CompilerServices;
using EventLink.Storage;
using Npgsql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// A session of the PostgreSQL store: one connection and one transaction that holds the tenant's advisory lock,
/// so writers of a tenant take turns across processes. Every statement is prepared (Npgsql keeps prepared
/// statements per physical connection, so a pooled connection prepares each one once).
/// </summary>
internal sealed partial class PostgreSqlStoreSession : EventLinkStoreSession
{
    private readonly PostgreSqlSql _sql;
    private readonly string _tenant;
    private readonly int _bulkThreshold;
    private readonly long _identityLogFrom;
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private bool _dirty;
    private bool _stagingReady;
    private bool _committed;
    private bool _removalsLogged;
    private bool _appendOnly;

    /// <summary>The most writes deferred before they are sent (a bound on the batch the server is sent at once).</summary>
    private const int MaxDeferred = 2_000;

    private readonly List<(NpgsqlBatchCommand Command, bool Counted)> _pending = [];

    private PostgreSqlStoreSession(PostgreSqlSql sql, string tenant, int bulkThreshold, NpgsqlConnection connection, NpgsqlTransaction transaction, long version, long identityLogFrom)
    {
        _sql = sql;
        _tenant = tenant;
        _bulkThreshold = bulkThreshold;
        _connection = connection;
        _transaction = transaction;
        Version = version;
        _identityLogFrom = identityLogFrom;
    }

    public override long Version { get; }

    private NpgsqlConnection Connection => _connection ?? throw new ObjectDisposedException(nameof(PostgreSqlStoreSession));

    public static async ValueTask<PostgreSqlStoreSession> BeginAsync(NpgsqlDataSource dataSource, PostgreSqlSql sql, string tenant, int bulkThreshold, StoreSessionMode mode, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

            // The lock is held until commit or rollback; each later statement (read committed) sees everything the
            // previous holder committed. Append-only sessions share it: they change nothing another one reads.
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    // Row-level security: the tenant this transaction may see (defence in depth; every statement also filters by tenant).
                    BatchCommand(PostgreSqlRowSecurity.SetTenantLocal, Text(tenant)),
                    BatchCommand(mode == StoreSessionMode.AppendOnly ? sql.LockShared : sql.Lock, Text(tenant), Text(sql.Schema)),
                    BatchCommand(sql.EnsureTenant, Text(tenant)),
                },
            };
            await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
            long version, identityLogFrom;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) ||
                    !await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) ||
                    !await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"The tenant row of '{tenant}' is missing.");
                }

                version = reader.GetInt64(0);
                identityLogFrom = reader.GetInt64(1);
            }

            return new PostgreSqlStoreSession(sql, tenant, bulkThreshold, connection, transaction, version, identityLogFrom)
            {
                _appendOnly = mode == StoreSessionMode.AppendOnly,
            };
        }
        catch
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async IAsyncEnumerable<KeyValuePair<IdentityKey, Guid>> ReadIdentityIndexAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = await PrepareAsync(_sql.ReadIdentityIndex, cancellationToken, Text(_tenant)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new(new IdentityKey(reader.GetString(0), reader.GetString(1)), reader.GetGuid(2));
        }
    }

    public override async ValueTask<ProfileRow?> GetProfileAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        if (_profiles.TryGetValue(profileId, out var cached))
        {
            return cached;
        }

        await using var command = await PrepareAsync(_sql.GetProfileRow, cancellationToken, Text(_tenant), Uuid(profileId)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadProfile(reader) : null;
    }

    public override ValueTask CreateProfileAsync(ProfileRow profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        profile = profile with { CreatedAt = TimestampReader.Normalize(profile.CreatedAt) };

        // A new profile's records are all written by this session from here on: its list is complete.
        _profiles[profile.Id] = profile;
        _profileRecords[profile.Id] = [];
        _newProfiles.Add(profile);
        _buffered = true;
        _dirty = true;
        return ValueTask.CompletedTask;
    }

    public override ValueTask AddIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        BufferIdentity(identity);
        return ValueTask.CompletedTask;
    }

    /// <summary>Buffers an identity's row (inserted, or replacing the one stored).</summary>
    private void BufferIdentity(IdentityRow identity)
    {
        _identityWrites[identity.Key] = identity;
        _buffered = true;
        _dirty = true;
    }

    /// <summary>The parameters of an identity row, in the order the identity statements take them (tenant first).</summary>
    private NpgsqlParameter[] IdentityParameters(IdentityRow identity) =>
    [
        Text(_tenant),
        Text(identity.Key.Kind),
        Text(identity.Key.Value),
        Uuid(identity.ProfileId),
        Text(identity.Source),
        Text(identity.RecordType),
        Text(identity.RecordId),
        Timestamp(identity.FirstSeenAt),
        Long(ChangedVersion),
    ];

    public override async ValueTask<IReadOnlyList<IdentityRow>> GetIdentitiesAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        var rows = new List<IdentityRow>();
        await using var command = await PrepareAsync(_sql.GetIdentities, cancellationToken, Text(_tenant), Uuid(profileId)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ReadIdentity(reader));
        }

        rows.Sort((a, b) => a.Key.CompareTo(b.Key));
        return rows;
    }

    public override async ValueTask<SourceRecordRow?> GetSourceRecordAsync(string source, string recordId, CancellationToken cancellationToken = default)
    {
        if (_records.TryGetValue((source, recordId), out var cached))
        {
            return cached;
        }

        await using var command = await PrepareAsync(_sql.GetSourceRecord, cancellationToken, Text(_tenant), Text(source), Text(recordId)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadSourceRecord(reader) : null;
    }

    public override ValueTask UpsertSourceRecordAsync(SourceRecordRow record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        CacheSourceRecord(record);
        _recordWrites[(record.Source, record.RecordId)] = record;
        _buffered = true;
        _dirty = true;
        return ValueTask.CompletedTask;
    }

    public override async ValueTask<IReadOnlyList<SourceRecordRow>> GetSourceRecordsAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        if (_profileRecords.TryGetValue(profileId, out var cached))
        {
            return [.. cached.Values];
        }

        var rows = new List<SourceRecordRow>();
        await using var command = await PrepareAsync(_sql.GetSourceRecords, cancellationToken, Text(_tenant), Uuid(profileId)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ReadSourceRecord(reader));
        }

        return rows;
    }

    public override ValueTask ReplaceAttributesAsync(Guid profileId, IReadOnlyList<AttributeRow> attributes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        _attributeWrites[profileId] = [.. attributes];
        _buffered = true;
        _dirty = true;
        return ValueTask.CompletedTask;
    }

    public override async ValueTask<long?> TryInsertEventAsync(EventRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        await using var command = await PrepareAsync(
            _sql.InsertEvent,
            cancellationToken,
            Text(_tenant),
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
        if (_events.ContainsKey((row.Source, row.RecordId)))
        {
            _events[(row.Source, row.RecordId)] = true;
        }

        if (id is long value)
        {
            _dirty = true;
            return value;
        }

        return null;
    }

    public override async ValueTask SetWaitsAsync(long eventId, IReadOnlyList<EventWait> waits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(waits);
        CacheWaits(eventId, waits);
        await using var batch = new NpgsqlBatch(Connection, _transaction);
        batch.BatchCommands.Add(BatchCommand(_sql.DeleteWaits, Text(_tenant), Long(eventId)));
        if (waits.Count > 0)
        {
            batch.BatchCommands.Add(BatchCommand(
                _sql.InsertWaits,
                Text(_tenant),
                Long(eventId),
                TextArray([.. waits.Select(w => w.Key.Kind)]),
                TextArray([.. waits.Select(w => w.Key.Value)]),
                IntArray([.. waits.Select(w => w.RelationIndex)])));
        }

        await Defer(batch, counted: false, cancellationToken, seal: false).ConfigureAwait(false);
    }

    public override async ValueTask<IReadOnlyList<PendingLink>> GetWaitsAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        if (TryGetCachedWaits(key, out var cached))
        {
            return cached;
        }

        var rows = new List<PendingLink>();
        await using var command = await PrepareAsync(_sql.GetWaits, cancellationToken, Text(_tenant), Text(key.Kind), Text(key.Value)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new PendingLink(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return rows;
    }

    public override async ValueTask LinkEventAsync(long eventId, Guid profileId, int relationIndex, CancellationToken cancellationToken = default)
    {
        if (_linkIndex.ContainsKey(eventId))
        {
            _linkIndex[eventId] = relationIndex;
        }

        DropCachedWaits(eventId, relationIndex);
        await using var batch = new NpgsqlBatch(Connection, _transaction)
        {
            BatchCommands =
            {
                BatchCommand(_sql.LinkEvent, Text(_tenant), Long(eventId), Uuid(profileId), Int(relationIndex)),
                BatchCommand(_sql.DropWaitsFrom, Text(_tenant), Long(eventId), Int(relationIndex)),
            },
        };
        await Defer(batch, counted: false, cancellationToken, seal: false).ConfigureAwait(false);
    }

    public override ValueTask SetQuarantineAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default) =>
        Defer(BatchCommand(_sql.SetQuarantine, Text(_tenant), Long(eventId), Reason(reason), Text(message)), counted: false, cancellationToken, seal: false);

    public override async ValueTask MergeProfilesAsync(MergeRow merge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(merge);

        CacheMerge(merge.MergedId, merge.SurvivorId);
        await using var batch = new NpgsqlBatch(Connection, _transaction);
        batch.BatchCommands.Add(BatchCommand(_sql.MergeIdentities, Text(_tenant), Uuid(merge.MergedId), Uuid(merge.SurvivorId), Long(ChangedVersion)));
        foreach (var sql in _sql.MergeStatements)
        {
            batch.BatchCommands.Add(BatchCommand(sql, Text(_tenant), Uuid(merge.MergedId), Uuid(merge.SurvivorId)));
        }

        batch.BatchCommands.Add(InsertHistoryCommand(merge));
        await ExecuteAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The statement appending an entry (a merge or a split) to the history of its survivor.</summary>
    private NpgsqlBatchCommand InsertHistoryCommand(MergeRow entry) => BatchCommand(
        _sql.InsertMerge,
        Text(_tenant),
        Uuid(entry.SurvivorId),
        Uuid(entry.MergedId),
        Text(entry.Identity.Kind),
        Text(entry.Identity.Value),
        Text(entry.Source),
        Text(entry.RecordType),
        Text(entry.RecordId),
        Timestamp(entry.MergedAt),
        Smallint((short)entry.Kind));

    public override async ValueTask AddRejectionAsync(RejectionRow rejection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        await using var command = await PrepareAsync(
            _sql.AddRejection,
            cancellationToken,
            Text(_tenant),
            Text(rejection.Source),
            Text(rejection.RecordType),
            Text(rejection.Key),
            Reason(rejection.Reason),
            Text(rejection.Message),
            Timestamp(rejection.RejectedAt)).ConfigureAwait(false);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
            _dirty = true;
        }
    }

    public override async ValueTask<long> CommitAsync(CancellationToken cancellationToken = default)
    {
        var transaction = _transaction ?? throw new ObjectDisposedException(nameof(PostgreSqlStoreSession));
        if (_committed)
        {
            throw new InvalidOperationException("The session is already committed.");
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var version = Version;

        // An append-only session changed no identity: the version (what other processes' indexes follow) stays.
        if (_dirty && !_appendOnly)
        {
            await CompactIdentityLogAsync(cancellationToken).ConfigureAwait(false);
            await using var command = await PrepareAsync(_sql.BumpVersion, cancellationToken, Text(_tenant)).ConfigureAwait(false);
            version = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The tenant row of '{_tenant}' is missing."));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _committed = true;
        return version;
    }

    public override async ValueTask DisposeAsync()
    {
        var transaction = _transaction;
        var connection = _connection;
        _transaction = null;
        _connection = null;
        try
        {
            if (transaction is not null)
            {
                // Rolls back (and so releases the tenant's lock) unless committed.
                await transaction.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<NpgsqlCommand> PrepareAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        // Whatever runs now must see the writes deferred before it.
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var command = Command(Connection, _transaction, sql, parameters);
        try
        {
            await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            return command;
        }
        catch
        {
            await command.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Defers a statement that always counts as a change (see <see cref="Defer(NpgsqlBatchCommand, bool, CancellationToken, bool)"/>).</summary>
    private ValueTask ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters) =>
        Defer(BatchCommand(sql, parameters), counted: false, cancellationToken);

    /// <summary>Defers the statements of a batch that always count as a change, and empties the batch.</summary>
    private ValueTask ExecuteAsync(NpgsqlBatch batch, CancellationToken cancellationToken) => Defer(batch, counted: false, cancellationToken);

    /// <summary>Moves a batch's statements to the deferred writes (in order) and empties the batch.</summary>
    private async ValueTask Defer(NpgsqlBatch batch, bool counted, CancellationToken cancellationToken, bool seal = true)
    {
        var commands = batch.BatchCommands.Cast<NpgsqlBatchCommand>().ToArray();
        batch.BatchCommands.Clear();
        foreach (var command in commands)
        {
            await Defer(command, counted, cancellationToken, seal).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Queues a write that returns nothing. Deferred writes go to the server together, in order, in one round trip,
    /// before the next statement that reads (or returns something) and before commit: a batch of merged records costs
    /// a few round trips, not one per write. A <paramref name="counted"/> write counts as a change only when it changes a row.
    /// </summary>
    /// <param name="command">The statement.</param>
    /// <param name="counted">Whether it counts as a change only when it changes a row.</param>
    /// <param name="cancellationToken">Cancels a flush the statement triggers.</param>
    /// <param name="seal">
    /// Whether the statement may touch a table the write buffers hold rows for (see <see cref="SealBuffers"/>): those
    /// rows are then sent before it. Only statements about events and their waits pass <see langword="false"/>.
    /// </param>
    private ValueTask Defer(NpgsqlBatchCommand command, bool counted, CancellationToken cancellationToken, bool seal = true)
    {
        if (seal)
        {
            SealBuffers();
        }

        AddDeferred(command, counted);
        return _pending.Count >= MaxDeferred ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    private void AddDeferred(NpgsqlBatchCommand command, bool counted)
    {
        _pending.Add((command, counted));
        if (!counted)
        {
            _dirty = true;
        }
    }

    /// <summary>Sends the deferred writes, in order, in one round trip.</summary>
    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        SealBuffers();
        if (_pending.Count == 0 && _pendingEvents.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(Connection, _transaction);
        if (_pendingEvents.Count > 0)
        {
            // First: every deferred statement about an event comes after the event's insert.
            batch.BatchCommands.Add(InsertPendingEventsCommand());
        }

        foreach (var (command, _) in _pending)
        {
            batch.BatchCommands.Add(command);
        }

        try
        {
            await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (command, counted) in _pending)
            {
                if (counted && command.RecordsAffected > 0)
                {
                    _dirty = true;
                }
            }
        }
        finally
        {
            // A failed flush fails the session (the transaction is aborted): nothing is sent twice.
            _pending.Clear();
            _pendingEvents.Clear();
            ClearBuffers();
        }
    }
}

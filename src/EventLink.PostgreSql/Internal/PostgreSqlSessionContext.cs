using Npgsql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// What the parts of a <see cref="PostgreSqlStoreSession"/> share: its connection and transaction (which hold the
/// tenant's advisory lock), the tenant, the SQL, whether the session changed something, the working set
/// (<see cref="Cache"/>), the write buffers (<see cref="Buffers"/>) and the queue of deferred writes.
/// </summary>
internal sealed class PostgreSqlSessionContext
{
    /// <summary>The most writes deferred before they are sent (a bound on the batch the server is sent at once).</summary>
    private const int MaxDeferred = 2_000;

    private readonly List<(NpgsqlBatchCommand Command, bool Counted)> _pending = [];
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;

    public PostgreSqlSessionContext(PostgreSqlSql sql, string tenant, NpgsqlConnection connection, NpgsqlTransaction transaction, long version)
    {
        Sql = sql;
        Tenant = tenant;
        _connection = connection;
        _transaction = transaction;
        Version = version;
        Cache = new PostgreSqlSessionCache(this);
        Buffers = new PostgreSqlWriteBuffers(this);
    }

    public PostgreSqlSql Sql { get; }

    public string Tenant { get; }

    /// <summary>Gets the tenant's version when the session began.</summary>
    public long Version { get; }

    /// <summary>Gets the version this session's commit produces, carried by every identity it writes.</summary>
    public long ChangedVersion => Version + 1;

    /// <summary>Gets or sets whether the session changed something (its commit then bumps the tenant's version).</summary>
    public bool Dirty { get; set; }

    /// <summary>Gets or sets whether the session logged identity removals (its commit then compacts the log).</summary>
    public bool RemovalsLogged { get; set; }

    public PostgreSqlSessionCache Cache { get; }

    public PostgreSqlWriteBuffers Buffers { get; }

    public NpgsqlConnection Connection => _connection ?? throw new ObjectDisposedException(nameof(PostgreSqlStoreSession));

    /// <summary>Gets the session's transaction, or <see langword="null"/> once the session is disposed.</summary>
    public NpgsqlTransaction? Transaction => _transaction;

    /// <summary>Ends the session: rolls back unless committed (which releases the tenant's lock), then closes the connection.</summary>
    public async ValueTask DisposeAsync()
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

    public async ValueTask<NpgsqlCommand> PrepareAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
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
    public ValueTask ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters) =>
        Defer(BatchCommand(sql, parameters), counted: false, cancellationToken);

    /// <summary>Defers the statements of a batch that always count as a change, and empties the batch.</summary>
    public ValueTask ExecuteAsync(NpgsqlBatch batch, CancellationToken cancellationToken) => Defer(batch, counted: false, cancellationToken);

    /// <summary>Defers a statement that counts as a change only when it changes a row.</summary>
    public ValueTask ExecuteCountedAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters) =>
        Defer(BatchCommand(sql, parameters), counted: true, cancellationToken);

    /// <summary>Runs a statement now (after the deferred writes) and returns the number of rows it changed.</summary>
    public async ValueTask<int> ExecuteCountAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = await PrepareAsync(sql, cancellationToken, parameters).ConfigureAwait(false);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves a batch's statements to the deferred writes (in order) and empties the batch.</summary>
    public async ValueTask Defer(NpgsqlBatch batch, bool counted, CancellationToken cancellationToken, bool seal = true)
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
    /// Whether the statement may touch a table the write buffers hold rows for (see <see cref="PostgreSqlWriteBuffers.Seal"/>): those
    /// rows are then sent before it. Only statements about events and their waits pass <see langword="false"/>.
    /// </param>
    public ValueTask Defer(NpgsqlBatchCommand command, bool counted, CancellationToken cancellationToken, bool seal = true)
    {
        if (seal)
        {
            Buffers.Seal();
        }
        else
        {
            // A statement about events comes after the links and waits buffered before it.
            Buffers.Links.Seal();
        }

        AddDeferred(command, counted);
        return _pending.Count >= MaxDeferred ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    public void AddDeferred(NpgsqlBatchCommand command, bool counted)
    {
        _pending.Add((command, counted));
        if (!counted)
        {
            Dirty = true;
        }
    }

    /// <summary>Sends the deferred writes, in order, in one round trip.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Buffers.Seal();
        if (_pending.Count == 0 && !Cache.Events.HasPendingEvents)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(Connection, _transaction);
        AddDeferredTo(batch);
        try
        {
            await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            CountDeferredChanges();
        }
        finally
        {
            ClearDeferred();
        }
    }

    /// <summary>
    /// Runs a read in the same round trip as the deferred writes, which go first, in order (they return no rows, so the
    /// reader starts on the read's), and returns what <paramref name="read"/> makes of its rows.
    /// </summary>
    public async ValueTask<T> ReadAfterDeferredAsync<T>(string sql, NpgsqlParameter[] parameters, Func<NpgsqlDataReader, CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken)
    {
        Buffers.Seal();
        var deferred = _pending.Count > 0 || Cache.Events.HasPendingEvents;
        await using var batch = new NpgsqlBatch(Connection, _transaction);
        if (deferred)
        {
            AddDeferredTo(batch);
        }

        batch.BatchCommands.Add(BatchCommand(sql, parameters));
        try
        {
            await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
            T result;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                result = await read(reader, cancellationToken).ConfigureAwait(false);
            }

            CountDeferredChanges();
            return result;
        }
        finally
        {
            if (deferred)
            {
                ClearDeferred();
            }
        }
    }

    /// <summary>Adds the deferred writes to a batch: the pending events' insert first (every deferred statement about an event comes after it), then the statements in order.</summary>
    private void AddDeferredTo(NpgsqlBatch batch)
    {
        if (Cache.Events.HasPendingEvents)
        {
            batch.BatchCommands.Add(Cache.Events.InsertPendingEventsCommand());
        }

        foreach (var (command, _) in _pending)
        {
            batch.BatchCommands.Add(command);
        }
    }

    /// <summary>Marks the session changed when a counted deferred write changed a row.</summary>
    private void CountDeferredChanges()
    {
        foreach (var (command, counted) in _pending)
        {
            if (counted && command.RecordsAffected > 0)
            {
                Dirty = true;
            }
        }
    }

    /// <summary>Forgets the deferred writes once sent (a failed send fails the session, whose transaction is aborted: nothing is sent twice).</summary>
    private void ClearDeferred()
    {
        _pending.Clear();
        Cache.Events.ClearPendingEvents();
        Buffers.Clear();
    }
}

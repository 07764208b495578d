using EventLink.PostgreSql.Destinations.Internal;
using EventLink.PostgreSql.IdentityGraph.Internal;
using EventLink.PostgreSql.Internal;
using EventLink.PostgreSql.Quality.Internal;
using EventLink.PostgreSql.Traits.Internal;
using EventLink.Storage;
using Npgsql;

namespace EventLink.PostgreSql;

/// <summary>
/// Keeps EventLink's profiles, identities and linked events in PostgreSQL tables in one schema
/// (<see cref="PostgreSqlEventLinkStoreOptions.Schema"/>), every row scoped by tenant. Several processes can share
/// the same tables: writers of one tenant take turns through a transaction-scoped advisory lock, so each identity
/// belongs to exactly one profile and each event is stored and linked once, whichever process ingests it.
/// </summary>
/// <remarks>
/// <see cref="InitializeAsync"/> creates or migrates the schema (once, under an advisory lock, so processes may
/// start together). Payloads are kept as received and also as <c>jsonb</c> for querying.
/// </remarks>
public sealed partial class PostgreSqlEventLinkStore : EventLinkStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgreSqlSql _sql;
    private readonly int _bulkThreshold;
    private readonly PostgreSqlProfileQueries _profileQueries;
    private readonly PostgreSqlGraphQueries _graphQueries;
    private readonly PostgreSqlOutboxQueries _outboxQueries;
    private readonly PostgreSqlQualityQueries _qualityQueries;
    private readonly PostgreSqlTraitsQueries _traitsQueries;

    /// <summary>Creates a store from options.</summary>
    /// <param name="options">The options: a connection string or a data source, and the schema.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid (no connection, or a schema that is not a plain identifier).</exception>
    public PostgreSqlEventLinkStore(PostgreSqlEventLinkStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.DataSource is { } dataSource)
        {
            _dataSource = dataSource;
        }
        else
        {
            _dataSource = NpgsqlDataSource.Create(options.ConnectionString!);
            _ownsDataSource = true;
        }

        Schema = options.Schema;
        _sql = new PostgreSqlSql(options.Schema);
        _bulkThreshold = options.BulkInsertThreshold;
        _profileQueries = new PostgreSqlProfileQueries(_dataSource, _sql);
        _graphQueries = new PostgreSqlGraphQueries(_dataSource, _sql);
        _outboxQueries = new PostgreSqlOutboxQueries(_dataSource, _sql);
        _qualityQueries = new PostgreSqlQualityQueries(_dataSource, _sql);
        _traitsQueries = new PostgreSqlTraitsQueries(_dataSource, _sql);
    }

    /// <summary>Creates a store over a connection string.</summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="schema">The schema holding the tables.</param>
    /// <exception cref="ArgumentException">The connection string is empty, or the schema is not a plain identifier.</exception>
    public PostgreSqlEventLinkStore(string connectionString, string schema = PostgreSqlEventLinkStoreOptions.DefaultSchema)
        : this(new PostgreSqlEventLinkStoreOptions { ConnectionString = connectionString, Schema = schema })
    {
    }

    /// <summary>Creates a store over a data source, which it does not dispose.</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="schema">The schema holding the tables.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The schema is not a plain identifier.</exception>
    public PostgreSqlEventLinkStore(NpgsqlDataSource dataSource, string schema = PostgreSqlEventLinkStoreOptions.DefaultSchema)
        : this(new PostgreSqlEventLinkStoreOptions { DataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource)), Schema = schema })
    {
    }

    /// <summary>Gets the schema holding the store's tables.</summary>
    public string Schema { get; }

    /// <summary>Gets the schema version this package creates and understands.</summary>
    public static int SchemaVersion => PostgreSqlMigrations.LatestVersion;

    /// <inheritdoc />
    /// <value>Every capability: the store implements the whole contract.</value>
    public override StoreCapabilities Capabilities => StoreCapabilityGuard.All;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The schema was migrated by a newer version of this package.</exception>
    /// <exception cref="NpgsqlException">The database cannot be reached or refused a statement.</exception>
    public override ValueTask InitializeAsync(CancellationToken cancellationToken = default) =>
        PostgreSqlMigrations.MigrateAsync(_dataSource, Schema, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<EventLinkStoreSession> BeginAsync(string tenant, CancellationToken cancellationToken = default) =>
        BeginAsync(tenant, StoreSessionMode.Exclusive, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Sessions of a tenant hold its advisory lock until they end: exclusively, or shared by
    /// <see cref="StoreSessionMode.AppendOnly"/> sessions, which then write side by side (across processes too).
    /// </remarks>
    public override async ValueTask<EventLinkStoreSession> BeginAsync(string tenant, StoreSessionMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return await PostgreSqlStoreSession.BeginAsync(_dataSource, _sql, tenant, _bulkThreshold, mode, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>A deadlock between writers (40P01) or a serialization failure (40001) rolled the transaction back whole.</remarks>
    public override bool IsTransient(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}

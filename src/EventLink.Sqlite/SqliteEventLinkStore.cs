using System.Collections.Concurrent;
using EventLink.Sqlite.Internal;
using EventLink.Storage;
using Microsoft.Data.Sqlite;

namespace EventLink.Sqlite;

/// <summary>
/// An <see cref="EventLinkStore"/> in one SQLite file: durable (a committed batch is on disk), shared safely by
/// several processes (one writer per file at a time, readers never blocked, thanks to WAL mode), and idempotent
/// (an event's source and record id are unique, so re-ingesting a file never duplicates it).
/// </summary>
/// <remarks>
/// Writes go through one connection per store instance, in <c>BEGIN IMMEDIATE</c> transactions that take SQLite's
/// write lock; queries use their own pooled connections and read a consistent snapshot.
/// </remarks>
public sealed partial class SqliteEventLinkStore : EventLinkStore
{
    private readonly string _connectionString;
    private readonly SqliteEventLinkStoreOptions _options;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentDictionary<string, long> _tenantKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SqliteReadConnection> _idleReaders = new();
    private SqliteWriter? _writer;
    private volatile bool _initialized;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="SqliteEventLinkStore"/> class.</summary>
    /// <param name="options">The options; the store keeps a copy of their values.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid (no data source, an in-memory database, a negative timeout).</exception>
    public SqliteEventLinkStore(SqliteEventLinkStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("SqliteEventLinkStoreOptions.ConnectionString must name a database file.", nameof(options));
        }

        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"SqliteEventLinkStoreOptions.ConnectionString is not a valid SQLite connection string: {ex.Message}", nameof(options), ex);
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new ArgumentException("The SQLite store needs a database file: an in-memory database is not supported.", nameof(options));
        }

        if (builder.Mode == SqliteOpenMode.ReadOnly)
        {
            throw new ArgumentException("The SQLite store writes to its database: a read-only connection string is not supported.", nameof(options));
        }

        if (options.BusyTimeout < TimeSpan.Zero || options.BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentException($"SqliteEventLinkStoreOptions.BusyTimeout must be between zero and {int.MaxValue} ms (was {options.BusyTimeout}).", nameof(options));
        }

        if (options.CacheSizeKibibytes < 0)
        {
            throw new ArgumentException($"SqliteEventLinkStoreOptions.CacheSizeKibibytes must not be negative (was {options.CacheSizeKibibytes}).", nameof(options));
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            throw new ArgumentException($"SqliteEventLinkStoreOptions.Synchronous has an unknown value ({options.Synchronous}).", nameof(options));
        }

        // Microsoft.Data.Sqlite retries busy statements up to the command timeout, so it follows the busy timeout.
        builder.DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);
        _connectionString = builder.ToString();
        _options = new SqliteEventLinkStoreOptions
        {
            ConnectionString = options.ConnectionString,
            Synchronous = options.Synchronous,
            BusyTimeout = options.BusyTimeout,
            CacheSizeKibibytes = options.CacheSizeKibibytes,
        };
    }

    /// <summary>Gets the newest schema version this library creates and reads.</summary>
    public static long SchemaVersion => SqliteMigrations.LatestVersion;

    /// <inheritdoc />
    /// <value>Every capability: the store implements the whole contract.</value>
    public override StoreCapabilities Capabilities => StoreCapabilityGuard.All;

    /// <inheritdoc />
    /// <exception cref="SqliteSchemaVersionException">The file was written by a newer version of EventLink.Sqlite.</exception>
    /// <exception cref="DirectoryNotFoundException">The database file's directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The database file is read-only.</exception>
    public override async ValueTask InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_initialized)
        {
            return;
        }

        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_initialized)
            {
                CheckDirectory();
                using var connection = Open(writer: true);
                SqliteMigrations.Apply(connection);
                _initialized = true;
            }
        }
        finally
        {
            _initGate.Release();
        }
    }

    /// <summary>Fails with a message naming the path when the database file's directory is missing or not writable.</summary>
    private void CheckDirectory()
    {
        var dataSource = new SqliteConnectionStringBuilder(_connectionString).DataSource;
        if (dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var path = Path.GetFullPath(dataSource);
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The SQLite database '{path}' cannot be created: its directory '{directory}' does not exist.");
        }

        if (File.Exists(path) ? new FileInfo(path).IsReadOnly : new DirectoryInfo(directory).Attributes.HasFlag(FileAttributes.ReadOnly))
        {
            throw new UnauthorizedAccessException($"The SQLite database '{path}' is read-only: the store writes to it (and to its -wal and -shm files beside it).");
        }
    }

    /// <inheritdoc />
    public override async ValueTask<EventLinkStoreSession> BeginAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer ??= new SqliteWriter(Open(writer: true));
            return SqliteStoreSession.Begin(this, _writer, tenant);
        }
        catch
        {
            _writeGate.Release();
            throw;
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        // Waits for a running session to end, so its connection is not closed under it.
        await _writeGate.WaitAsync().ConfigureAwait(false);
        ReleaseConnections();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _writeGate.Wait();
        ReleaseConnections();
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the connections; called holding the write gate, which it releases.</summary>
    private void ReleaseConnections()
    {
        try
        {
            _disposed = true;
            _writer?.Dispose();
            _writer = null;
            DisposeIdleReaders();
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    internal void ReleaseWriter() => _writeGate.Release();

    internal void RememberTenant(string tenant, long key) => _tenantKeys[tenant] = key;

    private SqliteConnection Open(bool writer)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            var busy = (long)_options.BusyTimeout.TotalMilliseconds;
            var cache = -(long)_options.CacheSizeKibibytes;
            pragmas.CommandText = writer
                ? $"PRAGMA busy_timeout = {busy}; PRAGMA cache_size = {cache}; PRAGMA synchronous = {SynchronousValue(_options.Synchronous)};"
                : $"PRAGMA busy_timeout = {busy}; PRAGMA cache_size = {cache};";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static string SynchronousValue(SqliteSynchronousMode mode) => mode switch
    {
        SqliteSynchronousMode.Off => "OFF",
        SqliteSynchronousMode.Normal => "NORMAL",
        SqliteSynchronousMode.Extra => "EXTRA",
        _ => "FULL",
    };
}

using System.Collections.Concurrent;
using System.Diagnostics;
using EventLink.Storage;
using Microsoft.Extensions.Logging;

namespace EventLink.Internal;

/// <summary>
/// The engine: owns the schema, the store, and one in-memory identity index per tenant. All linking logic
/// lives here, on top of the store's primitives, so every store behaves identically.
/// </summary>
internal sealed partial class EventLinkCore : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TenantState> _tenants = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private readonly bool _ownsStore;
    private const int MaxAttempts = 3;
    private readonly Lock _idLock = new();
    private Guid _lastProfileId;
    private volatile bool _initialized;

    public EventLinkCore(
        EventLinkSchema schema,
        EventLinkStore store,
        EventLinkOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        EventLinkMetrics metrics,
        bool ownsStore)
    {
        Schema = schema;
        Store = store;
        Options = options;
        Time = timeProvider;
        Logger = logger;
        Metrics = metrics;
        _ownsStore = ownsStore;
    }

    public EventLinkSchema Schema { get; }

    public EventLinkStore Store { get; }

    public EventLinkOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public EventLinkMetrics Metrics { get; }

    public async ValueTask EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_initialized)
            {
                await Store.InitializeAsync(cancellationToken).ConfigureAwait(false);
                _initialized = true;
            }
        }
        finally
        {
            _initGate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> inside one store session of the tenant, with the tenant's identity index current; commits on success.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="work">The work.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <param name="commit">Whether to commit; a read-only unit of work (a preview) passes <see langword="false"/> and changes nothing.</param>
    /// <param name="mode">What the work writes: an append-only unit of work may run beside those of other processes.</param>
    public async ValueTask<T> WriteAsync<T>(string tenant, Func<Batch, ValueTask<T>> work, CancellationToken cancellationToken, bool commit = true, StoreSessionMode mode = StoreSessionMode.Exclusive)
    {
        // A transient failure (writers of a tenant in a deadlock, say) rolled everything back: the same work runs again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteOnceAsync(tenant, work, cancellationToken, commit, mode).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < MaxAttempts && ex is not OperationCanceledException && Store.IsTransient(ex))
            {
                Log.BatchRetried(Logger, ex, tenant, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 50) * attempt), Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<T> WriteOnceAsync<T>(string tenant, Func<Batch, ValueTask<T>> work, CancellationToken cancellationToken, bool commit, StoreSessionMode mode)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var state = _tenants.GetOrAdd(tenant, static _ => new TenantState());
        var started = Stopwatch.GetTimestamp();
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var session = await Store.BeginAsync(tenant, mode, cancellationToken).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                try
                {
                    var index = await GetIndexAsync(tenant, state, session, cancellationToken).ConfigureAwait(false);
                    var batch = new Batch(this, tenant, session, index, TimestampReader.Normalize(Time.GetUtcNow()));
                    var result = await work(batch).ConfigureAwait(false);
                    if (commit)
                    {
                        await FlushTraitsAsync(batch, cancellationToken).ConfigureAwait(false); // Traits hook (EventLinkCore.Traits.cs).
                        index.Version = await session.CommitAsync(cancellationToken).ConfigureAwait(false);
                    }

                    return result;
                }
                catch (Exception ex)
                {
                    // The index may hold changes the store just rolled back: rebuild it on next use.
                    state.Index = null;
                    if (ex is not OperationCanceledException)
                    {
                        Log.BatchFailed(Logger, ex, tenant);
                    }

                    throw;
                }
            }
        }
        finally
        {
            state.Gate.Release();
            Metrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsStore)
        {
            await Store.DisposeAsync().ConfigureAwait(false);
        }

        Metrics.Dispose();
    }

    private async ValueTask<IdentityIndex> GetIndexAsync(string tenant, TenantState state, EventLinkStoreSession session, CancellationToken cancellationToken)
    {
        if (state.Index is { } current)
        {
            if (current.Version == session.Version)
            {
                return current;
            }

            // Another process committed since: apply what it changed. A failed batch left no index (see WriteAsync),
            // and if this fails part-way the same catch drops the half-refreshed one.
            if (current.Version < session.Version && session.ReadIdentityChangesAsync(current.Version, cancellationToken) is { } changes)
            {
                await RefreshIndexAsync(tenant, current, session.Version, changes, cancellationToken).ConfigureAwait(false);
                return current;
            }
        }

        // First use, a failed batch, or changes the store cannot tell: the store is the authority.
        var index = new IdentityIndex { Version = session.Version };
        long rows = 0;
        await foreach (var (key, profileId) in session.ReadIdentityIndexAsync(cancellationToken).ConfigureAwait(false))
        {
            index.Set(key, profileId);
            rows++;
        }

        state.Index = index;
        Metrics.IndexRowsRead.Add(rows, new KeyValuePair<string, object?>("refresh", "full"));
        Log.IndexLoaded(Logger, index.Count, tenant, session.Version);
        return index;
    }

    private async ValueTask RefreshIndexAsync(string tenant, IdentityIndex index, long version, IAsyncEnumerable<IdentityChange> changes, CancellationToken cancellationToken)
    {
        var from = index.Version;
        int changed = 0, removed = 0;
        await foreach (var change in changes.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (change.ProfileId is { } profileId)
            {
                index.Set(change.Key, profileId);
                changed++;
            }
            else
            {
                index.Remove(change.Key);
                removed++;
            }
        }

        index.Version = version;
        Metrics.IndexRowsRead.Add(changed + removed, new KeyValuePair<string, object?>("refresh", "changes"));
        Log.IndexRefreshed(Logger, tenant, from, version, changed, removed, index.Count);
    }

    private sealed class TenantState
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IdentityIndex? Index { get; set; }
    }
}

/// <summary>One unit of writes: the session, the tenant's index and the batch's clock.</summary>
internal sealed class Batch(EventLinkCore core, string tenant, EventLinkStoreSession session, IdentityIndex index, DateTimeOffset now)
{
    private HashSet<IdentityKey>? _unmergeRules;
    private char[]? _identityBuffer;
    private char[]? _rawValueBuffer;

    /// <summary>Gets the tenant's unmerge rules (read once per batch).</summary>
    public async ValueTask<IReadOnlySet<IdentityKey>> GetUnmergeRulesAsync(CancellationToken cancellationToken) =>
        _unmergeRules ??= [.. await Session.GetUnmergeRulesAsync(cancellationToken).ConfigureAwait(false)];

    /// <summary>Forgets the cached unmerge rules after one was added.</summary>
    public void UnmergeRulesChanged() => _unmergeRules = null;

    public EventLinkCore Core { get; } = core;

    public string Tenant { get; } = tenant;

    public EventLinkStoreSession Session { get; } = session;

    public IdentityIndex Index { get; } = index;

    public DateTimeOffset Now { get; } = now;

    /// <summary>
    /// Gets a scratch buffer for normalised identity values, kept for the batch: a <c>stackalloc</c> of this size
    /// per record would be zeroed on every call (a batch runs on one logical thread at a time).
    /// </summary>
    public char[] IdentityBuffer => _identityBuffer ??= new char[IdentityMatcher.BufferLength];

    /// <summary>Gets a scratch buffer for raw relation values decoded from a payload (see <see cref="ParsedRecord.TryGetRelationValue"/>), kept for the batch.</summary>
    public char[] RawValueBuffer => _rawValueBuffer ??= new char[IdentityMatcher.BufferLength];
}

using System.Collections.Concurrent;
using System.Diagnostics;
using EventLink.Coverage.Internal;
using EventLink.Destinations.Internal;
using EventLink.IdentityGraph.Internal;
using EventLink.Ingestion.Internal;
using EventLink.Privacy.Internal;
using EventLink.Profiles.Internal;
using EventLink.Quality.Internal;
using EventLink.Quarantine.Internal;
using EventLink.Storage;
using EventLink.Tenants.Internal;
using EventLink.Timeline.Internal;
using EventLink.Traits.Internal;
using Microsoft.Extensions.Logging;

namespace EventLink.Internal;

/// <summary>
/// The engine's coordinator: owns the schema, the store, one in-memory identity index per tenant and the unit of work
/// (<see cref="WriteAsync"/>), and composes the feature modules. The modules run on top of the store's primitives,
/// so every store behaves identically; what one feature must know of another's writes goes through
/// <see cref="Observers"/>, not through calls between features.
/// </summary>
internal sealed class EventLinkCore : IAsyncDisposable, IDisposable
{
    private readonly ConcurrentDictionary<string, TenantState> _tenants = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private readonly bool _ownsStore;
    private const int MaxAttempts = 3;
    private volatile bool _initialized;

    public EventLinkCore(
        EventLinkSchema schema,
        EventLinkStore store,
        EventLinkOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        EventLinkMetrics metrics,
        bool ownsStore,
        DataQualityRuntime? quality = null,
        SyncSettings? sync = null,
        TraitsRuntime? traits = null)
    {
        Schema = schema;
        Store = store;
        Options = options;
        Time = timeProvider;
        Logger = logger;
        Metrics = metrics;
        _ownsStore = ownsStore;
        Sync = sync ?? SyncSettings.Empty;

        // The modules reach each other through this coordinator when they are called, so the order here does not matter.
        Ingestion = new IngestionPipeline(this);
        Linker = new EventLinker(this);
        Claims = new ClaimWriter(this);
        Graph = new GraphRecomputer(this);
        GraphQueries = new GraphQueries(this);
        Outbox = new OutboxObserver(this);
        Syncs = new SyncRunner(this);
        Erasure = new ErasureModule(this);
        Quality = new QualityModule(this, quality ?? DataQualityRuntime.Empty);
        QualityQueries = new QualityQueries(this);
        Traits = new TraitsModule(this, traits ?? TraitsRuntime.Empty);
        TraitQueries = new TraitQueries(this);
        Profiles = new ProfileQueries(this);
        Timeline = new TimelineQueries(this);
        Quarantine = new QuarantineModule(this);
        Coverage = new CoverageQueries(this);
        Tenants = new TenantOperations(this);

        // Only the features configured observe units of work: with none, a hook is an empty loop.
        var observers = new List<IBatchObserver>(2);
        if (Sync.RecordsChanges)
        {
            observers.Add(Outbox);
        }

        if (!Traits.IsEmpty)
        {
            observers.Add(Traits);
        }

        Observers = new BatchObservers([.. observers]);
    }

    public EventLinkSchema Schema { get; }

    public EventLinkStore Store { get; }

    public EventLinkOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public EventLinkMetrics Metrics { get; }

    /// <summary>Gets the syncs, destinations and privacy rules.</summary>
    public SyncSettings Sync { get; }

    /// <summary>Gets the observers of every unit of work: the features that keep state derived from its writes.</summary>
    public BatchObservers Observers { get; }

    /// <summary>Gets the ingestion pipeline: the record loop of a batch.</summary>
    public IngestionPipeline Ingestion { get; }

    /// <summary>Gets the linking of stored events to profiles (relation values against the identity index).</summary>
    public EventLinker Linker { get; }

    /// <summary>Gets the identity graph's claims: merged records and claiming events.</summary>
    public ClaimWriter Claims { get; }

    /// <summary>Gets the identity graph's recomputation: merges, splits and relinks.</summary>
    public GraphRecomputer Graph { get; }

    /// <summary>Gets the identity graph's queries: conflicts, explanations, unmerge, rule previews, accounts.</summary>
    public GraphQueries GraphQueries { get; }

    /// <summary>Gets the change log (outbox) kept at ingest.</summary>
    public OutboxObserver Outbox { get; }

    /// <summary>Gets the sync runner that delivers the change and trigger logs to destinations.</summary>
    public SyncRunner Syncs { get; }

    /// <summary>Gets erasure and the suppression of erased people's records.</summary>
    public ErasureModule Erasure { get; }

    /// <summary>Gets data quality on the ingest path: transformations, contracts, shapes and volumes.</summary>
    public QualityModule Quality { get; }

    /// <summary>Gets the data-quality reports.</summary>
    public QualityQueries QualityQueries { get; }

    /// <summary>Gets computed traits, audiences and triggers, kept current at ingest.</summary>
    public TraitsModule Traits { get; }

    /// <summary>Gets the reads of computed traits, audiences and triggers, and the refresh.</summary>
    public TraitQueries TraitQueries { get; }

    /// <summary>Gets the profile reads.</summary>
    public ProfileQueries Profiles { get; }

    /// <summary>Gets the timeline reads.</summary>
    public TimelineQueries Timeline { get; }

    /// <summary>Gets the quarantine, its replay, and the rejections.</summary>
    public QuarantineModule Quarantine { get; }

    /// <summary>Gets the coverage report.</summary>
    public CoverageQueries Coverage { get; }

    /// <summary>Gets the per-tenant operations: erase and export a tenant.</summary>
    public TenantOperations Tenants { get; }

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
                    var batch = new Batch(tenant, session, index, TimestampReader.Normalize(Time.GetUtcNow()));
                    var result = await work(batch).ConfigureAwait(false);
                    if (commit)
                    {
                        await Observers.OnCommittingAsync(batch, cancellationToken).ConfigureAwait(false);
                        using var commitSpan = EventLinkTracing.Source.StartActivity(EventLinkTracing.CommitSpan);
                        commitSpan?.SetTag("eventlink.tenant", tenant);
                        commitSpan?.SetTag("eventlink.session_mode", mode == StoreSessionMode.Exclusive ? "exclusive" : "append_only");
                        index.Version = await session.CommitAsync(cancellationToken).ConfigureAwait(false);
                        Observers.OnCommitted(batch);
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

    /// <summary>Disposes synchronously (a service provider disposed with <c>Dispose</c>).</summary>
    public void Dispose()
    {
        if (_ownsStore)
        {
            Store.Dispose();
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

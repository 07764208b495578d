using BenchmarkDotNet.Attributes;

namespace EventLink.Benchmarks;

/// <summary>
/// A realistic stream on each store (<see cref="Store"/>): 10,000 records in batches of 1,000 through the public
/// <see cref="IEventLink.IngestAsync(IEnumerable{IngestRecord}, CancellationToken)"/> — customers, merges, charges a
/// third of which arrive before their customer, replays, shuffled (see <see cref="MixedStream"/>). Baseline: the same
/// store's happy path over as many records, charges for customers all known beforehand, so the ratio says what the
/// stream's quarantine, merges and replays cost on that store.
/// </summary>
/// <remarks>
/// Each iteration ingests into a tenant of its own (<c>mixed-{n}</c> empty, <c>happy-{n}</c> holding the stream's
/// customers, loaded before the measurement); after it, the tenant is checked — every charge linked, none left in
/// quarantine, the expected quarantined, duplicate and merge counts — and erased, so the stores do not grow.
/// </remarks>
[MemoryDiagnoser]
// As the other ingest classes: the stream's rarer paths (merges, quarantine, replays) run a few dozen times per
// iteration, so the short job's 3 warm-up iterations leave them in unoptimised (tier-0) code while the happy path's
// per-event code is already optimised; the ratio would then time the JIT, not the work.
[WarmupCount(15)]
public class MixedStreamBenchmark
{
    private const int Records = 10_000;
    private const int BatchSize = 1_000;

    private MixedStream _stream = null!;
    private IngestRecord[][] _mixed = null!;
    private IngestRecord[][] _happy = null!;
    private IEventLink _client = null!;
    private IEventLink _tenant = null!;
    private int _iteration;
    private int _quarantined;
    private int _duplicates;

    /// <summary>The stores: in-memory, SQLite, and PostgreSQL when <c>EVENTLINK_TEST_POSTGRES</c> is set.</summary>
    [ParamsSource(nameof(Stores))]
    public string Store { get; set; } = BenchmarkStores.InMemory;

    public static IEnumerable<string> Stores() => BenchmarkStores.Available();

    [GlobalSetup]
    public void Setup()
    {
        _stream = MixedStream.Create(Records, seed: 17);
        _mixed = _stream.Batches(BatchSize);
        _happy = _stream.HappyPathBatches(BatchSize, seed: 19);
        _client = BenchmarkStores.Create(Store, "mixed", MixedStream.DefineSchema);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        BenchmarkFiles.Dispose(_client);
        BenchmarkStores.Drop(Store, "mixed");
    }

    [IterationSetup(Target = nameof(HappyPathLinkedEvents))]
    public void TenantWithCustomers()
    {
        _tenant = _client.ForTenant($"happy-{_iteration++}");
        foreach (var batch in _stream.Customers.Chunk(BatchSize))
        {
            BenchmarkFiles.Wait(_tenant.IngestAsync(batch));
        }
    }

    [IterationSetup(Target = nameof(MixedStreamIngest))]
    public void EmptyTenant() => _tenant = _client.ForTenant($"mixed-{_iteration++}");

    [IterationCleanup(Target = nameof(HappyPathLinkedEvents))]
    public void CheckHappyPath()
    {
        BenchmarkStores.AllEventsLinked(_tenant, MixedStream.ChargeType, Records);
        BenchmarkFiles.Wait(_tenant.EraseTenantAsync());
    }

    [IterationCleanup(Target = nameof(MixedStreamIngest))]
    public void CheckMixedStream()
    {
        BenchmarkStores.AllEventsLinked(_tenant, MixedStream.ChargeType, _stream.Charges);
        var profiles = BenchmarkStores.LiveProfiles(_tenant);
        if (_quarantined != _stream.EarlyCharges || _duplicates != _stream.Replays || profiles != _stream.Profiles)
        {
            throw new InvalidOperationException(
                $"expected {_stream.EarlyCharges} quarantined, {_stream.Replays} duplicates and {_stream.Profiles} profiles; got {_quarantined}, {_duplicates} and {profiles}");
        }

        BenchmarkFiles.Wait(_tenant.EraseTenantAsync());
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public int HappyPathLinkedEvents()
    {
        var linked = 0;
        foreach (var batch in _happy)
        {
            linked += BenchmarkData.AllLinked(BenchmarkFiles.Wait(_tenant.IngestAsync(batch)));
        }

        return linked;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public int MixedStreamIngest()
    {
        var (quarantined, duplicates) = (0, 0);
        foreach (var batch in _mixed)
        {
            foreach (var result in BenchmarkFiles.Wait(_tenant.IngestAsync(batch)))
            {
                switch (result.Outcome)
                {
                    case IngestOutcome.Quarantined:
                        quarantined++;
                        break;
                    case IngestOutcome.Duplicate:
                        duplicates++;
                        break;
                    case IngestOutcome.Rejected or IngestOutcome.Stale or IngestOutcome.Suppressed or IngestOutcome.Filtered:
                        throw new InvalidOperationException($"{result.RecordType} {result.RecordId}: {result.Outcome} ({result.Reason})");
                }
            }
        }

        (_quarantined, _duplicates) = (quarantined, duplicates);
        return quarantined + duplicates;
    }
}

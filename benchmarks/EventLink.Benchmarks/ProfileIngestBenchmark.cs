using BenchmarkDotNet.Attributes;

namespace EventLink.Benchmarks;

/// <summary>
/// Profile (merged-record) ingest, PostgreSQL against SQLite: the same 20,000 Stripe customers (an
/// e-mail and a user id each, all distinct, so each creates a profile) in batches of 5,000 through the public
/// <see cref="IEventLink.IngestAsync(IEnumerable{IngestRecord}, CancellationToken)"/>. Baseline: the SQLite store, so
/// the ratio is PostgreSQL's time per profile over SQLite's, in the same run.
/// Needs <c>EVENTLINK_TEST_POSTGRES</c>; without it <see cref="Program"/> leaves this class out and says so.
/// </summary>
/// <remarks>
/// The issue measured 100,000 customers in batches of 5,000; here four batches of 5,000 per iteration (a few seconds on
/// either store), so a short job stays short. Each iteration fills an empty tenant of its own, checked (every customer
/// a live profile) and erased afterwards.
/// </remarks>
[MemoryDiagnoser]
public class ProfileIngestBenchmark
{
    /// <summary>The customers ingested per iteration.</summary>
    private const int Profiles = 20_000;
    private const int BatchSize = 5_000;

    private IngestRecord[][] _batches = null!;
    private IEventLink _sqlite = null!;
    private IEventLink _postgreSql = null!;
    private IEventLink _tenant = null!;
    private int _iteration;

    [GlobalSetup]
    public void Setup()
    {
        _batches = [.. BenchmarkData.Customers(Profiles).Chunk(BatchSize)];
        _sqlite = BenchmarkStores.Create(BenchmarkStores.Sqlite, "profiles", BenchmarkData.DefineSchema);
        _postgreSql = BenchmarkStores.Create(BenchmarkStores.PostgreSql, "profiles", BenchmarkData.DefineSchema);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        BenchmarkFiles.Dispose(_sqlite);
        BenchmarkFiles.Dispose(_postgreSql);
        BenchmarkStores.Drop(BenchmarkStores.Sqlite, "profiles");
        BenchmarkStores.Drop(BenchmarkStores.PostgreSql, "profiles");
    }

    [IterationSetup(Target = nameof(SqliteProfileIngest))]
    public void EmptySqliteTenant() => _tenant = _sqlite.ForTenant($"profiles-{_iteration++}");

    [IterationSetup(Target = nameof(PostgreSqlProfileIngest))]
    public void EmptyPostgreSqlTenant() => _tenant = _postgreSql.ForTenant($"profiles-{_iteration++}");

    [IterationCleanup]
    public void CheckAndErase()
    {
        var profiles = BenchmarkStores.LiveProfiles(_tenant);
        if (profiles != Profiles)
        {
            throw new InvalidOperationException($"tenant '{_tenant.Tenant}' holds {profiles} profiles, not {Profiles}");
        }

        BenchmarkFiles.Wait(_tenant.EraseTenantAsync());
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Profiles)]
    public int SqliteProfileIngest() => Ingest();

    [Benchmark(OperationsPerInvoke = Profiles)]
    public int PostgreSqlProfileIngest() => Ingest();

    private int Ingest()
    {
        var created = 0;
        foreach (var batch in _batches)
        {
            foreach (var result in BenchmarkFiles.Wait(_tenant.IngestAsync(batch)))
            {
                created += result.Outcome == IngestOutcome.Created ? 1 : throw new InvalidOperationException($"{result}");
            }
        }

        return created;
    }
}

using BenchmarkDotNet.Attributes;

namespace EventLink.Benchmarks;

/// <summary>
/// Ingest of Stripe <c>charge.succeeded</c> events in batches of 1,000 with 10 computed traits and 5 audiences
/// defined, as a ratio to the same ingest with none (the baseline) on the same store: the cost of keeping traits
/// current at ingest, in memory and on SQLite (<see cref="Store"/>; BenchmarkDotNet gives each store its own ratio).
/// </summary>
/// <remarks>
/// Every iteration starts from a fresh store holding only the 10,000 customers, ingested by the same client, so each
/// event is new and the client has seen every profile once (as a running process has).
/// </remarks>
[MemoryDiagnoser]
// As the other ingest classes: past the JIT's tiering before measuring, both methods alike.
[WarmupCount(15)]
[InvocationCount(InvocationsPerIteration)]
public class TraitsIngestBenchmark
{
    private const int Customers = 10_000;
    private const int BatchSize = 1_000;
    private const int InvocationsPerIteration = 16;

    private IngestRecord[][] _batches = null!;
    private IEventLink _client = null!;
    private int _cursor;
    private string? _file;

    /// <summary>Gets or sets the store: <c>InMemory</c> or <c>Sqlite</c> (a file in the benchmarks' folder).</summary>
    [Params("InMemory", "Sqlite")]
    public string Store { get; set; } = "InMemory";

    [GlobalSetup]
    public void Setup()
    {
        _batches = BenchmarkData.ChargeBatches(InvocationsPerIteration, BatchSize, Customers, seed: 11);
    }

    [IterationSetup(Target = nameof(IngestWithoutTraits))]
    public void FreshStoreWithoutTraits() => Fresh(null);

    [IterationSetup(Target = nameof(IngestWith10TraitsAnd5Audiences))]
    public void FreshStoreWithTraits() => Fresh(Define);

    [GlobalCleanup]
    public void Cleanup()
    {
        (_client as IDisposable)?.Dispose();
        if (_file is not null)
        {
            BenchmarkFiles.Delete(_file);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public int IngestWithoutTraits() => Ingest();

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int IngestWith10TraitsAnd5Audiences() => Ingest();

    /// <summary>10 traits (every kind, two windowed, property filters) and 5 audiences (traits, did, did-not, and/or/not).</summary>
    public static void Define(TraitsOptions traits)
    {
        var charge = new EventFilterOptions { RecordType = "charge" };
        var succeeded = new EventFilterOptions { RecordType = "charge" };
        succeeded.Where.Add(new PropertyConditionOptions { Property = "data.object.status", Value = "succeeded" });
        traits.Traits.Add(new ComputedTraitOptions { Name = "lifetime_value", Kind = TraitKind.Sum, Property = "data.object.amount", Filter = succeeded });
        traits.Traits.Add(new ComputedTraitOptions { Name = "charges", Kind = TraitKind.Count, Filter = charge });
        traits.Traits.Add(new ComputedTraitOptions { Name = "smallest", Kind = TraitKind.Min, Property = "data.object.amount", Filter = charge });
        traits.Traits.Add(new ComputedTraitOptions { Name = "largest", Kind = TraitKind.Max, Property = "data.object.amount", Filter = charge });
        traits.Traits.Add(new ComputedTraitOptions { Name = "average", Kind = TraitKind.Average, Property = "data.object.amount", Filter = charge });
        traits.Traits.Add(new ComputedTraitOptions { Name = "first_seen", Kind = TraitKind.FirstOccurredAt });
        traits.Traits.Add(new ComputedTraitOptions { Name = "last_seen", Kind = TraitKind.LastOccurredAt });
        traits.Traits.Add(new ComputedTraitOptions { Name = "last_country", Kind = TraitKind.LastValue, Property = "data.object.billing_details.address.country", Filter = charge });
        traits.Traits.Add(new ComputedTraitOptions { Name = "charges_30d", Kind = TraitKind.Count, Filter = charge, Window = TimeSpan.FromDays(30) });
        traits.Traits.Add(new ComputedTraitOptions { Name = "spend_7d", Kind = TraitKind.Sum, Property = "data.object.amount", Filter = succeeded, Window = TimeSpan.FromDays(7) });

        traits.Audiences.Add(new AudienceOptions { Name = "valuable", Condition = AudienceConditionOptions.TraitIs("lifetime_value", ComparisonOperator.GreaterThan, "4000") });
        traits.Audiences.Add(new AudienceOptions { Name = "repeat", Condition = AudienceConditionOptions.TraitIs("charges", ComparisonOperator.GreaterThanOrEqual, "2") });
        traits.Audiences.Add(new AudienceOptions { Name = "charged_recently", Condition = AudienceConditionOptions.DidEvent(charge, TimeSpan.FromDays(30)) });
        traits.Audiences.Add(new AudienceOptions { Name = "never_charged", Condition = AudienceConditionOptions.DidNotEvent(charge) });
        traits.Audiences.Add(new AudienceOptions
        {
            Name = "big_single_payers",
            Condition = AudienceConditionOptions.AllOf(
                AudienceConditionOptions.TraitIs("largest", ComparisonOperator.GreaterThan, "2400"),
                AudienceConditionOptions.NotOf(AudienceConditionOptions.TraitIs("charges", ComparisonOperator.GreaterThan, "1"))),
        });
    }

    private void Fresh(Action<TraitsOptions>? traits)
    {
        (_client as IDisposable)?.Dispose();
        var builder = new EventLinkBuilder();
        builder.AddSchema(BenchmarkData.DefineSchema);
        if (Store == "Sqlite")
        {
            BenchmarkFiles.DeleteStale("traits");
            _file ??= Path.Combine(BenchmarkFiles.Folder, $"traits-{Environment.ProcessId}.db");
            BenchmarkFiles.Delete(_file);
            builder.UseSqlite($"Data Source={_file}");
        }

        if (traits is not null)
        {
            builder.AddTraits(traits);
        }

        _client = builder.Build();
        _client.IngestAsync(BenchmarkData.Customers(Customers)).AsTask().GetAwaiter().GetResult();
        _cursor = 0;
    }

    private int Ingest()
    {
        var results = _client.IngestAsync(_batches[_cursor++]).AsTask().GetAwaiter().GetResult();
        return BenchmarkData.AllLinked(results);
    }
}

using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace EventLink.Benchmarks;

/// <summary>
/// In-memory ingest of ~600-byte Stripe <c>charge.succeeded</c> events through the public API, in batches of
/// 1,000: parse, read record id / occurred-at / e-mail, resolve among 10,000 customers, link, store. Baseline:
/// a <see cref="Utf8JsonReader"/> pass pulling the same three fields out of the same payloads.
/// </summary>
/// <remarks>Every iteration starts from a fresh store holding only the customers, so each event is new.</remarks>
[MemoryDiagnoser]
[InvocationCount(InvocationsPerIteration)]
// The ingest path is deep: both methods need more than the short job's 3 warm-up iterations to reach their
// optimised (tier-1) code, so without this the first measured iterations time the JIT, not the work.
[WarmupCount(15)]
// An iteration is short (16,000 events, ~35 ms): ten of them, so one disturbed iteration does not make the figure.
[IterationCount(10)]
public class InMemoryIngestBenchmark
{
    private const int Customers = 10_000;
    private const int BatchSize = 1_000;
    private const int InvocationsPerIteration = 16;

    private IngestRecord[][] _batches = null!;
    private IEventLink _client = null!;
    private int _cursor;

    [GlobalSetup]
    public void Setup()
    {
        _batches = BenchmarkData.ChargeBatches(InvocationsPerIteration, BatchSize, Customers, seed: 7);
    }

    [IterationSetup(Target = nameof(EngineIngest))]
    public void FreshStore()
    {
        (_client as IDisposable)?.Dispose();
        var builder = new EventLinkBuilder();
        builder.AddSchema(BenchmarkData.DefineSchema);
        _client = builder.Build();
        _client.IngestAsync(BenchmarkData.Customers(Customers)).AsTask().GetAwaiter().GetResult();
        _cursor = 0;
    }

    [IterationSetup(Target = nameof(Utf8JsonReaderThreeFields))]
    public void Rewind() => _cursor = 0;

    [GlobalCleanup]
    public void Cleanup() => (_client as IDisposable)?.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public long Utf8JsonReaderThreeFields()
    {
        long checksum = 0;
        foreach (var record in _batches[_cursor++])
        {
            checksum += ReadThreeFields(record.Utf8Payload.Span);
        }

        return checksum;
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int EngineIngest()
    {
        var results = _client.IngestAsync(_batches[_cursor++]).AsTask().GetAwaiter().GetResult();
        return BenchmarkData.AllLinked(results);
    }

    /// <summary>The raw minimum: one reader pass, the record id, created and receipt e-mail located (not copied).</summary>
    private static long ReadThreeFields(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        long created = 0;
        var idLength = 0;
        var emailLength = 0;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.CurrentDepth == 1 && reader.ValueTextEquals("created"u8))
            {
                reader.Read();
                created = reader.GetInt64();
            }
            else if (reader.CurrentDepth == 3 && reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                idLength = reader.ValueSpan.Length;
            }
            else if (reader.CurrentDepth == 3 && reader.ValueTextEquals("receipt_email"u8))
            {
                reader.Read();
                emailLength = reader.ValueSpan.Length;
            }
        }

        return created + idLength + emailLength;
    }
}

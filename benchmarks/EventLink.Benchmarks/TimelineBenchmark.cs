using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using EventLink.Sqlite;
using Microsoft.Data.Sqlite;

namespace EventLink.Benchmarks;

/// <summary>
/// One profile's full timeline from a SQLite file holding 1,000,000 Stripe charge events for 20,000 profiles
/// (50 each, interleaved over the file as they would arrive), through the public
/// <see cref="IEventLink.GetTimelineAsync"/>. Baseline: a raw prepared <c>SELECT</c> of the same rows and
/// columns on one open connection. Each call reads a different profile (fixed random order). Besides BDN's
/// mean, the <c>P50 call</c> / <c>P99 call</c> columns are the percentiles of every single call, timed with a
/// <see cref="Stopwatch"/> in the benchmark process (the first fifth, warm-up, left out). Target: p99 &lt; 1 ms.
/// </summary>
/// <remarks>
/// The file (~1 GB) is built once, by ingesting through the store in batches of 50,000, and kept in
/// <see cref="BenchmarkFiles.Folder"/> for later runs.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class TimelineBenchmark
{
    public const int Profiles = 20_000;
    public const int Events = 1_000_000;

    private const int MaxSamples = 1 << 22;

    private IEventLink _client = null!;
    private SqliteConnection _connection = null!;
    private SqliteCommand _select = null!;
    private Guid[] _profiles = null!;
    private byte[][] _blobs = null!;
    private long[] _samples = null!;
    private int _sampleCount;
    private int _cursor;

    public static string FilePath => Path.Combine(BenchmarkFiles.Folder, $"timeline-{Events}-v{SqliteEventLinkStore.SchemaVersion}.db");

    [GlobalSetup]
    public void Setup()
    {
        var path = FilePath;
        if (!File.Exists(path + ".done"))
        {
            Build(path);
            File.WriteAllText(path + ".done", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        }

        // Measures the query, not the disk: a file evicted from the OS cache (by other work on the machine) makes
        // both methods disk-bound. One sequential read brings it back.
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20))
        {
            var buffer = new byte[1 << 20];
            while (file.Read(buffer) > 0)
            {
            }
        }

        var blobs = BenchmarkFiles.ProfileBlobsByCustomer(path, Profiles);
        var order = BenchmarkData.Shuffled(Profiles, seed: 5);
        _blobs = new byte[Profiles][];
        _profiles = new Guid[Profiles];
        for (var i = 0; i < Profiles; i++)
        {
            _blobs[i] = blobs[order[i]];
            _profiles[i] = new Guid(_blobs[i], bigEndian: true);
        }

        _client = BenchmarkFiles.SqliteClient(path);
        _connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        _connection.Open();
        using (var pragma = _connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA cache_size = -16384;"; // the store's read connections use the same cache
            pragma.ExecuteNonQuery();
        }

        _select = _connection.CreateCommand();
        _select.CommandText = """
            SELECT source, record_id, record_type, event_name, occurred_at, ingested_at, profile_id, link_index, quarantine_reason, quarantine_message, payload
            FROM events WHERE tenant_key = 1 AND profile_id = $profile ORDER BY occurred_at, source, record_id;
            """;
        _select.Parameters.Add(new SqliteParameter { ParameterName = "$profile" });
        _select.Prepare();
        _samples = new long[MaxSamples];
    }

    [GlobalCleanup(Target = nameof(RawSelect))]
    public void CleanupRaw() => Cleanup(nameof(RawSelect));

    [GlobalCleanup(Target = nameof(EngineTimeline))]
    public void CleanupEngine() => Cleanup(nameof(EngineTimeline));

    [Benchmark(Baseline = true)]
    public int RawSelect()
    {
        var start = Stopwatch.GetTimestamp();
        _select.Parameters[0].Value = _blobs[Next()];
        var count = 0;
        using (var reader = _select.ExecuteReader())
        {
            while (reader.Read())
            {
                _ = reader.GetString(0);
                _ = reader.GetString(1);
                _ = reader.GetString(2);
                _ = reader.GetString(3);
                _ = reader.GetInt64(4);
                _ = reader.GetInt64(5);
                _ = reader.GetFieldValue<byte[]>(6);
                _ = reader.GetInt32(7);
                _ = reader.GetInt32(8);
                _ = reader.IsDBNull(9) ? null : reader.GetString(9);
                _ = reader.GetString(10);
                count++;
            }
        }

        Record(start);
        return Check(count);
    }

    [Benchmark]
    public async Task<int> EngineTimeline()
    {
        var start = Stopwatch.GetTimestamp();
        var count = 0;
        await foreach (var timelineEvent in _client.GetTimelineAsync(_profiles[Next()]).ConfigureAwait(false))
        {
            count++;
        }

        Record(start);
        return Check(count);
    }

    /// <summary>Ingests 20,000 customers, then 1,000,000 charges, each customer's spread over the whole file.</summary>
    internal static void Build(string path)
    {
        Console.WriteLine($"// Building {path} ({Events:N0} events for {Profiles:N0} profiles), once.");
        var watch = Stopwatch.StartNew();
        BenchmarkFiles.CreateWithCustomers(path, Profiles);
        var client = BenchmarkFiles.SqliteClient(path);
        try
        {
            const int Batch = 50_000;
            var order = BenchmarkData.Shuffled(Profiles, seed: 3);
            var records = new IngestRecord[Batch];
            for (var start = 0; start < Events; start += Batch)
            {
                for (var i = 0; i < Batch; i++)
                {
                    var sequence = start + i;
                    records[i] = new IngestRecord("stripe", "charge", BenchmarkData.ChargeSucceeded(sequence, order[sequence % Profiles]));
                }

                var results = BenchmarkFiles.Wait(client.IngestAsync(records));
                if (results.Any(r => r.Outcome != IngestOutcome.Linked))
                {
                    throw new InvalidOperationException("a timeline event did not link");
                }
            }
        }
        finally
        {
            BenchmarkFiles.Dispose(client);
        }

        Console.WriteLine($"// Built in {watch.Elapsed.TotalSeconds:F0} s.");
    }

    private static int Check(int count) =>
        count == Events / Profiles ? count : throw new InvalidOperationException($"timeline has {count} events, expected {Events / Profiles}");

    private static string LatencyFile(string method) => Path.Combine(BenchmarkFiles.Folder, $"timeline-latency-{method}.txt");

    private int Next()
    {
        var next = _cursor;
        _cursor = next + 1 == Profiles ? 0 : next + 1;
        return next;
    }

    private void Record(long start)
    {
        if (_sampleCount < MaxSamples)
        {
            _samples[_sampleCount++] = Stopwatch.GetTimestamp() - start;
        }
    }

    private void Cleanup(string method)
    {
        BenchmarkFiles.Dispose(_client);
        _select.Dispose();
        _connection.Dispose();

        var skip = _sampleCount / 5;
        var samples = _samples.AsSpan(skip, _sampleCount - skip);
        samples.Sort();
        var text = samples.Length == 0
            ? "n/a"
            : string.Create(CultureInfo.InvariantCulture, $"{Micros(samples[(samples.Length - 1) / 2])}|{Micros(samples[(int)((samples.Length - 1) * 0.99)])}|{samples.Length}");
        File.WriteAllText(LatencyFile(method), text);
    }

    private static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(StatisticColumn.P50, StatisticColumn.P95);
            AddColumn(new CallPercentileColumn(0), new CallPercentileColumn(1));
        }
    }

    /// <summary>p50 (part 0) or p99 (part 1) of single calls, as written by the benchmark process.</summary>
    private sealed class CallPercentileColumn(int part) : IColumn
    {
        public string Id => $"TimelineCall{part}";

        public string ColumnName => part == 0 ? "P50 call" : "P99 call";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => part;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => $"{(part == 0 ? "Median" : "99th percentile")} latency of one timeline call, in µs (every measured call, warm-up fifth excluded)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var file = LatencyFile(benchmarkCase.Descriptor.WorkloadMethod.Name);
            if (!File.Exists(file))
            {
                return "n/a";
            }

            var parts = File.ReadAllText(file).Split('|');
            return parts.Length < 2 ? "n/a" : double.Parse(parts[part], CultureInfo.InvariantCulture).ToString("F1", CultureInfo.InvariantCulture) + " µs";
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}

using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;

namespace EventLink.Benchmarks;

/// <summary>
/// Durable batch ingest into SQLite: 10,000 ~600-byte Stripe <c>charge.succeeded</c> events per call through the
/// public <see cref="IEventLink.IngestAsync"/> on the SQLite store (parse, resolve among 10,000 customers, link,
/// one committed transaction). Baseline: a raw prepared <c>INSERT</c> of the same rows (values computed
/// beforehand) into the store's own <c>events</c> table of the same file, with the store's pragmas (WAL,
/// <c>synchronous = FULL</c>, 16 MiB cache), one transaction per 10,000 rows. Ratio = time, so throughput is
/// its inverse: the target (≥ 0.6× the baseline's throughput) is a ratio ≤ 1.67.
/// </summary>
/// <remarks>Every iteration starts from a copy of the same file holding only the customers.</remarks>
[MemoryDiagnoser]
// The ingest path is deep: both methods need more than the short job's 3 warm-up iterations to reach their
// optimised (tier-1) code, so without this the first measured iterations time the JIT, not the work.
[WarmupCount(15)]
// Commits and the file copy make single iterations noisy on a shared machine: six of each, not three.
[IterationCount(6)]
public class SqliteIngestBenchmark
{
    private const int Customers = 10_000;
    private const int BatchSize = 10_000;

    // Boxed once, as the store does for its per-session constants.
    private static readonly object TenantKey = 1L;
    private static readonly object LinkIndex = 0;
    private static readonly object QuarantineReason = 0;

    private string _template = null!;
    private string _file = null!;
    private IngestRecord[] _batch = null!;
    private RawRow[] _rows = null!;
    private IEventLink? _client;
    private SqliteConnection? _connection;
    private SqliteCommand? _insert;

    [GlobalSetup]
    public void Setup()
    {
        var folder = BenchmarkFiles.Folder;
        BenchmarkFiles.DeleteStale("ingest");
        BenchmarkFiles.DeleteStale("ingest-template");
        _template = Path.Combine(folder, $"ingest-template-{Environment.ProcessId}.db");
        _file = Path.Combine(folder, $"ingest-{Environment.ProcessId}.db");
        BenchmarkFiles.CreateWithCustomers(_template, Customers);
        var profiles = BenchmarkFiles.ProfileBlobsByCustomer(_template, Customers);

        var customers = BenchmarkData.Shuffled(Customers, seed: 11);
        _batch = new IngestRecord[BatchSize];
        _rows = new RawRow[BatchSize];
        var ingestedAt = (DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        for (var i = 0; i < BatchSize; i++)
        {
            var customer = customers[i % Customers];
            var payload = BenchmarkData.ChargeSucceeded(i, customer);
            _batch[i] = new IngestRecord("stripe", "charge", payload);
            _rows[i] = new RawRow(
                "stripe",
                $"ch_3P{i:D14}",
                "charge",
                "charge.succeeded",
                (1_700_000_000L + i) * 1_000_000,
                ingestedAt,
                profiles[customer],
                Encoding.UTF8.GetString(payload));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Close();
        BenchmarkFiles.Delete(_file);
        BenchmarkFiles.Delete(_template);
    }

    [IterationSetup(Target = nameof(EngineIngest))]
    public void OpenEngine()
    {
        Close();
        BenchmarkFiles.Copy(_template, _file);
        _client = BenchmarkFiles.SqliteClient(_file);

        // Loads the identity index and prepares the statements, as a running service has long done.
        var warmUp = BenchmarkFiles.Wait(_client.IngestAsync([new IngestRecord("stripe", "charge", BenchmarkData.ChargeSucceeded(99_999_999, 0))]));
        if (warmUp[0].Outcome != IngestOutcome.Linked)
        {
            throw new InvalidOperationException($"warm-up event was {warmUp[0].Outcome}");
        }
    }

    [IterationSetup(Target = nameof(RawPreparedInsert))]
    public void OpenRaw()
    {
        Close();
        BenchmarkFiles.Copy(_template, _file);
        _connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        _connection.Open();
        using (var pragmas = _connection.CreateCommand())
        {
            // The store's writer pragmas (SqliteEventLinkStore.Open); the file is already in WAL mode.
            pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 30000; PRAGMA cache_size = -16384; PRAGMA synchronous = FULL;";
            pragmas.ExecuteNonQuery();
        }

        // Every column is a parameter, as the store binds them: the rows are data, not constants of the statement.
        _insert = _connection.CreateCommand();
        _insert.CommandText = """
            INSERT INTO events (tenant_key, source, record_id, record_type, event_name, occurred_at, ingested_at, profile_id, link_index, quarantine_reason, quarantine_message, payload)
            VALUES ($t, $source, $record, $type, $name, $occurred, $ingested, $profile, $link, $reason, $message, $payload);
            """;
        foreach (var name in (ReadOnlySpan<string>)["$t", "$source", "$record", "$type", "$name", "$occurred", "$ingested", "$profile", "$link", "$reason", "$message", "$payload"])
        {
            _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        _insert.Prepare();
    }

    [IterationCleanup]
    public void Close()
    {
        BenchmarkFiles.Dispose(_client);
        _client = null;
        _insert?.Dispose();
        _insert = null;
        _connection?.Dispose();
        _connection = null;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public int RawPreparedInsert()
    {
        var connection = _connection!;
        var insert = _insert!;
        var p = insert.Parameters;
        using var transaction = connection.BeginTransaction(deferred: false);
        insert.Transaction = transaction;
        var inserted = 0;
        foreach (var row in _rows)
        {
            p[0].Value = TenantKey;
            p[1].Value = row.Source;
            p[2].Value = row.RecordId;
            p[3].Value = row.RecordType;
            p[4].Value = row.EventName;
            p[5].Value = row.OccurredAt;
            p[6].Value = row.IngestedAt;
            p[7].Value = row.Profile;
            p[8].Value = LinkIndex;
            p[9].Value = QuarantineReason;
            p[10].Value = DBNull.Value;
            p[11].Value = row.Payload;
            inserted += insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return inserted == BatchSize ? inserted : throw new InvalidOperationException($"only {inserted} of {BatchSize} rows inserted");
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int EngineIngest()
    {
        var results = BenchmarkFiles.Wait(_client!.IngestAsync(_batch));
        return BenchmarkData.AllLinked(results);
    }

    private sealed record RawRow(string Source, string RecordId, string RecordType, string EventName, long OccurredAt, long IngestedAt, byte[] Profile, string Payload);
}

using BenchmarkDotNet.Attributes;
using Npgsql;
using NpgsqlTypes;

namespace EventLink.Benchmarks;

/// <summary>
/// Durable batch ingest into PostgreSQL: 10,000 ~600-byte Stripe <c>charge.succeeded</c> events per call through
/// the public <see cref="IEventLink.IngestAsync"/> on the PostgreSQL store. Baseline: a raw binary <c>COPY</c> of
/// the same rows (values computed beforehand) into a table created <c>LIKE</c> the store's <c>events</c> table
/// (<c>INCLUDING ALL</c>: same columns, generated <c>jsonb</c>, keys and indexes), one transaction per batch.
/// Needs <c>EVENTLINK_TEST_POSTGRES</c>; without it <see cref="Program"/> leaves this class out and says so.
/// </summary>
/// <remarks>Each process gets its own schemas (dropped at the end); each call ingests events not seen before.</remarks>
[MemoryDiagnoser]
public class PostgreSqlIngestBenchmark
{
    public const string ConnectionVariable = "EVENTLINK_TEST_POSTGRES";

    private const int Customers = 10_000;
    private const int BatchSize = 10_000;

    private string _connectionString = null!;
    private string _engineSchema = null!;
    private string _rawSchema = null!;
    private Guid[] _profiles = null!;
    private int[] _customers = null!;
    private IEventLink _client = null!;
    private NpgsqlDataSource _dataSource = null!;
    private IngestRecord[] _batch = null!;
    private RawRow[] _rows = null!;
    private int _iteration;

    [GlobalSetup]
    public void Setup()
    {
        _connectionString = Environment.GetEnvironmentVariable(ConnectionVariable)
            ?? throw new InvalidOperationException($"{ConnectionVariable} is not set.");
        _engineSchema = $"bench_engine_{Environment.ProcessId}";
        _rawSchema = $"bench_raw_{Environment.ProcessId}";
        var builder = new EventLinkBuilder();
        builder.AddSchema(BenchmarkData.DefineSchema);
        builder.UsePostgreSql(_connectionString, o => o.Schema = _engineSchema);
        _client = builder.Build();
        for (var start = 0; start < Customers; start += 5_000)
        {
            var records = new IngestRecord[5_000];
            for (var i = 0; i < records.Length; i++)
            {
                records[i] = BenchmarkData.Customer(start + i);
            }

            BenchmarkFiles.Wait(_client.IngestAsync(records));
        }

        _dataSource = NpgsqlDataSource.Create(_connectionString);
        using (var command = _dataSource.CreateCommand($"""
            DROP SCHEMA IF EXISTS {_rawSchema} CASCADE;
            CREATE SCHEMA {_rawSchema};
            CREATE TABLE {_rawSchema}.events (LIKE {_engineSchema}.events INCLUDING ALL);
            """))
        {
            command.ExecuteNonQuery();
        }

        _profiles = new Guid[Customers];
        using (var command = _dataSource.CreateCommand($"SELECT value, profile_id FROM {_engineSchema}.identities WHERE kind = 'email'"))
        using (var reader = command.ExecuteReader())
        {
            var byEmail = new Dictionary<string, Guid>(StringComparer.Ordinal);
            while (reader.Read())
            {
                byEmail[reader.GetString(0)] = reader.GetGuid(1);
            }

            for (var i = 0; i < Customers; i++)
            {
                _profiles[i] = byEmail[BenchmarkData.Email(i)];
            }
        }

        _customers = BenchmarkData.Shuffled(Customers, seed: 13);
        _batch = new IngestRecord[BatchSize];
        _rows = new RawRow[BatchSize];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        BenchmarkFiles.Dispose(_client);
        using (var command = _dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {_rawSchema} CASCADE; DROP SCHEMA IF EXISTS {_engineSchema} CASCADE;"))
        {
            command.ExecuteNonQuery();
        }

        _dataSource.Dispose();
    }

    /// <summary>The next batch: events never ingested before, the same for both methods.</summary>
    [IterationSetup]
    public void NextBatch()
    {
        var ingestedAt = DateTimeOffset.UtcNow;
        for (var i = 0; i < BatchSize; i++)
        {
            var sequence = (_iteration * BatchSize) + i;
            var customer = _customers[sequence % Customers];
            var payload = BenchmarkData.ChargeSucceeded(sequence, customer);
            _batch[i] = new IngestRecord("stripe", "charge", payload);
            _rows[i] = new RawRow($"ch_3P{sequence:D14}", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000L + sequence).UtcDateTime, ingestedAt.UtcDateTime, _profiles[customer], System.Text.Encoding.UTF8.GetString(payload));
        }

        _iteration++;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public ulong RawBinaryCopy()
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        ulong copied;
        using (var importer = connection.BeginBinaryImport(
            $"COPY {_rawSchema}.events (tenant, source, record_id, record_type, event_name, occurred_at, ingested_at, profile_id, link_index, quarantine_reason, quarantine_message, payload_text) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in _rows)
            {
                importer.StartRow();
                importer.Write("default", NpgsqlDbType.Text);
                importer.Write("stripe", NpgsqlDbType.Text);
                importer.Write(row.RecordId, NpgsqlDbType.Text);
                importer.Write("charge", NpgsqlDbType.Text);
                importer.Write("charge.succeeded", NpgsqlDbType.Text);
                importer.Write(row.OccurredAt, NpgsqlDbType.TimestampTz);
                importer.Write(row.IngestedAt, NpgsqlDbType.TimestampTz);
                importer.Write(row.Profile, NpgsqlDbType.Uuid);
                importer.Write(0, NpgsqlDbType.Integer);
                importer.Write((short)0, NpgsqlDbType.Smallint);
                importer.WriteNull();
                importer.Write(row.Payload, NpgsqlDbType.Text);
            }

            copied = importer.Complete();
        }

        transaction.Commit();
        return copied == BatchSize ? copied : throw new InvalidOperationException($"only {copied} of {BatchSize} rows copied");
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int EngineIngest()
    {
        var results = BenchmarkFiles.Wait(_client.IngestAsync(_batch));
        return BenchmarkData.AllLinked(results);
    }

    private sealed record RawRow(string RecordId, DateTime OccurredAt, DateTime IngestedAt, Guid Profile, string Payload);
}

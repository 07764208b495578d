using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using EventLink.Kafka;
using EventLink.Kafka.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventLink.Benchmarks;

/// <summary>
/// Consuming from Kafka and ingesting into SQLite: 10,000 ~600-byte Stripe <c>charge.succeeded</c> events over 4
/// partitions of librdkafka's mock cluster (real Kafka protocol over loopback TCP), read by the Kafka source's own
/// loop (fetch, read, <c>IngestAsync</c> per batch of 1,000, commit per partition). Baseline: <c>IngestAsync</c> of
/// the same records, already in memory, in the same batches, into the same store. Ratio = time; the target
/// (consuming at ≥ 0.8× the in-memory throughput) is a ratio ≤ 1.25.
/// </summary>
/// <remarks>
/// Every iteration starts from a copy of the same file holding only the customers, and reads the topic from its
/// start in a consumer group of its own, joined before the timing starts (the mock coordinator's 3 s first-join
/// delay is start-up, not throughput); offsets are committed to the group after each batch, as in production.
/// </remarks>
[MemoryDiagnoser]
[WarmupCount(5)]
[IterationCount(6)]
public class KafkaIngestBenchmark
{
    private const int Customers = 10_000;
    private const int Events = 10_000;
    private const int BatchSize = 1_000;
    private const string Topic = "stripe-charges";

    private string _template = null!;
    private string _file = null!;
    private IngestRecord[][] _batches = null!;
    private IAdminClient? _cluster;
    private string _bootstrap = null!;
    private IEventLink? _client;
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private KafkaConsumerLoop? _loop;
    private KafkaSourceOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        BenchmarkFiles.DeleteStale("kafka");
        _template = Path.Combine(BenchmarkFiles.Folder, $"kafka-template-{Environment.ProcessId}.db");
        _file = Path.Combine(BenchmarkFiles.Folder, $"kafka-{Environment.ProcessId}.db");
        BenchmarkFiles.CreateWithCustomers(_template, Customers);

        var customers = BenchmarkData.Shuffled(Customers, seed: 11);
        var payloads = Enumerable.Range(0, Events).Select(i => BenchmarkData.ChargeSucceeded(i, customers[i % Customers])).ToArray();
        _batches = payloads.Select(p => new IngestRecord("stripe", "charge", p)).Chunk(BatchSize).ToArray();

        // The cluster lives as long as the client that started it.
        _cluster = new AdminClientBuilder(new AdminClientConfig(new Dictionary<string, string> { ["test.mock.num.brokers"] = "1", ["log_level"] = "3" })).Build();
        _bootstrap = string.Join(",", _cluster.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Select(b => $"{b.Host}:{b.Port}"));
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = _bootstrap, LingerMs = 5 }).Build())
        {
            var sent = payloads.Select((p, i) => producer.ProduceAsync(new TopicPartition(Topic, i % 4), new Message<string, byte[]> { Key = $"cus_{customers[i % Customers]}", Value = p })).ToArray();
            Task.WaitAll(sent);
        }

        _options = new KafkaSourceOptions { BootstrapServers = _bootstrap, GroupId = "bench", BatchSize = BatchSize };
        _options.AddTopic(Topic, "stripe", "charge");
        _options.ConsumerConfig["log_level"] = "3";
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Close();
        _cluster?.Dispose();
        BenchmarkFiles.Delete(_file);
        BenchmarkFiles.Delete(_template);
    }

    [IterationSetup(Target = nameof(IngestFromMemory))]
    public void OpenMemory() => OpenStore();

    [IterationSetup(Target = nameof(ConsumeAndIngest))]
    public void OpenKafka()
    {
        OpenStore();
        // A group of its own, so the topic is read from its start; joined here, outside the timing.
        _options.GroupId = $"bench-{Guid.NewGuid():N}";
        _loop = new KafkaConsumerLoop(_client!, _options, new KafkaMetrics(null), NullLogger.Instance, TimeProvider.System);
        _consumer = _loop.Build();
        _consumer.Subscribe(Topic);
        while (_consumer.Assignment.Count < 4)
        {
            if (_consumer.Consume(TimeSpan.FromMilliseconds(50)) is { } early)
            {
                _consumer.Seek(early.TopicPartitionOffset); // Read again by the measured loop.
            }
        }
    }

    [IterationCleanup(Target = nameof(ConsumeAndIngest))]
    public void CheckKafka()
    {
        // Outside the timing: every consumed event is stored and linked (the warm-up event is the one more).
        BenchmarkStores.AllEventsLinked(_client!, "charge", Events + 1);
        Close();
    }

    [IterationCleanup(Target = nameof(IngestFromMemory))]
    public void Close()
    {
        _consumer?.Close();
        _consumer?.Dispose();
        _consumer = null;
        BenchmarkFiles.Dispose(_client);
        _client = null;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public int IngestFromMemory()
    {
        var linked = 0;
        foreach (var batch in _batches)
        {
            linked += BenchmarkData.AllLinked(BenchmarkFiles.Wait(_client!.IngestAsync(batch)));
        }

        return linked;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long ConsumeAndIngest()
    {
        _loop!.ConsumeAsync(_consumer!, Events, CancellationToken.None).GetAwaiter().GetResult();
        return _loop.StoredMessages == Events ? Events : throw new InvalidOperationException($"{_loop.StoredMessages} of {Events} messages stored");
    }

    private void OpenStore()
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
}

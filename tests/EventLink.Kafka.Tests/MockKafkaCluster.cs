using Confluent.Kafka;

namespace EventLink.Kafka.Tests;

/// <summary>
/// librdkafka's built-in mock cluster: a client configured with <c>test.mock.num.brokers</c> starts in-process
/// brokers that speak the Kafka protocol (produce, fetch, consumer groups, committed offsets) on loopback TCP ports.
/// This class holds that client, so the cluster lives as long as it does, and hands its address to every other
/// client, in this process or another. Topics are created on first use with 4 partitions (the mock's default).
/// </summary>
internal sealed class MockKafkaCluster : IDisposable
{
    public const int Partitions = 4;

    private readonly IAdminClient _holder;
    private readonly IProducer<string, byte[]> _producer;

    public MockKafkaCluster()
    {
        _holder = new AdminClientBuilder(new AdminClientConfig(new Dictionary<string, string>
        {
            ["test.mock.num.brokers"] = "1",
            ["log_level"] = "3",
        })).Build();
        var metadata = _holder.GetMetadata(TimeSpan.FromSeconds(10));
        BootstrapServers = string.Join(",", metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            LingerMs = 5,
            Acks = Acks.All,
        }).Build();
    }

    public string BootstrapServers { get; }

    /// <summary>Produces messages, in order per partition, and returns where each landed.</summary>
    public async Task<IReadOnlyList<TopicPartitionOffset>> ProduceAsync(IEnumerable<(string Topic, int Partition, string Key, byte[] Value, Headers? Headers)> messages)
    {
        var positions = new List<Task<DeliveryResult<string, byte[]>>>();
        foreach (var (topic, partition, key, value, headers) in messages)
        {
            positions.Add(_producer.ProduceAsync(new TopicPartition(topic, partition), new Message<string, byte[]> { Key = key, Value = value, Headers = headers }));
        }

        var results = await Task.WhenAll(positions);
        return [.. results.Select(r => r.TopicPartitionOffset)];
    }

    /// <summary>The committed offset (the next to read) of each partition of the topics for a group; -1001 when none.</summary>
    public Dictionary<TopicPartition, long> Committed(string groupId, params string[] topics)
    {
        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = groupId, EnableAutoCommit = false }).Build();
        var partitions = topics.SelectMany(t => Enumerable.Range(0, Partitions).Select(p => new TopicPartition(t, p))).ToList();
        return reader.Committed(partitions, TimeSpan.FromSeconds(10)).ToDictionary(c => c.TopicPartition, c => c.Offset.Value);
    }

    /// <summary>The end offset (one past the last message) of each partition of the topics.</summary>
    public Dictionary<TopicPartition, long> EndOffsets(params string[] topics)
    {
        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = "end-offsets" }).Build();
        return topics.SelectMany(t => Enumerable.Range(0, Partitions).Select(p => new TopicPartition(t, p)))
            .ToDictionary(tp => tp, tp => reader.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value);
    }

    /// <summary>Waits until the group has committed every partition of the topics up to its end.</summary>
    public async Task WaitUntilCommittedAsync(string groupId, TimeSpan timeout, params string[] topics)
    {
        var end = EndOffsets(topics);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var committed = Committed(groupId, topics);
            if (end.All(e => committed.TryGetValue(e.Key, out var c) && (c == e.Value || (e.Value == 0 && c < 0))))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"group {groupId} committed {string.Join(", ", committed.Select(c => $"{c.Key}@{c.Value}"))}; ends {string.Join(", ", end.Select(e => $"{e.Key}@{e.Value}"))}");
            }

            await Task.Delay(250);
        }
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
        _holder.Dispose();
    }
}

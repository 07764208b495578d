using Xunit.Abstractions;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Kafka.Tests;

/// <summary>An instance joining and leaving the group while messages keep arriving, into one SQLite file.</summary>
public sealed class RebalanceTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Topics = [KafkaSourceHost.StripeTopic, KafkaSourceHost.SegmentTopic];
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"eventlink-kafka-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task An_instance_joining_and_leaving_loses_and_duplicates_nothing()
    {
        var group = "rebalance-" + Guid.NewGuid().ToString("N")[..8];
        void UseStore(IEventLinkBuilder el) => el.UseSqlite($"Data Source={_file}");
        using var cluster = new MockKafkaCluster();
        using var recorder = new KafkaMeterRecorder();
        var first = Deliveries.Create(persons: 10, perPerson: 100);
        var second = Deliveries.Create(persons: 10, perPerson: 100, firstPerson: 10);
        var third = Deliveries.Create(persons: 10, perPerson: 100, firstPerson: 20);

        var positions = new List<Confluent.Kafka.TopicPartitionOffset>(await cluster.ProduceAsync(first.ToProduce()));
        using var stays = KafkaSourceHost.Build(cluster.BootstrapServers, group, UseStore);
        using var joins = KafkaSourceHost.Build(cluster.BootstrapServers, group, UseStore);
        var staysScope = stays.Services.GetRequiredService<IMeterFactory>();
        var joinsScope = joins.Services.GetRequiredService<IMeterFactory>();
        await stays.StartAsync();
        try
        {
            await WaitUntilAsync(() => recorder.Sum("eventlink.kafka.records", staysScope) > 0, "the first instance stored a batch");

            // An instance joins: the partitions are shared anew while messages keep arriving.
            await joins.StartAsync();
            positions.AddRange(await cluster.ProduceAsync(second.ToProduce()));
            await WaitUntilAsync(() => recorder.Sum("eventlink.kafka.records", joinsScope) > 0, "the joining instance stored a batch");

            // It leaves: its partitions go back to the first instance, their stored work committed before.
            await joins.StopAsync();
            positions.AddRange(await cluster.ProduceAsync(third.ToProduce()));
            await cluster.WaitUntilCommittedAsync(group, TimeSpan.FromSeconds(180), Topics);
        }
        finally
        {
            await stays.StopAsync();
        }

        var all = first.Messages.Concat(second.Messages).Concat(third.Messages).ToList();
        await using var reader = (IAsyncDisposable)TestStores.Open(UseStore);
        var link = (IEventLink)reader;
        var ids = await TestStores.StoredRecordIdsAsync(link);
        ids.Should().OnlyHaveUniqueItems();
        ids.Should().BeEquivalentTo(first.ExpectedRecordIds.Concat(second.ExpectedRecordIds).Concat(third.ExpectedRecordIds));
        var rejections = await TestStores.RejectionsAsync(link);
        rejections.Select(r => r.Key).Should().BeEquivalentTo(all.Select((m, i) => (m, i)).Where(x => x.m.RecordId is null).Select(x => TestStores.Origin(positions[x.i])));
        cluster.Committed(group, Topics).Should().BeEquivalentTo(cluster.EndOffsets(Topics));

        // Beyond the messages sent twice on purpose, a Duplicate is a redelivery: work stored while the group was
        // rebalancing, whose commit the coordinator refused (librdkafka's mock refuses every OffsetCommit while the
        // group is joining, until the member hears of the rebalance). Idempotency made each one a no-op.
        var redelivered = recorder.Sum("eventlink.kafka.records", outcome: "duplicate") - all.Count(m => m.IsRepeat);
        redelivered.Should().BeGreaterThanOrEqualTo(0);
        output.WriteLine($"{all.Count} messages, {all.Count(m => m.IsRepeat)} sent twice, {redelivered} records redelivered around the rebalances (Duplicate)");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(_file + suffix);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(50);
        }
    }
}

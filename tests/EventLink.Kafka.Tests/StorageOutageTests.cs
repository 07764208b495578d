using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventLink.Kafka.Tests;

/// <summary>
/// PostgreSQL goes away for a while: played by a loopback TCP proxy between the store and the server that cuts every
/// connection and refuses new ones, so the shared test server itself keeps running.
/// </summary>
public sealed class StorageOutageTests
{
    private static readonly string[] Topics = [KafkaSourceHost.StripeTopic, KafkaSourceHost.SegmentTopic];

    [Fact]
    public async Task A_storage_outage_commits_nothing_and_consumption_resumes_without_loss()
    {
        if (TestStores.PostgreSql() is not { } connectionString)
        {
            return;
        }

        var schema = TestStores.NewSchema("kafka_outage");
        var group = "outage-" + Guid.NewGuid().ToString("N")[..8];
        using var proxy = new TcpProxy(() => TestStores.Endpoint(connectionString));
        var throughProxy = new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3, CommandTimeout = 5 }.ConnectionString;
        void UseStore(IEventLinkBuilder el) => el.UsePostgreSql(throughProxy, o => o.Schema = schema);
        using var cluster = new MockKafkaCluster();
        using var recorder = new KafkaMeterRecorder();
        var before = Deliveries.Create(persons: 8, perPerson: 100);
        var during = Deliveries.Create(persons: 8, perPerson: 100, firstPerson: 8);
        var positions = new List<Confluent.Kafka.TopicPartitionOffset>(await cluster.ProduceAsync(before.ToProduce()));
        using var instance = KafkaSourceHost.Build(cluster.BootstrapServers, group, UseStore);
        var scope = instance.Services.GetRequiredService<IMeterFactory>();
        try
        {
            await instance.StartAsync();
            await cluster.WaitUntilCommittedAsync(group, TimeSpan.FromSeconds(120), Topics);
            var committedBefore = cluster.Committed(group, Topics);

            // The outage: messages keep arriving, every attempt to store them fails, nothing is committed.
            proxy.Down();
            positions.AddRange(await cluster.ProduceAsync(during.ToProduce()));
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (recorder.Sum("eventlink.kafka.batch.failures", scope) < 3 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            recorder.Sum("eventlink.kafka.batch.failures", scope).Should().BeGreaterThanOrEqualTo(3, "the consumer kept retrying the failed batch");
            cluster.Committed(group, Topics).Should().BeEquivalentTo(committedBefore, "nothing is committed while the store is down");
            var storedDuringOutage = recorder.Sum("eventlink.kafka.records", scope);

            // The store comes back: the same batch is stored, then the rest, and offsets move again.
            proxy.Up();
            await cluster.WaitUntilCommittedAsync(group, TimeSpan.FromSeconds(120), Topics);
            recorder.Sum("eventlink.kafka.records", scope).Should().BeGreaterThan(storedDuringOutage);
        }
        finally
        {
            await instance.StopAsync();
        }

        try
        {
            await using var reader = (IAsyncDisposable)TestStores.Open(el => el.UsePostgreSql(connectionString, o => o.Schema = schema));
            var link = (IEventLink)reader;
            var ids = await TestStores.StoredRecordIdsAsync(link);
            ids.Should().OnlyHaveUniqueItems();
            ids.Should().BeEquivalentTo(before.ExpectedRecordIds.Concat(during.ExpectedRecordIds));
            var all = before.Messages.Concat(during.Messages).ToList();
            var rejections = await TestStores.RejectionsAsync(link);
            rejections.Select(r => r.Key).Should().BeEquivalentTo(all.Select((m, i) => (m, i)).Where(x => x.m.RecordId is null).Select(x => TestStores.Origin(positions[x.i])));
        }
        finally
        {
            await TestStores.DropSchemaAsync(connectionString, schema);
        }
    }
}

using Xunit.Abstractions;

namespace EventLink.Kafka.Tests;

/// <summary>
/// Two instances of the source in one group over a real Kafka protocol (librdkafka's mock cluster, held by this
/// process and reached by the other over TCP), storing into PostgreSQL; one instance is a child process SIGKILLed
/// mid-batch and restarted.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private static readonly string[] Topics = [KafkaSourceHost.StripeTopic, KafkaSourceHost.SegmentTopic];

    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    private void Step(string what)
    {
        output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1}s {what}");
    }

    [Fact]
    public async Task Ten_thousand_messages_with_an_instance_SIGKILLed_mid_batch_are_stored_exactly_once()
    {
        if (TestStores.PostgreSql() is not { } connectionString)
        {
            return;
        }

        var schema = TestStores.NewSchema("kafka_crash");
        var group = "crash-" + Guid.NewGuid().ToString("N")[..8];
        using var cluster = new MockKafkaCluster();
        var deliveries = Deliveries.Create(persons: 50, perPerson: 100);
        deliveries.Messages.Should().HaveCount(10_000);
        var positions = await cluster.ProduceAsync(deliveries.ToProduce());
        Step("produced");
        using var recorder = new KafkaMeterRecorder();
        void UseStore(IEventLinkBuilder el) => el.UsePostgreSql(connectionString, o => o.Schema = schema);
        await using var reader = (IAsyncDisposable)TestStores.Open(UseStore);
        var link = (IEventLink)reader;
        try
        {
            // The child first, then this process's instance: both join the group's first generation.
            long killedDuplicates;
            using (var child = ConsumerHostProcess.Start(cluster.BootstrapServers, group, connectionString, schema))
            {
                await child.WaitForAsync(l => l == "STARTED", TimeSpan.FromSeconds(120));
                Step("child started");
                using var instance = KafkaSourceHost.Build(cluster.BootstrapServers, group, UseStore);
                await instance.StartAsync();
                Step("instance started");
                try
                {
                    // SIGKILL as the child's third batch starts being stored: its offsets are not committed yet.
                    for (var batch = 0; batch < 3; batch++)
                    {
                        await child.WaitForAsync(l => l == "BATCH", TimeSpan.FromSeconds(120));
                    }

                    child.Kill();
                    Step("killed");
                    killedDuplicates = child.Lines.Where(l => l.StartsWith("DONE ", StringComparison.Ordinal)).Select(l => long.Parse(l.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

                    // Right after the crash: everything below each committed offset is in the store.
                    var committed = cluster.Committed(group, Topics);
                    var stored = (await TestStores.StoredRecordIdsAsync(link)).ToHashSet();
                    var notes = (await TestStores.RejectionsAsync(link)).Select(r => r.Key).ToHashSet();
                    TestStores.CommittedOffsetsAreStored(deliveries.Messages, positions, committed, stored, notes);
                    Step("checked after kill");

                    // The restarted child rejoins; between them the two instances finish the topics.
                    using var restarted = ConsumerHostProcess.Start(cluster.BootstrapServers, group, connectionString, schema);
                    await restarted.WaitForAsync(l => l == "STARTED", TimeSpan.FromSeconds(120));
                    Step("restarted");
                    await cluster.WaitUntilCommittedAsync(group, TimeSpan.FromSeconds(240), Topics);
                    Step("all committed");
                    await restarted.StopAsync(TimeSpan.FromSeconds(30));
                    Step("restarted stopped");
                    killedDuplicates += restarted.Lines.Where(l => l.StartsWith("DONE ", StringComparison.Ordinal)).Select(l => long.Parse(l.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
                    restarted.Lines.Should().Contain(l => l.StartsWith("DONE ", StringComparison.Ordinal), "the restarted instance took part");
                }
                finally
                {
                    await instance.StopAsync();
                    Step("instance stopped");
                }
            }

            // Every message is stored exactly once: each valid record once, nothing else.
            var ids = await TestStores.StoredRecordIdsAsync(link);
            ids.Should().OnlyHaveUniqueItems();
            ids.Should().BeEquivalentTo(deliveries.ExpectedRecordIds);

            // Every committed offset is the end of its partition, and everything below it is stored.
            var final = cluster.Committed(group, Topics);
            final.Should().BeEquivalentTo(cluster.EndOffsets(Topics));

            // The malformed messages are rejection notes naming topic, partition and offset.
            var rejections = await TestStores.RejectionsAsync(link);
            var malformed = deliveries.Messages.Select((m, i) => (m, i)).Where(x => x.m.RecordId is null).Select(x => TestStores.Origin(positions[x.i])).ToList();
            malformed.Should().NotBeEmpty();
            rejections.Select(r => r.Key).Should().BeEquivalentTo(malformed);
            rejections.Should().OnlyContain(r => r.Reason == IngestReason.Unreadable && r.Message.Contains("(at kafka:", StringComparison.Ordinal));
            TestStores.CommittedOffsetsAreStored(deliveries.Messages, positions, final, ids.ToHashSet(), rejections.Select(r => r.Key).ToHashSet());

            // Repeated messages and redelivered ones came back Duplicate: at least one per repeated message.
            var repeats = deliveries.Messages.Count(m => m.IsRepeat);
            var duplicates = recorder.Sum("eventlink.kafka.records", outcome: "duplicate") + killedDuplicates;
            duplicates.Should().BeGreaterThanOrEqualTo(repeats);
            output.WriteLine($"{deliveries.Messages.Count} messages, {repeats} sent twice, {malformed.Count} malformed; {duplicates} Duplicate outcomes");
        }
        finally
        {
            await TestStores.DropSchemaAsync(connectionString, schema);
        }
    }
}

using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventLink.Kafka.Tests;

/// <summary>Topics mapped to record types: the type from the topic, a header or the key; what cannot be read is a note with its place.</summary>
public sealed class MessageReadingTests
{
    [Fact]
    public async Task Record_types_come_from_header_key_or_topic_and_unreadable_messages_are_notes_with_their_offsets()
    {
        using var cluster = new MockKafkaCluster();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddEventLink(el => el
            .AddSchema(schema => schema
                .Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email", IdentityKinds.Email))
                .AppendOnly("charge", t => t.RecordId("id").OccurredAt("created").RelatesTo("email", "customer", IdentityKinds.Email)))
            .AddKafkaSource(kafka =>
            {
                kafka.BootstrapServers = cluster.BootstrapServers;
                kafka.GroupId = "reading";
                kafka.AddTopic("typed", "billing").RecordTypeFromKey = true;
                kafka.AddTopic("charges", "billing", "charge");
                kafka.Linger = TimeSpan.FromMilliseconds(20);
                kafka.ConsumerConfig["log_level"] = "3";
            }));
        using var host = builder.Build();
        var link = host.Services.GetRequiredService<IEventLink>();

        var typeHeader = new Headers { { "eventlink-record-type", Encoding.UTF8.GetBytes("customer") } };
        var positions = await cluster.ProduceAsync(
        [
            ("typed", 0, "ignored-key", Json("""{"id":"c1","created":"2026-01-01T00:00:00Z","email":"ada@example.com"}"""), typeHeader),
            ("typed", 0, "charge", Json("""{"id":"ch1","created":"2026-01-02T00:00:00Z","email":"ada@example.com"}"""), null),
            ("typed", 0, string.Empty, Json("""{"id":"ch2","created":"2026-01-02T00:00:00Z","email":"ada@example.com"}"""), null),
            ("charges", 1, "k", Json("""{"id":"ch3","created":"2026-01-03T00:00:00Z","email":"ada@example.com"}"""), null),
            ("charges", 2, "k", Json("""{"id":"ch4","created":"""), null),
        ]);

        await host.StartAsync();
        try
        {
            await cluster.WaitUntilCommittedAsync("reading", TimeSpan.FromSeconds(60), "typed", "charges");
        }
        finally
        {
            await host.StopAsync();
        }

        var profile = await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com");
        profile!.Records.Select(r => r.RecordId).Should().Equal("c1");
        var timeline = new List<string>();
        await foreach (var e in link.GetTimelineAsync(profile.Id))
        {
            timeline.Add(e.RecordId);
        }

        timeline.Should().BeEquivalentTo(["ch1", "ch3"]);
        var rejections = await TestStores.RejectionsAsync(link);
        rejections.Should().HaveCount(2);
        var noType = rejections.Single(r => r.Reason == IngestReason.Unreadable);
        noType.Key.Should().Be(TestStores.Origin(positions[2]));
        noType.Message.Should().Contain("names no record type").And.Contain($"(at {TestStores.Origin(positions[2])})");
        var malformed = rejections.Single(r => r.Reason == IngestReason.MalformedJson);
        malformed.Key.Should().Be(TestStores.Origin(positions[4]));
        malformed.Message.Should().EndWith($"(at {TestStores.Origin(positions[4])})");
    }

    [Fact]
    public async Task Options_without_topics_fail_when_the_host_starts()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddEventLink(el => el
            .AddSchema(schema => schema.AddStripe())
            .AddKafkaSource(kafka => kafka.BatchSize = 0));
        using var host = builder.Build();

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>())
            .Which.Failures.Should().Contain(f => f.Contains("Topics is empty", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("BatchSize", StringComparison.Ordinal));
    }

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);
}

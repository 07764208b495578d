using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Tests.Serialization;

/// <summary>The public read models serialise once and cleanly: each value once, JSON values as JSON, enums by name.</summary>
public sealed class PublicTypeSerializationTests
{
    private static void Schema(SchemaBuilder s) => s
        .Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email"))
        .AppendOnly("charge", t => t.RecordId("id").OccurredAt("created").EventName("type").RelatesTo("customer_email", "customer"));

    private static async Task<(IEventLink Link, IngestResult Customer)> SeedAsync()
    {
        var link = new EventLinkBuilder().AddSchema(Schema).Build();
        var customer = await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1767225600,"email":"ada@example.com","plan":"team","seats":3}"""));
        await link.IngestAsync(new IngestRecord("stripe", "charge", """{"id":"ch_1","type":"charge.succeeded","created":1768471200,"customer_email":"ada@example.com","amount":1200}"""));
        return (link, customer);
    }

    [Fact]
    public async Task A_timeline_event_writes_its_payload_once_as_json()
    {
        var (link, customer) = await SeedAsync();
        await using var _ = link;
        var timelineEvent = (await link.GetTimelineAsync(customer.ProfileId!.Value).ToListAsync()).Single();

        var json = JsonSerializer.Serialize(timelineEvent, JsonSerializerOptions.Web);
        var node = JsonNode.Parse(json)!.AsObject();

        node.Select(p => p.Key).Should().BeEquivalentTo(
            "source", "recordType", "recordId", "eventName", "occurredAt", "ingestedAt", "profileId", "payload", "linkedBy", "originalEventName");
        node["payload"]!.GetValueKind().Should().Be(JsonValueKind.Object);
        node["payload"]!["amount"]!.GetValue<int>().Should().Be(1200);
        json.Should().Contain("\"amount\"").And.NotContain("payloadJson");
        json.IndexOf("\"amount\"", StringComparison.Ordinal).Should().Be(json.LastIndexOf("\"amount\"", StringComparison.Ordinal), "the payload is written once");

        var back = JsonSerializer.Deserialize<TimelineEvent>(json, JsonSerializerOptions.Web)!;
        back.Should().Be(timelineEvent with { PayloadJson = back.PayloadJson });
        JsonNode.DeepEquals(JsonNode.Parse(back.PayloadJson), JsonNode.Parse(timelineEvent.PayloadJson)).Should().BeTrue();
    }

    [Fact]
    public async Task A_profile_writes_each_attribute_value_and_identity_once()
    {
        var (link, customer) = await SeedAsync();
        await using var _ = link;
        var profile = (await link.GetProfileAsync(customer.ProfileId!.Value))!;

        var node = JsonNode.Parse(JsonSerializer.Serialize(profile, JsonSerializerOptions.Web))!.AsObject();

        var seats = node["attributes"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "seats")!.AsObject();
        seats.Select(p => p.Key).Should().BeEquivalentTo("name", "value", "source", "recordType", "recordId", "observedAt");
        seats["value"]!.GetValueKind().Should().Be(JsonValueKind.Number);
        seats["value"]!.GetValue<int>().Should().Be(3);
        var identity = node["identities"]!.AsArray().Single()!.AsObject();
        identity.Select(p => p.Key).Should().BeEquivalentTo("key", "source", "recordType", "recordId", "firstSeenAt");
        identity["key"]!.ToJsonString().Should().Be("""{"kind":"email","value":"ada@example.com"}""");
    }

    [Fact]
    public async Task Enums_are_written_by_name()
    {
        var (link, customer) = await SeedAsync();
        await using var _ = link;

        var node = JsonNode.Parse(JsonSerializer.Serialize(customer, JsonSerializerOptions.Web))!;
        node["outcome"]!.GetValue<string>().Should().Be("Created");
        JsonSerializer.Serialize(RecordKind.AppendOnly).Should().Be("\"AppendOnly\"");
        JsonSerializer.Deserialize<IngestOutcome>("\"Quarantined\"").Should().Be(IngestOutcome.Quarantined);
    }
}

using System.Text;
using System.Text.Json;
using EventLink.Storage;

namespace EventLink.Tests.Ingestion;

/// <summary>An event row the engine makes holds its payload as UTF-8; it reads, compares and prints exactly as one made from text.</summary>
public sealed class EventRowPayloadTests
{
    private const string Payload = """{"id":"ch_1","note":"café ✓","n":1}""";
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_row_made_from_utf8_equals_the_row_made_from_its_text()
    {
        var fromText = Row(Payload);
        var fromUtf8 = Row(Encoding.UTF8.GetBytes(Payload));

        fromUtf8.PayloadJson.Should().Be(Payload);
        fromUtf8.Should().Be(fromText);
        fromText.Should().Be(fromUtf8);
        fromUtf8.GetHashCode().Should().Be(fromText.GetHashCode());
        fromUtf8.ToString().Should().Be(fromText.ToString());
        JsonSerializer.Serialize(fromUtf8).Should().Be(JsonSerializer.Serialize(fromText));
        fromUtf8.Utf8Payload.ToArray().Should().Equal(Encoding.UTF8.GetBytes(Payload));
        fromText.Utf8Payload.ToArray().Should().Equal(Encoding.UTF8.GetBytes(Payload));
    }

    [Fact]
    public void Copies_keep_the_payload_and_a_new_payload_replaces_it()
    {
        var row = Row(Encoding.UTF8.GetBytes(Payload));

        (row with { Id = 7 }).PayloadJson.Should().Be(Payload);
        (row with { Id = 7 }).Should().Be(Row(Payload) with { Id = 7 });
        var replaced = row with { PayloadJson = "{}" };
        replaced.PayloadJson.Should().Be("{}");
        replaced.Utf8Payload.ToArray().Should().Equal("{}"u8.ToArray());
        replaced.Should().NotBe(row);
        row.Should().NotBe(Row(Encoding.UTF8.GetBytes("""{"id":"ch_2"}""")));
    }

    [Fact]
    public async Task A_payload_with_invalid_utf8_is_rejected_and_nothing_of_it_is_stored()
    {
        var json = Encoding.UTF8.GetBytes("""{"id":"ch_1","created":1700000000,"email":"a@x.com","note":"__"}""");
        var at = Array.IndexOf(json, (byte)'_', Encoding.UTF8.GetByteCount("""{"id":"ch_1","created":1700000000,"email":"a@x.com","note":"""));
        json[at] = 0xC3;
        json[at + 1] = 0x28;
        await using var link = new EventLinkBuilder()
            .AddSchema(s => s
                .Merged("customer", t => t.Identity("email"))
                .AppendOnly("charge", t => t.RelatesTo("email", "customer")))
            .Build();
        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1700000000,"email":"a@x.com"}"""));

        var result = await link.IngestAsync(new IngestRecord("stripe", "charge", json));

        result.Outcome.Should().Be(IngestOutcome.Rejected);
        result.Reason.Should().Be(IngestReason.MalformedJson);
        result.Message.Should().Contain($"offset {at}");
        var customer = (await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1700000000,"email":"a@x.com"}"""))).ProfileId!.Value;
        (await link.GetTimelineAsync(customer).ToListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task The_in_memory_store_keeps_its_own_copy_of_each_payload()
    {
        await using var link = new EventLinkBuilder()
            .AddSchema(s => s
                .Merged("customer", t => t.Identity("email"))
                .AppendOnly("charge", t => t.RelatesTo("email", "customer")))
            .Build();
        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1700000000,"email":"a@x.com"}"""));
        var buffer = new byte[4096];
        var records = new List<IngestRecord>();
        var expected = new List<string>();
        var used = 0;
        for (var i = 0; i < 3; i++)
        {
            var json = $$"""{"id":"ch_{{i}}","created":{{1700000000 + i}},"email":"a@x.com","note":"{{new string((char)('a' + i), 50 * i)}}"}""";
            var length = Encoding.UTF8.GetBytes(json, buffer.AsSpan(used));
            records.Add(new IngestRecord("stripe", "charge", buffer.AsMemory(used, length)));
            expected.Add(json);
            used += length;
        }

        var results = await link.IngestAsync(records);
        Array.Fill(buffer, (byte)'x');

        results.Should().OnlyContain(r => r.Outcome == IngestOutcome.Linked);
        var timeline = await link.GetTimelineAsync(results[0].ProfileId!.Value).ToListAsync();
        timeline.Select(e => e.PayloadJson).Should().Equal(expected);
    }

    [Fact]
    public async Task An_erased_event_leaves_no_payload_bytes_in_the_in_memory_store()
    {
        var store = new EventLink.Storage.InMemory.InMemoryEventLinkStore();
        await using var link = new EventLinkBuilder()
            .AddSchema(s => s
                .Merged("customer", t => t.Identity("email"))
                .AppendOnly("charge", t => t.RelatesTo("email", "customer")))
            .UseStore(_ => store)
            .ConfigurePrivacy(p => p.TombstoneSecret = "event-row-payload-tests-tombstone-secret")
            .Build();
        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1700000000,"email":"a@x.com"}"""));
        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_2","created":1700000000,"email":"b@x.com"}"""));
        var charges = await link.IngestAsync([
            new IngestRecord("stripe", "charge", """{"id":"ch_a","created":1700000001,"email":"a@x.com","note":"secret of a"}"""),
            new IngestRecord("stripe", "charge", """{"id":"ch_b","created":1700000002,"email":"b@x.com","note":"kept for b"}"""),
        ]);
        var erasedRow = (await store.GetEventAsync(link.Tenant, "stripe", "ch_a"))!;
        var keptRow = (await store.GetEventAsync(link.Tenant, "stripe", "ch_b"))!;

        (await link.ForgetAsync(charges[0].ProfileId!.Value)).Events.Should().Be(1);

        erasedRow.Utf8Payload.ToArray().Should().OnlyContain(b => b == 0);
        keptRow.PayloadJson.Should().Be("""{"id":"ch_b","created":1700000002,"email":"b@x.com","note":"kept for b"}""");
        (await store.GetEventAsync(link.Tenant, "stripe", "ch_a")).Should().BeNull();
    }

    private static EventRow Row(string payload) =>
        new(0, "stripe", "ch_1", "charge", "charge.succeeded", T0, T0, null, -1, IngestReason.NoMatchingProfile, "waiting", payload);

    private static EventRow Row(byte[] payload) =>
        new(0, "stripe", "ch_1", "charge", "charge.succeeded", T0, T0, null, -1, IngestReason.NoMatchingProfile, "waiting", new ReadOnlyMemory<byte>(payload));
}

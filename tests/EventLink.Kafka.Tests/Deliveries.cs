using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace EventLink.Kafka.Tests;

/// <summary>
/// Stripe webhook events and Segment messages in their real shapes — variations of the fixtures in
/// tests/Fixtures/presets (stripe.jsonl: Stripe's API reference and webhook docs; segment.jsonl: Segment's Spec), one
/// set of ids per person — keyed and partitioned by the person, with some messages malformed and some sent twice.
/// </summary>
internal sealed class Deliveries
{
    private static readonly string[] Stripe = Fixture("stripe");
    private static readonly string[] Segment = Fixture("segment");

    private Deliveries(List<Delivery> messages) => Messages = messages;

    public IReadOnlyList<Delivery> Messages { get; }

    /// <summary>The record ids every valid message stores, once each.</summary>
    public IEnumerable<string> ExpectedRecordIds => Messages.Where(m => m.RecordId is not null && !m.IsRepeat).Select(m => m.RecordId!);

    /// <summary>Creates <paramref name="perPerson"/> messages per person and topic (the first the person's profile record).</summary>
    /// <param name="persons">How many people.</param>
    /// <param name="perPerson">Messages per person and topic.</param>
    /// <param name="firstPerson">The first person's number (another batch of people has other ids).</param>
    public static Deliveries Create(int persons, int perPerson, int firstPerson = 0)
    {
        var messages = new List<Delivery>();
        for (var p = firstPerson; p < firstPerson + persons; p++)
        {
            messages.AddRange(ForPerson(KafkaSourceHost.StripeTopic, p, perPerson, StripeMessage));
            messages.AddRange(ForPerson(KafkaSourceHost.SegmentTopic, p, perPerson, SegmentMessage));
        }

        return new Deliveries(messages);
    }

    public IEnumerable<(string Topic, int Partition, string Key, byte[] Value, Headers? Headers)> ToProduce() =>
        Messages.Select(m => (m.Topic, m.Partition, m.Key, m.Value, (Headers?)null));

    private static IEnumerable<Delivery> ForPerson(string topic, int person, int count, Func<int, int, (string Json, string RecordId)> create)
    {
        var key = $"person-{person:D5}";
        var partition = person % MockKafkaCluster.Partitions;
        var sent = new List<Delivery>();
        for (var k = 0; k < count; k++)
        {
            Delivery delivery;
            if (k % 20 == 7 && (person + k) % 5 == 0)
            {
                // Malformed: a truncated body, or text that is not JSON at all.
                var (json, _) = create(person, k);
                var bad = (person + k) % 2 == 0 ? json[..(json.Length / 2)] : "<html>502 Bad Gateway</html>";
                delivery = new Delivery(topic, partition, key, Encoding.UTF8.GetBytes(bad), null, IsRepeat: false);
            }
            else if (k % 20 == 12 && (person + k) % 3 == 0)
            {
                // The same message again (a producer retry): the same bytes, a later offset.
                var again = sent[k - 3];
                delivery = again with { IsRepeat = again.RecordId is not null };
            }
            else
            {
                var (json, recordId) = create(person, k);
                delivery = new Delivery(topic, partition, key, Encoding.UTF8.GetBytes(json), recordId, IsRepeat: false);
            }

            sent.Add(delivery);
        }

        return sent;
    }

    private static (string Json, string RecordId) StripeMessage(int person, int k)
    {
        var customer = $"cus_P{person:D5}";
        var eventId = $"evt_P{person:D5}K{k:D3}";
        var template = k == 0 ? Stripe[0] : k % 2 == 0 ? Stripe[2] : Stripe[3];
        var json = template
            .Replace("cus_Rb8mQ2xV1aLd9K", customer, StringComparison.Ordinal)
            .Replace("Ada@Example.com", $"Person{person}@Example.com", StringComparison.OrdinalIgnoreCase)
            .Replace("in_1PzQ8mLkdIwHu7ixKp0Vb3cD", $"in_P{person:D5}K{k:D3}", StringComparison.Ordinal)
            .Replace("ch_3PzQ8nLkdIwHu7ix0s1Qa9Zb", $"ch_P{person:D5}K{k:D3}", StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        json = json.Replace(document.RootElement.GetProperty("id").GetString()!, eventId, StringComparison.Ordinal);
        return (json, k == 0 ? customer : eventId);
    }

    private static (string Json, string RecordId) SegmentMessage(int person, int k)
    {
        var template = k == 0 ? Segment[2] : Segment[3];
        using var document = JsonDocument.Parse(template);
        var messageId = $"msg-P{person:D5}K{k:D3}";
        var json = template
            .Replace(document.RootElement.GetProperty("messageId").GetString()!, messageId, StringComparison.Ordinal)
            .Replace("usr_7731", $"usr_P{person:D5}", StringComparison.Ordinal)
            .Replace("3f2c9a5e-8d41-4b7a-9c06-1e5f7a2b8d90", $"3f2c9a5e-8d41-4b7a-9c06-{person:D12}", StringComparison.Ordinal)
            .Replace("katherine@orbital.example.com", $"person{person}@example.com", StringComparison.Ordinal);
        return (json, messageId);
    }

    private static string[] Fixture(string name) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".jsonl")).Where(l => l.Length > 0).ToArray();
}

/// <summary>One message to produce; <see cref="RecordId"/> is what it stores, <see langword="null"/> when malformed.</summary>
internal sealed record Delivery(string Topic, int Partition, string Key, byte[] Value, string? RecordId, bool IsRepeat);

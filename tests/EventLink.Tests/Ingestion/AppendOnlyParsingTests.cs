using System.Text;
using System.Text.Json;
using EventLink.Quality.Internal;

namespace EventLink.Tests.Ingestion;

/// <summary>The one-pass reader of append-only records answers exactly as the JsonDocument path does.</summary>
public sealed class AppendOnlyParsingTests
{
    private static readonly EventLinkSchema Schema = EventLinkSchema.Create(s => s
        .Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email").Identity("metadata.user_id", IdentityKinds.UserId))
        .AppendOnly("charge", t => t
            .RecordId("id").OccurredAt("created").EventName("type")
            .RelatesTo("customer_email", "customer")
            .RelatesTo("metadata.user_id", "customer", IdentityKinds.UserId)
            .RelatesTo("billing.emails[1]", "customer")
            .RelatesTo("data.object.receipt_email", "customer"))
        .AppendOnly("visit", t => t
            .RecordId("$.id").OccurredAt("at", TimestampFormat.Iso8601)
            .RelatesTo("user.email", "customer")));

    public static TheoryData<string, string> Payloads() => new()
    {
        { "charge", """{"id":"ch_1","type":"charge.succeeded","created":1700000000,"customer_email":" Ada@Example.COM ","metadata":{"user_id":"u1"}}""" },
        { "charge", """{"id":42,"created":"1700000000123","customer_email":null,"metadata":{"user_id":7}}""" },
        { "charge", """{"id":"ch_2","created":1700000000,"billing":{"emails":["a@x.com","b@x.com","c@x.com"]}}""" },
        { "charge", """{"id":"ch_3","created":1700000000,"billing":{"emails":["a@x.com"]},"data":{"object":{"receipt_email":"r@x.com"}}}""" },
        { "charge", """{"id":"ch_4","created":1700000000,"customer_email":"first@x.com","customer_email":"last@x.com"}""" },
        { "charge", """{"id":"ch_5","created":1700000000,"metadata":{"user_id":"a"},"metadata":{"other":1}}""" },
        { "charge", """{"id":"ch_6","created":1700000000,"metadata":{"user_id":true},"type":""}""" },
        { "charge", """{"id":"ch_7","created":1700000000,"metadata":{"user_id":{"nested":1}},"customer_email":["x@y.com"]}""" },
        { "charge", """{"id":"ch_8","created":1700000000,"metadata":[{"user_id":"u"}],"billing":{"emails":{"1":"no@x.com"}}}""" },
        { "charge", """{"\u0069d":"ch_esc","created":1700000000,"customer_email":"esc\u0040x.com\n"}""" },
        { "charge", """{"id":"  ","created":1700000000}""" },
        { "charge", """{"created":1700000000}""" },
        { "charge", """{"id":"ch_9"}""" },
        { "charge", """{"id":"ch_10","created":null}""" },
        { "charge", """{"id":"ch_11","created":{"at":1}}""" },
        { "charge", """{"id":"ch_12","created":"yesterday"}""" },
        { "charge", """{"id":"ch_13","created":1e400}""" },
        { "charge", """{"id":"ch_14","created":-1e20}""" },
        { "charge", """{"id":"ch_15","created":"2024-01-02T03:04:05Z"}""" },
        { "charge", """{"id":"ch_16","created":1700000000,"type":"x","unrelated":{"deep":[1,2,{"a":[{}]}]}}""" },
        { "charge", """[1,2,3]""" },
        { "charge", "\"just a string\"" },
        { "charge", """null""" },
        { "charge", """42""" },
        { "charge", "" },
        { "charge", "   " },
        { "charge", """{"id":"ch_17","created":1700000000""" },
        { "charge", """{"id":"ch_18","created":1700000000} trailing""" },
        { "charge", """{"id":"ch_19","created":1700000000}{}""" },
        { "charge", """{"id":"ch_20","created":1700000000,}""" },
        { "charge", """{"id":"ch_21",/*c*/"created":1700000000}""" },
        { "charge", """[1,2""" },
        { "charge", "\uFEFF{\"id\":\"bom\",\"created\":1700000000}" },
        { "charge", new string('[', 70) + new string(']', 70) },
        { "charge", "{\"id\":\"deep\",\"created\":1700000000,\"x\":" + new string('[', 70) + new string(']', 70) + "}" },
        { "charge", "{\"id\":\"ok-deep\",\"created\":1700000000,\"x\":" + new string('[', 60) + new string(']', 60) + "}" },
        { "visit", """{"id":"v1","at":"2024-05-06T07:08:09+02:00","user":{"email":"V@X.COM"}}""" },
        { "visit", """{"id":"v2","at":1700000000,"user":{"email":"v@x.com"}}""" },
        { "visit", """{"id":"v3","at":"2024-05-06T07:08:09","user":"v@x.com"}""" },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void The_one_pass_reader_matches_the_document_reader(string recordType, string json)
    {
        var record = new IngestRecord("stripe", recordType, json);
        Schema.TryGetRecordType(recordType, out var type).Should().BeTrue();

        var fast = RecordParser.TryParse(Schema, record, 1 << 20, out var fastParsed, out var fastRejection);
        var slow = RecordParser.TryParseDocument(type, "stripe", record, out var slowParsed, out var slowRejection);

        fast.Should().Be(slow);
        fastRejection.Should().Be(slowRejection);
        if (fast)
        {
            using (fastParsed)
            using (slowParsed)
            {
                fastParsed.RelationValues.Should().NotBeNull();
                slowParsed.RelationValues.Should().BeNull();
                fastParsed.RecordId.Should().Be(slowParsed.RecordId);
                fastParsed.OccurredAt.Should().Be(slowParsed.OccurredAt);
                fastParsed.EventName.Should().Be(slowParsed.EventName);
                for (var i = 0; i < type.Relations.Count; i++)
                {
                    fastParsed.RelationValue(i).Should().Be(slowParsed.RelationValue(i), "relation {0}", i);
                    var found = fastParsed.TryGetRelationValue(i, new char[64], out var chars);
                    (found ? chars.ToString() : null).Should().Be(slowParsed.RelationValue(i), "relation {0} read into a buffer", i);
                    found = fastParsed.TryGetRelationValue(i, new char[2], out chars);
                    (found ? chars.ToString() : null).Should().Be(slowParsed.RelationValue(i), "relation {0} too long for the buffer", i);
                }
            }
        }
    }

    [Fact]
    public void Invalid_utf8_in_a_selected_string_rejects_the_record_before_any_value_is_read()
    {
        var json = Encoding.UTF8.GetBytes("""{"id":"ch_1","created":1700000000,"customer_email":"a@x.com","metadata":{"user_id":"__"}}""");
        var at = Array.IndexOf(json, (byte)'_', Encoding.UTF8.GetByteCount("""{"id":"ch_1","created":1700000000,"customer_email":"a@x.com","metadata":{"user_id":"""));
        json[at] = 0xC3;
        json[at + 1] = 0x28;
        var record = new IngestRecord("stripe", "charge", json);

        RecordParser.TryParse(Schema, record, 1 << 20, out _, out var rejection).Should().BeFalse();
        rejection.Reason.Should().Be(IngestReason.MalformedJson);
        rejection.Message.Should().Be($"the payload is not valid JSON: it is not well-formed UTF-8 (first bad byte at offset {at:N0})");
    }

    [Fact]
    public void The_shape_signature_taken_while_reading_is_the_one_a_separate_pass_writes()
    {
        // In order, reversed and repeated: each payload is compared against the previous one's signature (equal,
        // longer, shorter, or differing anywhere), and one signature is kept per distinct token sequence.
        var payloads = Payloads().Select(row => ((string)row[0], (string)row[1])).ToList();
        payloads.Add(("charge", """{"id":"ch_16","created":1700000000,"type":"x","unrelated":{"deep":[1,2,{"a":[{}]}]}}"""));
        payloads.Add(("charge", """{"id":"ch_16","created":1700000000,"type":"x","unrelated":{"deep":[1,2,{"a":[{}]}]},"more":1}"""));
        payloads.Add(("charge", """{"id":"ch_16","created":1700000000,"type":"x","unrelated":{"deep":[1,2,{"a":[{}]}]}}"""));
        payloads.Add(("charge", """{"id":"ch_16","created":1700000000,"type":"x","unrelated":{"deep":[1,2,{"b":[{}]}]}}"""));
        payloads.Add(("charge", """{"id":"ch_16","created":1700000000,"type":"x","unrelated":{"de\u0065p":[1,2,{"b":[{}]}]}}"""));
        var scratch = new ParseScratch(new ShapeSignatures());
        var seen = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var parsedCount = 0;
        foreach (var (recordType, json) in payloads.Concat(Enumerable.Reverse(payloads)).Concat(payloads))
        {
            if (!RecordParser.TryParse(Schema, new IngestRecord("stripe", recordType, json), 1 << 20, out var parsed, out _, scratch))
            {
                continue;
            }

            using (parsed)
            {
                parsedCount++;
                var expected = SeparatePass(json);
                parsed.ShapeSignature.Should().Equal(expected, json);
                var key = Convert.ToHexString(expected);
                if (seen.TryGetValue(key, out var earlier))
                {
                    parsed.ShapeSignature.Should().BeSameAs(earlier, json);
                }
                else
                {
                    seen[key] = parsed.ShapeSignature!;
                }
            }
        }

        parsedCount.Should().BeGreaterThan(50);
        seen.Count.Should().BeGreaterThan(10);

        static byte[] SeparatePass(string json)
        {
            var writer = new ShapeSignatureWriter(new byte[4], null);
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            while (reader.Read())
            {
                writer.Add(ref reader);
            }

            return writer.Written.ToArray();
        }
    }

    [Fact]
    public void Repeated_event_names_are_one_string_and_each_name_reads_as_written()
    {
        var names = new List<string>();
        foreach (var type in (string[])["charge.succeeded", "charge.failed", "charge.succeeded", "charge.\u0066ailed", "charge.failed", "42"])
        {
            var json = $$"""{"id":"ch_{{names.Count}}","created":1700000000,"type":"{{type}}"}""";
            RecordParser.TryParse(Schema, new IngestRecord("stripe", "charge", json), 1 << 20, out var parsed, out _).Should().BeTrue();
            using (parsed)
            {
                names.Add(parsed.EventName);
            }
        }

        names.Should().Equal("charge.succeeded", "charge.failed", "charge.succeeded", "charge.failed", "charge.failed", "42");
        names[2].Should().BeSameAs(names[0]);
        names[4].Should().BeSameAs(names[1]);
    }
}

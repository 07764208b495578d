using System.Text;
using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Compliance;

/// <summary>Bad input is rejected with a precise reason, never throws, and changes nothing but the rejection log.</summary>
public abstract class BadInputContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    /// <summary>Gets the bad records: source, record type, payload, the expected reason and a part of the expected message.</summary>
    public static TheoryData<string, string, string, IngestReason, string> BadRecords => new()
    {
        { "stripe", "charge", "{\"id\": \"ch_1\", \"created\": ", IngestReason.MalformedJson, "not valid JSON" },
        { "stripe", "charge", "not json at all", IngestReason.MalformedJson, "not valid JSON" },
        { "stripe", "charge", "[1, 2, 3]", IngestReason.PayloadNotAnObject, "a JSON array, not an object" },
        { "stripe", "charge", """{"created":1767225600,"customer_email":"ada@example.com"}""", IngestReason.MissingRecordId, "record id selector 'id'" },
        { "stripe", "charge", """{"id":{"nested":true},"created":1767225600}""", IngestReason.MissingRecordId, "record id selector 'id'" },
        { "stripe", "charge", """{"id":"ch_1","customer_email":"ada@example.com"}""", IngestReason.MissingOccurredAt, "occurred-at selector 'created' found nothing" },
        { "stripe", "charge", """{"id":"ch_1","created":"yesterday"}""", IngestReason.InvalidOccurredAt, "'yesterday' is not an ISO-8601 date and time" },
        { "stripe", "charge", """{"id":"ch_1","created":"2026-01-15T10:00:00"}""", IngestReason.InvalidOccurredAt, "has no UTC offset" },
        { "stripe", "charge", """{"id":"ch_1","created":true}""", IngestReason.InvalidOccurredAt, "a true is not a time" },
        { "stripe", "charge", """{"id":"ch_1","created":99999999999999999}""", IngestReason.InvalidOccurredAt, "outside 1900–2200" },
        { "stripe", "refund", """{"id":"re_1","created":1767225600}""", IngestReason.UnknownRecordType, "record type 'refund' is not in the schema" },
        { "", "charge", """{"id":"ch_1","created":1767225600}""", IngestReason.InvalidSource, "names no source" },
    };

    [StoreFact]
    public virtual async Task Bad_records_are_rejected_with_their_reason_and_change_nothing_else()
    {
        var index = 0;
        foreach (var row in BadRecords)
        {
            var (source, recordType, json, reason, message) = ((string)row[0], (string)row[1], (string)row[2], (IngestReason)row[3], (string)row[4]);
            var link = await CreateAsync(name: $"bad_{index++}");
            await link.IngestAsync([StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)), StripeCharge("ch_0", "ada@example.com", Day(2026, 1, 2), 100)]);
            var before = await StateWithoutRejectionsAsync(link);

            var result = await link.IngestAsync(new IngestRecord(source, recordType, json));

            var because = $"the payload {json} is bad ({reason})";
            result.Outcome.Should().Be(IngestOutcome.Rejected, because);
            result.Reason.Should().Be(reason, because);
            result.Message.Should().Contain(message, because);
            result.IsAccepted.Should().BeFalse(because);
            (await StateWithoutRejectionsAsync(link)).Should().Be(before, because);
            var note = (await link.GetRejectionsAsync().ToListAsync()).Should().ContainSingle(because).Subject;
            note.Reason.Should().Be(reason, because);
            note.Message.Should().Be(result.Message, because);
            (await link.GetCoverageAsync())[recordType].Rejected.Should().Be(1, because);
        }
    }

    [StoreFact]
    public virtual async Task Invalid_utf8_anywhere_in_a_payload_is_rejected_as_malformed_json_alone()
    {
        // JSON exchanged between systems must be UTF-8 (RFC 8259): a byte 0xFF in the record id, in the relation
        // value or in a field nobody reads makes the payload malformed, and the rest of the batch still goes in.
        string[] payloads =
        [
            """{"id":"ch_\u00FF","created":1767225600,"customer_email":"ada@example.com"}""",
            """{"id":"ch_2","created":1767225600,"customer_email":"ada\u00FF@example.com"}""",
            """{"id":"ch_3","created":1767225600,"customer_email":"ada@example.com","note":"\u00FF"}""",
            """{"id":"ch_4","created":1767225600,"customer_email":"ada@example.com","\u00FF":1}""",
        ];
        var link = await CreateAsync();
        await link.IngestAsync([StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1))]);
        var records = payloads
            .Select(p => new IngestRecord("stripe", "charge", Encoding.Latin1.GetBytes(p.Replace("\\u00FF", "\u00FF", StringComparison.Ordinal))))
            .Append(StripeCharge("ch_ok", "ada@example.com", Day(2026, 1, 2), 100))
            .ToList();

        var results = await link.IngestAsync(records);

        for (var i = 0; i < payloads.Length; i++)
        {
            results[i].Outcome.Should().Be(IngestOutcome.Rejected, payloads[i]);
            results[i].Reason.Should().Be(IngestReason.MalformedJson, payloads[i]);
            results[i].Message.Should().Contain("UTF-8", payloads[i]);
        }

        results[^1].Outcome.Should().Be(IngestOutcome.Linked);
        (await link.GetRejectionsAsync().ToListAsync()).Should().HaveCount(payloads.Length);
    }

    [StoreFact]
    public virtual async Task A_payload_over_the_size_limit_is_rejected()
    {
        var link = await CreateAsync(options: o => o.MaxPayloadBytes = 1024);
        var json = $$"""{"id":"ch_big","created":1767225600,"customer_email":"ada@example.com","blob":"{{new string('x', 2000)}}"}""";

        var result = await link.IngestAsync(new IngestRecord("stripe", "charge", json));

        result.Outcome.Should().Be(IngestOutcome.Rejected);
        result.Reason.Should().Be(IngestReason.PayloadTooLarge);
        result.Message.Should().Contain("the limit is 1,024");
        (await link.GetQuarantineAsync().ToListAsync()).Should().BeEmpty();
    }

    [StoreFact]
    public virtual async Task The_default_size_limit_is_one_mebibyte()
    {
        var link = await CreateAsync();
        var padding = new string('x', 1024 * 1024);
        var result = await link.IngestAsync(new IngestRecord("stripe", "charge", Encoding.UTF8.GetBytes($$"""{"id":"ch_big","created":1767225600,"blob":"{{padding}}"}""")));
        result.Reason.Should().Be(IngestReason.PayloadTooLarge);
    }

    [StoreFact]
    public virtual async Task Rejecting_the_same_bad_record_again_counts_it_once()
    {
        var link = await CreateAsync();
        var bad = new IngestRecord("stripe", "charge", "{oops");
        await link.IngestAsync([bad, bad]);
        await link.IngestAsync(bad);

        (await link.GetRejectionsAsync().ToListAsync()).Should().ContainSingle();
        (await link.GetCoverageAsync())["charge"].Rejected.Should().Be(1);
    }

    [StoreFact]
    public virtual async Task Good_records_in_a_batch_with_bad_ones_are_all_stored()
    {
        var link = await CreateAsync();
        var results = await link.IngestAsync([
            StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)),
            new IngestRecord("stripe", "charge", "{"),
            StripeCharge("ch_1", "ada@example.com", Day(2026, 1, 2), 100),
        ]);

        results.Select(r => r.Outcome).Should().Equal(IngestOutcome.Created, IngestOutcome.Rejected, IngestOutcome.Linked);
        (await link.GetTimelineAsync(results[0].ProfileId!.Value).ToListAsync()).Should().ContainSingle();
    }

    private static async Task<string> StateWithoutRejectionsAsync(IEventLink link)
    {
        var lines = (await Snapshot.ExactAsync(link)).Split('\n')
            .Where(l => !l.StartsWith("rejection", StringComparison.Ordinal) && !l.StartsWith("coverage", StringComparison.Ordinal));
        var coverage = (await link.GetCoverageAsync()).RecordTypes.Where(c => link.Schema.RecordTypes.ContainsKey(c.RecordType)).Select(c => c with { Rejected = 0 });
        return string.Join('\n', lines) + string.Join('\n', coverage);
    }
}

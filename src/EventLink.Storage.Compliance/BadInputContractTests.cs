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

    /// <summary>
    /// Gets payloads that are well-formed JSON but hold a value no store keeps the same way, in every position a reader
    /// looks at or not: a lone surrogate escape, a NUL escape, a number beyond PostgreSQL's <c>numeric</c>.
    /// </summary>
    public static TheoryData<string, string, string> UnsupportedValues => new()
    {
        // Merged records: record id, identity, attribute, a field nobody reads, a key.
        { "customer", """{"id":"cus_\ud800","created":1767225600,"email":"x@example.com"}""", "lone surrogate (\\ud800)" },
        { "customer", """{"id":"cus_x","created":1767225600,"email":"x\udc00@example.com"}""", "lone surrogate (\\udc00)" },
        { "customer", """{"id":"cus_x","created":1767225600,"email":"x@example.com","name":"\udc00\ud800"}""", "lone surrogate (\\udc00)" },
        { "customer", """{"id":"cus_x","created":1767225600,"email":"x@example.com","note":{"deep":["\ud83d"]}}""", "lone surrogate (\\ud83d)" },
        { "customer", """{"id":"cus_x","created":1767225600,"email":"x@example.com","\ud800key":1}""", "property name" },
        { "customer", """{"id":"cus_x","created":1767225600,"email":"x@example.com","note":"a\u0000b"}""", "NUL character" },
        { "customer", """{"id":"cus_x","created":1767225600,"email":"x@example.com","big":1e200000}""", "131,072" },
        // Append-only records: id, time, event name, relation value, unused value, key; NUL and numbers anywhere.
        { "charge", """{"id":"ch_\ud800","created":1767225600,"customer_email":"ada@example.com"}""", "lone surrogate (\\ud800)" },
        { "charge", """{"id":"ch_x","created":"2026-01-01T00:00:00Z\udc00","customer_email":"ada@example.com"}""", "lone surrogate (\\udc00)" },
        { "charge", """{"id":"ch_x","created":1767225600,"type":"paid\udc00\ud800","customer_email":"ada@example.com"}""", "lone surrogate (\\udc00)" },
        { "charge", """{"id":"ch_x","created":1767225600,"customer_email":"ada\ud800@example.com"}""", "lone surrogate (\\ud800)" },
        { "charge", """{"id":"ch_x","created":1767225600,"customer_email":"ada@example.com","note":"\udfff"}""", "lone surrogate (\\udfff)" },
        { "charge", """{"id":"ch_x","created":1767225600,"customer_email":"ada@example.com","metadata":{"\udc00":1}}""", "property name" },
        { "charge", """{"id":"ch_\u0000","created":1767225600,"customer_email":"ada@example.com"}""", "NUL character" },
        { "charge", """{"id":"ch_x","created":1767225600,"customer_email":"ada@example.com","\u0000":true}""", "NUL character" },
        { "charge", """{"id":"ch_x","created":1767225600,"customer_email":"ada@example.com","amount":1e200000}""", "131,072" },
        { "charge", """{"id":"ch_x","created":1767225600,"customer_email":"ada@example.com","amount":[1.5e-16383]}""", "16,383" },
        { "charge", """{"id":"ch_x","created":1767225600,"customer_email":"ada@example.com","amount":-1e99999999999}""", "exponent" },
    };

    [StoreFact]
    public virtual async Task Values_no_store_keeps_are_rejected_alone_with_their_reason_and_the_batch_is_stored()
    {
        // One answer on every store (PostgreSQL's jsonb cannot hold these; the others follow it): each bad record is
        // its own rejection, the records around it are stored, and nothing throws.
        var link = await CreateAsync();
        await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        var rows = UnsupportedValues.Select(r => ((string)r[0], (string)r[1], (string)r[2])).ToList();
        var records = new List<IngestRecord>();
        for (var i = 0; i < rows.Count; i++)
        {
            records.Add(StripeCharge($"ch_ok_{i}", "ada@example.com", Day(2026, 1, 2), 100));
            records.Add(new IngestRecord("stripe", rows[i].Item1, rows[i].Item2));
        }

        records.Add(StripeCustomer("cus_2", "bob@example.com", Day(2026, 1, 3)));
        var results = await link.IngestAsync(records);

        for (var i = 0; i < rows.Count; i++)
        {
            var (_, json, message) = rows[i];
            results[2 * i].Outcome.Should().Be(IngestOutcome.Linked, "the good record before {0} is stored", json);
            results[(2 * i) + 1].Outcome.Should().Be(IngestOutcome.Rejected, json);
            results[(2 * i) + 1].Reason.Should().Be(IngestReason.UnsupportedValue, json);
            results[(2 * i) + 1].Message.Should().Contain(message, json);
        }

        results[^1].Outcome.Should().Be(IngestOutcome.Created);
        (await link.GetRejectionsAsync().ToListAsync()).Should().HaveCount(rows.Count).And.OnlyContain(r => r.Reason == IngestReason.UnsupportedValue);
        var ada = await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com");
        (await link.GetTimelineAsync(ada!.Id).ToListAsync()).Should().HaveCount(rows.Count);
    }

    [StoreFact]
    public virtual async Task Surrogate_pairs_and_other_escapes_and_numbers_at_the_limit_are_stored()
    {
        var link = await CreateAsync();
        await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        var results = await link.IngestAsync([
            new IngestRecord("stripe", "charge", """{"id":"ch_\ud83d\ude00","created":1767225600,"type":"paid \ud83d\ude00","customer_email":"ada@example.com","note":"\u0001\"\\u0000\\ud800"}"""),
            new IngestRecord("stripe", "charge", """{"id":"ch_2","created":1767225600,"customer_email":"ada@example.com","big":9e131071,"small":1e-16383,"zero":0e200000}"""),
            new IngestRecord("stripe", "customer", """{"id":"cus_\ud83d\ude00","created":1767225600,"email":"bob@example.com","name":"B\u00f6b \ud83d\ude00","n":1e-16383}"""),
        ]);

        results.Select(r => r.Outcome).Should().Equal(IngestOutcome.Linked, IngestOutcome.Linked, IngestOutcome.Created);
        results[0].RecordId.Should().Be("ch_\U0001F600");
        var timeline = await link.GetTimelineAsync(results[0].ProfileId!.Value).ToListAsync();
        timeline.Select(e => e.EventName).Should().Contain("paid \U0001F600");
        (await link.GetProfileAsync(results[2].ProfileId!.Value))!["name"].Should().Be("B\u00f6b \U0001F600");
    }

    [StoreFact]
    public virtual async Task Sources_and_record_types_no_store_keeps_are_rejected_with_their_reason()
    {
        var link = await CreateAsync();
        await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        const string Charge = """{"id":"ch_1","created":1767225600,"customer_email":"ada@example.com"}""";
        var results = await link.IngestAsync([
            new IngestRecord("stri\0pe", "charge", Charge),
            new IngestRecord("stripe\ud800", "charge", Charge),
            new IngestRecord("\udc00stripe", "charge", Charge),
            new IngestRecord(new string('s', 101), "charge", Charge),
            new IngestRecord("stripe", "char\0ge", Charge),
            new IngestRecord("stripe", "charge\ud800", Charge),
            new IngestRecord("stripe", new string('c', 5000), Charge),
            new IngestRecord("stripe", "charge", Charge),
        ]);

        results.Take(4).Should().OnlyContain(r => r.Outcome == IngestOutcome.Rejected && r.Reason == IngestReason.InvalidSource);
        results.Skip(4).Take(3).Should().OnlyContain(r => r.Outcome == IngestOutcome.Rejected && r.Reason == IngestReason.UnknownRecordType);
        results[^1].Outcome.Should().Be(IngestOutcome.Linked);
        var notes = await link.GetRejectionsAsync().ToListAsync();
        notes.Should().HaveCount(7, "each bad name is its own note (the payload is the same, the names differ)");
        notes.Should().OnlyContain(n => !n.Source.Contains('\0') && !n.RecordType.Contains('\0') && n.RecordType.Length <= 100 && n.Source.Length <= 100);
    }

    private static async Task<string> StateWithoutRejectionsAsync(IEventLink link)
    {
        var lines = (await Snapshot.ExactAsync(link)).Split('\n')
            .Where(l => !l.StartsWith("rejection", StringComparison.Ordinal) && !l.StartsWith("coverage", StringComparison.Ordinal));
        var coverage = (await link.GetCoverageAsync()).RecordTypes.Where(c => link.Schema.RecordTypes.ContainsKey(c.RecordType)).Select(c => c with { Rejected = 0 });
        return string.Join('\n', lines) + string.Join('\n', coverage);
    }
}

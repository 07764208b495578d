using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Compliance;

/// <summary>Idempotency on (source, source record id): replays and backfills never duplicate anything.</summary>
public abstract class IdempotencyContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    [StoreFact]
    public virtual async Task Replaying_the_full_input_three_times_leaves_the_state_identical()
    {
        var link = await CreateAsync();
        var input = SeedData.Records();
        await link.IngestAsync(input);
        var before = await Snapshot.ExactAsync(link);

        for (var replay = 0; replay < 3; replay++)
        {
            Time.Advance(TimeSpan.FromDays(1));
            var results = await link.IngestAsync(input);
            results.Should().AllSatisfy(r => r.Outcome.Should().BeOneOf(IngestOutcome.Duplicate, IngestOutcome.Rejected));
        }

        (await Snapshot.ExactAsync(link)).Should().Be(before);
    }

    [StoreFact]
    public virtual async Task Replaying_one_record_at_a_time_is_a_no_op()
    {
        var link = await CreateAsync();
        await link.IngestAsync(SeedData.Records());
        var before = await Snapshot.ExactAsync(link);

        foreach (var record in SeedData.Records())
        {
            var result = await link.IngestAsync(record);
            result.Outcome.Should().BeOneOf(IngestOutcome.Duplicate, IngestOutcome.Rejected);
        }

        (await Snapshot.ExactAsync(link)).Should().Be(before);
    }

    [StoreFact]
    public virtual async Task The_same_record_id_from_two_sources_is_two_records()
    {
        var link = await CreateAsync();
        var customer = await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        await link.IngestAsync(IntercomConversation("42", "ada@example.com", Day(2026, 1, 2)));
        var other = await link.IngestAsync(ZendeskTicket("42", "ada@example.com", Day(2026, 1, 3)));

        other.Outcome.Should().Be(IngestOutcome.Linked);
        (await link.GetTimelineAsync(customer.ProfileId!.Value).ToListAsync()).Select(e => $"{e.Source}/{e.RecordId}")
            .Should().Equal("intercom/42", "zendesk/42");
    }

    [StoreFact]
    public virtual async Task Duplicates_inside_one_batch_keep_the_first_delivery()
    {
        var link = await CreateAsync();
        var results = await link.IngestAsync([
            StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)),
            StripeCharge("ch_1", "ada@example.com", Day(2026, 1, 2), 100),
            StripeCharge("ch_1", "ada@example.com", Day(2026, 1, 2), 555),
            StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)),
        ]);

        results.Select(r => r.Outcome).Should().Equal(IngestOutcome.Created, IngestOutcome.Linked, IngestOutcome.Duplicate, IngestOutcome.Duplicate);
        var timeline = await link.GetTimelineAsync(results[0].ProfileId!.Value).ToListAsync();
        timeline.Should().ContainSingle().Which.Payload.GetProperty("amount").GetInt64().Should().Be(100);
    }

    /// <summary>
    /// Gets the pairs of records of one source sharing a record id: the record that holds it first, the record that
    /// comes second, and the holder's type. Every pair of kinds: append-only then append-only, append-only then merged,
    /// merged then append-only, merged then merged.
    /// </summary>
    public static TheoryData<string, string, string, string, string> RecordIdPairs => new()
    {
        { "charge", """{"id":"x_1","created":1767225600,"customer_email":"ada@example.com"}""", "conversation", """{"id":"x_1","created_at":1767225700,"user":{"email":"ada@example.com"}}""", "charge" },
        { "charge", """{"id":"x_1","created":1767225600,"customer_email":"ada@example.com"}""", "customer", """{"id":"x_1","created":1767225700,"email":"bob@example.com"}""", "charge" },
        { "customer", """{"id":"x_1","created":1767225600,"email":"bob@example.com"}""", "charge", """{"id":"x_1","created":1767225700,"customer_email":"ada@example.com"}""", "customer" },
        { "customer", """{"id":"x_1","created":1767225600,"email":"bob@example.com"}""", "contact", """{"vid":"x_1","updatedAt":1767225700000,"properties":{"email":"carol@example.com"}}""", "customer" },
    };

    [StoreFact]
    public virtual async Task A_record_id_held_by_another_record_type_of_the_source_is_a_conflict_naming_that_type_for_every_kind()
    {
        var index = 0;
        foreach (var row in RecordIdPairs)
        {
            var (firstType, first, secondType, second, holder) = ((string)row[0], (string)row[1], (string)row[2], (string)row[3], (string)row[4]);
            foreach (var together in new[] { false, true })
            {
                var because = $"{secondType} after {firstType} ({(together ? "one batch" : "two batches")})";
                var link = await CreateAsync(name: $"record_id_{index++}");
                await link.IngestAsync(StripeCustomer("cus_ada", "ada@example.com", Day(2026, 1, 1)));
                IReadOnlyList<IngestResult> results = together
                    ? await link.IngestAsync([new IngestRecord("stripe", firstType, first), new IngestRecord("stripe", secondType, second), StripeCharge("ch_after", "ada@example.com", Day(2026, 1, 3), 1)])
                    : [await link.IngestAsync(new IngestRecord("stripe", firstType, first)), await link.IngestAsync(new IngestRecord("stripe", secondType, second))];

                results[0].IsAccepted.Should().BeTrue(because);
                results[1].Outcome.Should().Be(IngestOutcome.Rejected, because);
                results[1].Reason.Should().Be(IngestReason.RecordIdConflict, because);
                results[1].Message.Should().Contain($"already belongs to a '{holder}' record", because);
                if (together)
                {
                    results[2].Outcome.Should().Be(IngestOutcome.Linked, because);
                }

                var note = (await link.GetRejectionsAsync().ToListAsync()).Should().ContainSingle(because).Subject;
                (note.RecordType, note.Key, note.Reason).Should().Be((secondType, "x_1", IngestReason.RecordIdConflict), because);

                // The same record again is a duplicate, never a conflict; the holder's record is untouched.
                (await link.IngestAsync(new IngestRecord("stripe", firstType, first))).Outcome.Should().Be(IngestOutcome.Duplicate, because);
                (await link.GetCoverageAsync())[secondType].Rejected.Should().Be(1, because);
            }
        }
    }
}

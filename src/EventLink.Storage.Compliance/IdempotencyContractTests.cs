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
}

using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Compliance;

/// <summary>Quarantine: unmatched events are kept, counted and linked as soon as their profile appears.</summary>
public abstract class QuarantineContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    [StoreFact]
    public virtual async Task An_event_whose_relation_matches_no_profile_is_quarantined_with_its_reason()
    {
        var link = await CreateAsync();
        var result = await link.IngestAsync(ZendeskTicket("zd-1", "Dave@Example.com", Day(2026, 3, 1), subject: "help"));

        result.Outcome.Should().Be(IngestOutcome.Quarantined);
        result.Reason.Should().Be(IngestReason.NoMatchingProfile);
        result.Message.Should().Contain("email 'dave@example.com'");

        var quarantined = await link.GetQuarantineAsync().ToListAsync();
        quarantined.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Source = "zendesk",
            RecordType = "ticket",
            RecordId = "zd-1",
            OccurredAt = Day(2026, 3, 1),
            Reason = IngestReason.NoMatchingProfile,
        });
        (await link.GetCoverageAsync())["ticket"].Should().BeEquivalentTo(new { Total = 1L, Linked = 0L, Quarantined = 1L });
    }

    [StoreFact]
    public virtual async Task Quarantined_events_link_automatically_when_the_profile_appears()
    {
        var link = await CreateAsync();
        await link.IngestAsync([
            ZendeskTicket("zd-1", "dave@example.com", Day(2026, 3, 2)),
            IntercomConversation("ic-1", "DAVE@example.com", Day(2026, 3, 1)),
            ZendeskTicket("zd-2", "erin@example.com", Day(2026, 3, 3)),
        ]);
        (await link.GetQuarantineAsync().ToListAsync()).Should().HaveCount(3);

        var dave = await link.IngestAsync(HubSpotContact(7, "dave@example.com", Day(2026, 3, 5)));

        (await link.GetTimelineAsync(dave.ProfileId!.Value).ToListAsync()).Select(e => e.RecordId).Should().Equal("ic-1", "zd-1");
        (await link.GetQuarantineAsync().ToListAsync()).Should().ContainSingle().Which.RecordId.Should().Be("zd-2");
        var coverage = await link.GetCoverageAsync();
        coverage["ticket"].Should().BeEquivalentTo(new { Total = 2L, Linked = 1L, Quarantined = 1L, DistinctProfiles = 1L });
        coverage["conversation"].Should().BeEquivalentTo(new { Total = 1L, Linked = 1L, Quarantined = 0L });
    }

    [StoreFact]
    public virtual async Task An_event_with_no_usable_identifier_stays_quarantined_with_that_reason()
    {
        var link = await CreateAsync();
        await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        var blocked = await link.IngestAsync(StripeCharge("ch_1", "undefined", Day(2026, 1, 2), 100));
        var missing = await link.IngestAsync(StripeCharge("ch_2", null, Day(2026, 1, 3), 100));
        var malformed = await link.IngestAsync(StripeCharge("ch_3", "not-an-email", Day(2026, 1, 4), 100));

        foreach (var result in new[] { blocked, missing, malformed })
        {
            result.Outcome.Should().Be(IngestOutcome.Quarantined);
            result.Reason.Should().Be(IngestReason.NoUsableIdentifier);
        }

        blocked.Message.Should().Contain("'customer_email' value 'undefined' is blocked");
        missing.Message.Should().Contain("'customer_email' is missing").And.Contain("'metadata.user_id' is missing");
        malformed.Message.Should().Contain("is not a valid email");
        (await link.GetQuarantineAsync("charge").ToListAsync()).Should().HaveCount(3);
    }

    [StoreFact]
    public virtual async Task A_merged_record_without_a_usable_identity_is_quarantined_until_a_version_with_one_arrives()
    {
        var link = await CreateAsync();
        var first = await link.IngestAsync(StripeCustomer("cus_1", "null", Day(2026, 1, 1)));
        first.Outcome.Should().Be(IngestOutcome.Quarantined);
        first.Reason.Should().Be(IngestReason.NoUsableIdentifier);
        (await link.GetCoverageAsync())["customer"].Quarantined.Should().Be(1);

        var second = await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 2)));
        second.Outcome.Should().Be(IngestOutcome.Created);
        (await link.GetQuarantineAsync().ToListAsync()).Should().BeEmpty();
        (await link.GetCoverageAsync())["customer"].Should().BeEquivalentTo(new { Total = 1L, Linked = 1L, Quarantined = 0L });
    }

    [StoreFact]
    public virtual async Task Replaying_the_quarantine_links_what_a_changed_schema_now_matches()
    {
        var link = await CreateAsync();
        await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        await link.IngestAsync(new IngestRecord("zendesk", "ticket", """{"id":"zd-1","type":"ticket.created","created_at":"2026-01-02T10:00:00Z","via":{"email":"ada@example.com"}}"""));
        await link.IngestAsync(ZendeskTicket("zd-2", "nobody@example.com", Day(2026, 1, 3)));
        (await link.GetQuarantineAsync().ToListAsync()).Should().HaveCount(2);

        // Same data, a schema that also reads the ticket's via.email.
        var fixedSchema = await ReopenAsync(s =>
        {
            Define(s);
            s.AppendOnly("ticket", t => t.RelatesTo("via.email", "customer"));
        });
        var replay = await fixedSchema.ReplayQuarantineAsync();
        replay.Should().Be(new QuarantineReplayResult(2, 1, 1));
        var ada = await fixedSchema.FindProfileAsync(IdentityKinds.Email, "ada@example.com");
        (await fixedSchema.GetTimelineAsync(ada!.Id).ToListAsync()).Select(e => e.RecordId).Should().Equal("zd-1");
        (await fixedSchema.GetQuarantineAsync().ToListAsync()).Should().ContainSingle().Which.RecordId.Should().Be("zd-2");
    }

    [StoreFact]
    public virtual async Task Replaying_the_quarantine_with_an_unchanged_schema_changes_nothing()
    {
        var link = await CreateAsync();
        await link.IngestAsync(SeedData.Records());
        var before = await Snapshot.CanonicalAsync(link);

        var replay = await link.ReplayQuarantineAsync();

        replay.Linked.Should().Be(0);
        replay.StillQuarantined.Should().Be(replay.Examined);
        (await Snapshot.CanonicalAsync(link)).Should().Be(before);
    }
}

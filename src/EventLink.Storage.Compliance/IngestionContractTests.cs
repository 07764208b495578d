using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Compliance;

/// <summary>Merged and append-only ingestion, unification and merge rules: the seed scenario of EventLink.</summary>
public abstract class IngestionContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    [StoreFact]
    public virtual async Task Stripe_customer_and_HubSpot_contact_with_the_same_email_become_one_profile_with_provenance()
    {
        var link = await CreateAsync();
        var stripe = await link.IngestAsync(StripeCustomer("cus_1", "Ada.Lovelace@Example.com", Day(2026, 1, 10), name: "Ada Lovelace", plan: "starter"));
        var hubspot = await link.IngestAsync(HubSpotContact(101, " ada.lovelace@example.COM ", Day(2026, 1, 12), name: "Ada L.", lifecycle: "customer", plan: "enterprise"));

        stripe.Outcome.Should().Be(IngestOutcome.Created);
        hubspot.Outcome.Should().Be(IngestOutcome.Updated);
        hubspot.ProfileId.Should().Be(stripe.ProfileId);

        var profile = await link.FindProfileAsync(IdentityKinds.Email, "ADA.LOVELACE@example.com");
        profile.Should().NotBeNull();
        profile!.Id.Should().Be(stripe.ProfileId!.Value);
        profile.Identities.Select(i => i.Key).Should().ContainSingle().Which.Should().Be(new IdentityKey("email", "ada.lovelace@example.com"));
        profile.Records.Select(r => $"{r.Source}/{r.RecordType}/{r.RecordId}").Should().Equal("hubspot/contact/101", "stripe/customer/cus_1");

        // Most recent wins by default: HubSpot's name (Jan 12) beats Stripe's (Jan 10).
        profile.GetAttribute("name").Should().BeEquivalentTo(new { ValueJson = "\"Ada L.\"", Source = "hubspot", RecordType = "contact", RecordId = "101", ObservedAt = Day(2026, 1, 12) });

        // Source priority for plan: Stripe wins although HubSpot is newer.
        profile.GetAttribute("plan").Should().BeEquivalentTo(new { ValueJson = "\"starter\"", Source = "stripe", RecordId = "cus_1" });
        profile["lifecycle_stage"].Should().Be("customer");
        profile["object"].Should().Be("customer", "every top-level field of a Stripe customer is an attribute");
    }

    [StoreFact]
    public virtual async Task Three_charges_appear_on_the_profile_as_separate_events()
    {
        var link = await CreateAsync();
        var customer = await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        var results = await link.IngestAsync([
            StripeCharge("ch_1", "ada@example.com", Day(2026, 1, 15), 4900),
            StripeCharge("ch_2", "ADA@example.com", Day(2026, 2, 22), 9900),
            StripeCharge("ch_3", " ada@example.com", Day(2026, 3, 10), 2900),
        ]);

        results.Should().AllSatisfy(r =>
        {
            r.Outcome.Should().Be(IngestOutcome.Linked);
            r.ProfileId.Should().Be(customer.ProfileId);
        });

        var timeline = await link.GetTimelineAsync(customer.ProfileId!.Value).ToListAsync();
        timeline.Select(e => (e.RecordId, e.Payload.GetProperty("amount").GetInt64(), e.OccurredAt))
            .Should().Equal(("ch_1", 4900L, Day(2026, 1, 15)), ("ch_2", 9900L, Day(2026, 2, 22)), ("ch_3", 2900L, Day(2026, 3, 10)));
        timeline.Should().AllSatisfy(e => e.EventName.Should().Be("charge.succeeded"));
    }

    [StoreFact]
    public virtual async Task A_churn_story_across_five_tools_comes_back_from_one_timeline_call_in_occurred_at_order()
    {
        var link = await CreateAsync();
        await link.IngestAsync(StripeCustomer("cus_9", "cto@acme.io", Day(2026, 1, 14)));
        await link.IngestAsync(HubSpotContact(900, "CTO@acme.io", Day(2026, 1, 15), lifecycle: "customer"));

        IngestRecord[] story =
        [
            DealStage("deal-1", "cto@acme.io", Day(2026, 2, 1), "closed_won"),
            MarketoActivity("mk-1", "cto@acme.io", Day(2026, 1, 22)),
            StripeCharge("in_1", "cto@acme.io", Day(2026, 2, 3), 9900, "invoice.paid"),
            IntercomConversation("ic-1", "cto@acme.io", Day(2026, 2, 15, 10), subject: "billing question"),
            ZendeskTicket("zd-1", "cto@acme.io", Day(2026, 2, 15, 11), subject: "charged twice"),
            ZendeskTicket("zd-2", "cto@acme.io", Day(2026, 2, 16), "ticket.replied"),
            IntercomConversation("ic-2", "cto@acme.io", Day(2026, 2, 17), "conversation.replied"),
            StripeCharge("in_2", "cto@acme.io", Day(2026, 4, 20), 9900, "invoice.payment_failed"),
            StripeCharge("sub_del", "cto@acme.io", Day(2026, 4, 25), 0, "subscription.deleted"),
        ];

        // Shuffled, and the first event of the story arrives last (a late delivery).
        var shuffled = story.Reverse().ToArray();
        await link.IngestAsync(shuffled[..5]);
        Time.Advance(TimeSpan.FromHours(6));
        await link.IngestAsync(shuffled[5..]);

        var profile = await link.FindProfileAsync(IdentityKinds.Email, "cto@acme.io");
        var timeline = await link.GetTimelineAsync(profile!.Id).ToListAsync();
        timeline.Select(e => $"{e.OccurredAt:yyyy-MM-dd} {e.Source} {e.EventName}").Should().Equal(
            "2026-01-22 marketo email.opened",
            "2026-02-01 hubspot deal.stage.changed (closed_won)",
            "2026-02-03 stripe invoice.paid",
            "2026-02-15 intercom conversation.created",
            "2026-02-15 zendesk ticket.created",
            "2026-02-16 zendesk ticket.replied",
            "2026-02-17 intercom conversation.replied",
            "2026-04-20 stripe invoice.payment_failed",
            "2026-04-25 stripe subscription.deleted");
    }

    [StoreFact]
    public virtual async Task A_merged_record_carrying_identities_of_two_profiles_unifies_them_and_the_events_follow()
    {
        var link = await CreateAsync();
        var byEmail = await link.IngestAsync(HubSpotContact(1, "grace@example.com", Day(2026, 1, 1), name: "Grace"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var byUserId = await link.IngestAsync(StripeCustomer("cus_2", "grace.h@example.com", Day(2026, 1, 2), userId: "u-77"));
        await link.IngestAsync(StripeCharge("ch_a", "grace@example.com", Day(2026, 1, 5), 100));
        await link.IngestAsync(StripeCharge("ch_b", null, Day(2026, 1, 6), 200, userId: "u-77"));
        byEmail.ProfileId.Should().NotBe(byUserId.ProfileId!.Value);

        // A later version of the Stripe customer carries the HubSpot email too: one person after all.
        var unify = await link.IngestAsync(new IngestRecord("stripe", "customer",
            """{"id":"cus_2","email":["grace.h@example.com","grace@example.com"],"created":1767571200,"metadata":{"user_id":"u-77"}}"""));

        unify.Outcome.Should().Be(IngestOutcome.Updated);
        var survivor = unify.ProfileId!.Value;
        survivor.Should().Be(byEmail.ProfileId!.Value, "the older profile survives");

        var profile = await link.GetProfileAsync(byUserId.ProfileId!.Value);
        profile!.Id.Should().Be(survivor, "a merged-away id finds its survivor");
        profile.Identities.Select(i => i.Key.ToString()).Should().Equal("email:grace.h@example.com", "email:grace@example.com", "user_id:u-77");
        profile.Merges.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            SurvivorId = survivor,
            MergedId = byUserId.ProfileId!.Value,
            Source = "stripe",
            RecordId = "cus_2",
        });

        var timeline = await link.GetTimelineAsync(byUserId.ProfileId!.Value).ToListAsync();
        timeline.Select(e => e.RecordId).Should().Equal("ch_a", "ch_b");
        (await link.GetProfilesAsync().ToListAsync()).Should().ContainSingle();
    }

    [StoreFact]
    public virtual async Task An_older_version_of_a_merged_record_never_overwrites_a_newer_one()
    {
        var link = await CreateAsync();
        await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 3, 1), plan: "team"));
        var old = await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1), plan: "starter"));

        old.Outcome.Should().Be(IngestOutcome.Stale);
        var profile = await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com");
        profile!["plan"].Should().Be("team");
        profile.Records.Should().ContainSingle().Which.OccurredAt.Should().Be(Day(2026, 3, 1));

        var newer = await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 4, 1), plan: "enterprise"));
        newer.Outcome.Should().Be(IngestOutcome.Updated);
        (await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com"))!["plan"].Should().Be("enterprise");
    }

    [StoreFact]
    public virtual async Task First_non_empty_keeps_the_earliest_value_and_empty_values_never_win()
    {
        var link = await CreateAsync();
        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"c2","email":"x@example.com","created":1770000000,"first_name":"Later"}"""));
        await link.IngestAsync(new IngestRecord("segment", "customer", """{"id":"c1","email":"x@example.com","created":1760000000,"first_name":"Early","city":"Paris"}"""));
        await link.IngestAsync(new IngestRecord("billing", "customer", """{"id":"c3","email":"x@example.com","created":1780000000,"first_name":"","city":null}"""));

        var profile = await link.FindProfileAsync(IdentityKinds.Email, "x@example.com");
        profile!.GetAttribute("first_name")!.Source.Should().Be("segment");
        profile["first_name"].Should().Be("Early");
        profile["city"].Should().Be("Paris", "an empty or null value never replaces a real one");
    }

    [StoreFact]
    public virtual async Task Create_profile_policy_creates_the_profile_from_the_relation_value()
    {
        var link = await CreateAsync(s =>
        {
            Define(s);
            s.AppendOnly("ticket", t => t.WhenUnmatched(UnmatchedPolicy.CreateProfile));
        });

        var first = await link.IngestAsync(ZendeskTicket("zd-1", "New.Person@example.com", Day(2026, 5, 1)));
        var second = await link.IngestAsync(ZendeskTicket("zd-2", "new.person@example.com", Day(2026, 5, 2)));
        var customer = await link.IngestAsync(StripeCustomer("cus_5", "new.person@example.com", Day(2026, 5, 3)));

        first.Outcome.Should().Be(IngestOutcome.Created);
        second.Outcome.Should().Be(IngestOutcome.Linked);
        second.ProfileId.Should().Be(first.ProfileId);
        customer.Outcome.Should().Be(IngestOutcome.Updated);
        customer.ProfileId.Should().Be(first.ProfileId);
        (await link.GetTimelineAsync(first.ProfileId!.Value).ToListAsync()).Should().HaveCount(2);
        (await link.GetQuarantineAsync().ToListAsync()).Should().BeEmpty();
    }

    [StoreFact]
    public virtual async Task A_later_relation_links_when_the_first_matches_nothing_and_the_first_takes_over_once_it_matches()
    {
        var link = await CreateAsync();
        var byUser = await link.IngestAsync(StripeCustomer("cus_u", "someone@example.com", Day(2026, 1, 1), userId: "u-1"));
        var charge = await link.IngestAsync(StripeCharge("ch_1", "other@example.com", Day(2026, 1, 2), 500, userId: "u-1"));

        charge.Outcome.Should().Be(IngestOutcome.Linked);
        charge.ProfileId.Should().Be(byUser.ProfileId, "customer_email matches nobody, metadata.user_id does");
        (await link.GetTimelineAsync(byUser.ProfileId!.Value).ToListAsync()).Should().ContainSingle().Which.LinkedBy.Should().Be("metadata.user_id");

        var byEmail = await link.IngestAsync(StripeCustomer("cus_e", "other@example.com", Day(2026, 1, 3)));
        (await link.GetTimelineAsync(byEmail.ProfileId!.Value).ToListAsync()).Select(e => (e.RecordId, e.LinkedBy)).Should().Equal([("ch_1", "customer_email")],
            "the first relation field wins as soon as it matches, whatever the arrival order");
        (await link.GetTimelineAsync(byUser.ProfileId!.Value).ToListAsync()).Should().BeEmpty();
    }

    [StoreFact]
    public virtual async Task Append_only_records_are_never_overwritten()
    {
        var link = await CreateAsync();
        var customer = await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        await link.IngestAsync(StripeCharge("ch_1", "ada@example.com", Day(2026, 1, 2), 100));
        var again = await link.IngestAsync(StripeCharge("ch_1", "ada@example.com", Day(2026, 1, 9), 999));

        again.Outcome.Should().Be(IngestOutcome.Duplicate);
        var only = (await link.GetTimelineAsync(customer.ProfileId!.Value).ToListAsync()).Should().ContainSingle().Subject;
        only.Payload.GetProperty("amount").GetInt64().Should().Be(100);
        only.OccurredAt.Should().Be(Day(2026, 1, 2));
    }

    [StoreFact]
    public virtual async Task A_streamed_ingest_stores_in_batches_and_yields_every_result_in_order()
    {
        var link = await CreateAsync(options: o => o.BatchSize = 3);
        var results = await link.IngestAsync(Stream()).ToListAsync();

        results.Should().HaveCount(11);
        results[0].Outcome.Should().Be(IngestOutcome.Created);
        results.Skip(1).Should().AllSatisfy(r => r.Outcome.Should().Be(IngestOutcome.Linked));
        results.Skip(1).Select(r => r.RecordId).Should().Equal(Enumerable.Range(0, 10).Select(i => $"ch_{i}"));
        (await link.GetTimelineAsync(results[0].ProfileId!.Value).ToListAsync()).Should().HaveCount(10);

        static async IAsyncEnumerable<IngestRecord> Stream()
        {
            yield return StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1));
            for (var i = 0; i < 10; i++)
            {
                await Task.Yield();
                yield return StripeCharge($"ch_{i}", "ada@example.com", Day(2026, 1, 2).AddHours(i), 100);
            }
        }
    }

    [StoreFact]
    public virtual async Task Concurrent_ingest_from_many_callers_ends_in_the_same_state_as_a_sequential_one()
    {
        var input = SeedData.Records().Concat(Enumerable.Range(0, 60).Select(i =>
            StripeCharge($"ch_c{i}", i % 3 == 0 ? "ada@example.com" : i % 3 == 1 ? "bob@example.com" : "zed@example.com", Day(2026, 5, 1).AddMinutes(i), i))).ToList();
        var sequential = await CreateAsync(name: "concurrency_sequential");
        await sequential.IngestAsync(input);

        var concurrent = await CreateAsync(name: "concurrency_parallel");
        await Parallel.ForEachAsync(input.Chunk(4), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, ct) =>
        {
            foreach (var record in chunk)
            {
                await concurrent.IngestAsync(record, ct);
            }
        });

        (await Snapshot.CanonicalAsync(concurrent)).Should().Be(await Snapshot.CanonicalAsync(sequential));
    }
}

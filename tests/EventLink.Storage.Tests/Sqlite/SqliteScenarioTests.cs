using EventLink.Sqlite.CrashHost;
using EventLink.Storage.InMemory;
using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Tests;

/// <summary>
/// A multi-source scenario run in lockstep against the SQLite store and the in-memory reference store: every
/// result, profile, timeline, quarantine entry and coverage figure must be the same.
/// </summary>
public sealed class SqliteScenarioTests(SqliteFixture fixture) : ContractTestBase<SqliteFixture>(fixture)
{
    [Fact]
    public async Task Scenario_gives_the_same_results_and_state_as_the_in_memory_store()
    {
        var sqlite = await CreateAsync();
        var memory = Build(new InMemoryEventLinkStore(), null, null);
        var links = new[] { sqlite, memory };

        // Stripe customer + HubSpot contact with the same email: one profile.
        await StepAsync(links, StripeCustomer("cus_ada", "ada@example.com", Day(2026, 1, 2), name: "Ada", plan: "pro", userId: "u-ada"));
        await StepAsync(links, HubSpotContact(101, " ADA@example.com ", Day(2026, 1, 3), name: "Ada L.", lifecycle: "customer", plan: "starter"));

        // Three charges, out of order: the timeline sorts them by occurred-at.
        await StepAsync(links,
            StripeCharge("ch_3", "ada@example.com", Day(2026, 3, 1), 300),
            StripeCharge("ch_1", "ada@example.com", Day(2026, 1, 5), 100),
            StripeCharge("ch_2", null, Day(2026, 2, 1), 200, userId: "u-ada"));

        // A ticket before its customer exists: quarantined, then linked when the customer arrives.
        await StepAsync(links, ZendeskTicket("t_1", "grace@example.com", Day(2026, 2, 10)), MarketoActivity("m_1", "nobody@example.com", Day(2026, 2, 11)));
        await StepAsync(links, StripeCustomer("cus_grace", "grace@example.com", Day(2026, 2, 12), name: "Grace"));

        // Two profiles unified by a record holding identities of both.
        await StepAsync(links, HubSpotContact(202, "lin@example.com", Day(2026, 3, 1), name: "Lin"));
        await StepAsync(links, StripeCustomer("cus_lin", "lin.work@example.com", Day(2026, 3, 2), userId: "u-lin"));
        await StepAsync(links, StripeCustomer("cus_lin2", "lin@example.com", Day(2026, 3, 3), userId: "u-lin"));

        // Bad data twice: one rejection note.
        await StepAsync(links, new IngestRecord("stripe", "charge", "{not json"), new IngestRecord("stripe", "charge", "{not json"));

        var first = await StateDump.CaptureAsync(sqlite);
        first.Should().Equal(await StateDump.CaptureAsync(memory));

        // Replaying everything three times changes nothing.
        for (var replay = 0; replay < 3; replay++)
        {
            await StepAsync(links,
                StripeCustomer("cus_ada", "ada@example.com", Day(2026, 1, 2), name: "Ada", plan: "pro", userId: "u-ada"),
                StripeCharge("ch_3", "ada@example.com", Day(2026, 3, 1), 300),
                ZendeskTicket("t_1", "grace@example.com", Day(2026, 2, 10)),
                StripeCustomer("cus_lin2", "lin@example.com", Day(2026, 3, 3), userId: "u-lin"));
            (await StateDump.CaptureAsync(sqlite)).Should().Equal(first);
        }

        var profiles = await sqlite.GetProfilesAsync().ToListAsync();
        profiles.Should().HaveCount(3);
        profiles.Select(p => p.Id).Should().BeInAscendingOrder();

        var ada = await sqlite.FindProfileAsync(IdentityKinds.Email, "Ada@Example.com");
        ada.Should().NotBeNull();
        ada!.Records.Select(r => r.RecordId).Should().Equal("101", "cus_ada");
        ada.GetAttribute("plan")!.ValueJson.Should().Be("\"pro\"");
        var timeline = await sqlite.GetTimelineAsync(ada.Id).ToListAsync();
        timeline.Select(e => e.RecordId).Should().Equal("ch_1", "ch_2", "ch_3");
        (await sqlite.GetTimelineAsync(ada.Id, new TimelineQuery { From = Day(2026, 2, 1), Limit = 1 }).ToListAsync())
            .Select(e => e.RecordId).Should().Equal("ch_2");
        (await sqlite.GetTimelineAsync(ada.Id, new TimelineQuery { To = Day(2026, 2, 1) }).ToListAsync())
            .Select(e => e.RecordId).Should().Equal("ch_1");
        (await sqlite.GetTimelineAsync(ada.Id, new TimelineQuery { Sources = ["zendesk"] }).ToListAsync()).Should().BeEmpty();

        var grace = await sqlite.FindProfileAsync(IdentityKinds.Email, "grace@example.com");
        (await sqlite.GetTimelineAsync(grace!.Id).ToListAsync()).Select(e => e.RecordId).Should().Equal("t_1");

        var lin = await sqlite.FindProfileAsync(IdentityKinds.UserId, "u-lin");
        lin!.Merges.Should().ContainSingle();
        var merged = lin.Merges[0].MergedId;
        (await sqlite.GetProfileAsync(merged))!.Id.Should().Be(lin.Id, "a merged-away id finds its survivor");

        var quarantine = await sqlite.GetQuarantineAsync().ToListAsync();
        quarantine.Select(q => q.RecordId).Should().Equal("m_1");
        (await sqlite.GetRejectionsAsync().ToListAsync()).Should().ContainSingle();

        var coverage = await sqlite.GetCoverageAsync();
        coverage["charge"].Should().Be(new RecordTypeCoverage("charge", 3, 3, 0, 1, 1));
        coverage["email_activity"].Quarantined.Should().Be(1);
        coverage.Should().BeEquivalentTo(await memory.GetCoverageAsync());
    }

    [Fact]
    public async Task Merge_history_follows_profiles_merged_transitively()
    {
        var sqlite = await CreateAsync();
        var memory = Build(new InMemoryEventLinkStore(), null, null);
        var links = new[] { sqlite, memory };

        await StepAsync(links, HubSpotContact(1, "a@example.com", Day(2026, 1, 1)));
        await StepAsync(links, HubSpotContact(2, "b@example.com", Day(2026, 1, 2)));
        await StepAsync(links, HubSpotContact(3, "c@example.com", Day(2026, 1, 3)));
        // Each Stripe customer carries two e-mails (and no user id, so no identity limit is reached): a chain of merges.
        await StepAsync(links, new IngestRecord("stripe", "customer", """{"id":"x","created":1767484800,"email":["b@example.com","a@example.com"]}"""));
        await StepAsync(links, new IngestRecord("stripe", "customer", """{"id":"y","created":1767571200,"email":["c@example.com","b@example.com"]}"""));

        var profile = (await sqlite.GetProfilesAsync().ToListAsync()).Should().ContainSingle().Subject;
        profile.Merges.Should().HaveCount(2);
        profile.Merges.Select(m => m.MergedAt).Should().BeInAscendingOrder();
        (await StateDump.CaptureAsync(sqlite)).Should().Equal(await StateDump.CaptureAsync(memory));
    }

    /// <summary>Ingests the same batch into every link, compares the results (all but profile ids), then moves the clock.</summary>
    private async Task StepAsync(IEventLink[] links, params IngestRecord[] batch)
    {
        var results = new List<IReadOnlyList<IngestResult>>();
        foreach (var link in links)
        {
            results.Add(await link.IngestAsync(batch));
        }

        foreach (var other in results.Skip(1))
        {
            other.Select(r => r with { ProfileId = null }).Should().Equal(results[0].Select(r => r with { ProfileId = null }));
            other.Select(r => r.ProfileId is null).Should().Equal(results[0].Select(r => r.ProfileId is null));
        }

        Time.Advance(TimeSpan.FromMinutes(1));
    }
}

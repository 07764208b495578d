using EventLink.Storage.InMemory;
using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Tests;

/// <summary>
/// One long multi-source scenario run against PostgreSQL and against the in-memory reference store: every answer
/// (ingest results, profiles, timelines, quarantine, rejections, coverage) must be the same, ids aside.
/// </summary>
public sealed class PostgreSqlScenarioTests(PostgreSqlFixture fixture) : ContractTestBase<PostgreSqlFixture>(fixture)
{
    [PostgresFact]
    public async Task A_multi_source_scenario_ends_exactly_as_in_the_in_memory_store()
    {
        var postgres = await CreateAsync();
        var memory = Build(new InMemoryEventLinkStore(), null, null);

        // The same clock drives both: run the steps in lock step.
        var postgresLog = new List<string>();
        var memoryLog = new List<string>();
        foreach (var step in Steps())
        {
            await step(postgres, postgresLog);
            await step(memory, memoryLog);
            Time.Advance(TimeSpan.FromMinutes(7));
        }

        postgresLog.Should().Equal(memoryLog);
        (await StoreSnapshot.ReadAsync(postgres, orderIndependent: false)).ShouldEqual(await StoreSnapshot.ReadAsync(memory, orderIndependent: false));

        var reopened = await ReopenAsync(name: nameof(A_multi_source_scenario_ends_exactly_as_in_the_in_memory_store));
        (await StoreSnapshot.ReadAsync(reopened, orderIndependent: false)).ShouldEqual(await StoreSnapshot.ReadAsync(memory, orderIndependent: false));
    }

    private static IEnumerable<Func<IEventLink, List<string>, Task>> Steps()
    {
        var t = Day(2026, 3, 1);

        // A charge before its customer: quarantined, linked later when the email appears.
        yield return (link, log) => Ingest(link, log, StripeCharge("ch_early", "ada@example.com", t, 500));

        yield return (link, log) => Ingest(
            link,
            log,
            StripeCustomer("cus_ada", "Ada@Example.com", t.AddHours(1), name: "Ada", plan: "pro", userId: "u_ada"),
            HubSpotContact(1, "ada@example.com", t.AddHours(2), name: "Ada L.", lifecycle: "customer", plan: "starter"),
            HubSpotContact(2, "bob@example.com", t.AddHours(2), name: "Bob", lifecycle: "lead"),
            DealStage("deal_1", "ada@example.com", t.AddHours(3), "qualified"),
            MarketoActivity("mkto_1", "bob@example.com", t.AddHours(4)),
            MarketoActivity("mkto_2", "nobody@example.com", t.AddHours(4)));

        // A bulk batch (binary COPY): an in-batch duplicate, a stored duplicate, links by user id, an unknown email.
        yield return (link, log) => Ingest(
            link,
            log,
            StripeCharge("ch_1", "ada@example.com", t.AddDays(1), 1000),
            StripeCharge("ch_2", null, t.AddDays(1).AddHours(1), 2000, userId: "u_ada"),
            StripeCharge("ch_1", "ada@example.com", t.AddDays(1), 1000),
            StripeCharge("ch_early", "ada@example.com", t, 500),
            ZendeskTicket("zd_1", "ada@example.com", t.AddDays(2), subject: "Refund"),
            IntercomConversation("ic_1", "carol@example.com", t.AddDays(2), subject: "Hi"),
            StripeCharge("ch_3", "carol@example.com", t.AddDays(3), 3000, userId: "u_carol"),
            DealStage("deal_2", "bob@example.com", t.AddDays(3), "won"));

        // Carol arrives under a user id, then one record ties Bob's email to Carol's user id: a merge.
        yield return (link, log) => Ingest(link, log, StripeCustomer("cus_carol_app", "carol@example.com", t.AddDays(4), userId: "u_carol"));
        yield return (link, log) => Ingest(link, log, StripeCustomer("cus_bob", "bob@example.com", t.AddDays(5), name: "Bob B.", plan: "basic", userId: "u_carol"));

        // Versions: newer, stale, identical.
        yield return (link, log) => Ingest(
            link,
            log,
            HubSpotContact(1, "ada@example.com", t.AddDays(6), name: "Ada Lovelace", lifecycle: "evangelist", plan: "starter"),
            HubSpotContact(1, "ada@example.com", t.AddHours(1), name: "Old Ada"),
            HubSpotContact(2, "bob@example.com", t.AddHours(2), name: "Bob", lifecycle: "lead"));

        // Bad records, one of them twice (one rejection note), and a record id used by another type.
        yield return (link, log) => Ingest(
            link,
            log,
            new IngestRecord("stripe", "customer", "{oops"),
            new IngestRecord("stripe", "customer", "{oops"),
            new IngestRecord("stripe", "invoice", """{"id":"in_1"}"""),
            new IngestRecord("hubspot", "contact", """{"vid":3,"updatedAt":1700000000000,"properties":{"email":"not-an-email"}}"""),
            new IngestRecord("stripe", "customer", """{"id":"ch_1","email":"dora@example.com","created":1700000000}"""));

        yield return async (link, log) =>
        {
            var replay = await link.ReplayQuarantineAsync();
            log.Add($"replay {replay}");
        };

        // Timeline windows and filters.
        yield return async (link, log) =>
        {
            var ada = await link.FindProfileAsync(IdentityKinds.Email, "ADA@example.com");
            ada.Should().NotBeNull();
            var queries = new TimelineQuery[]
            {
                new(),
                new() { From = t.AddDays(1), To = t.AddDays(2) },
                new() { RecordTypes = ["charge"], Limit = 2 },
                new() { Sources = ["hubspot", "zendesk"] },
                new() { Limit = 0 },
            };
            foreach (var query in queries)
            {
                var lines = new List<string>();
                await foreach (var e in link.GetTimelineAsync(ada!.Id, query))
                {
                    lines.Add($"{e.OccurredAt:O} {e.Source}/{e.RecordId}");
                }

                log.Add("timeline " + string.Join(", ", lines));
            }

            log.Add($"missing {await link.GetProfileAsync(Guid.NewGuid()) is null} {await link.FindProfileAsync(IdentityKinds.Email, "zed@example.com") is null}");
        };
    }

    private static async Task Ingest(IEventLink link, List<string> log, params IngestRecord[] records)
    {
        var results = records.Length == 1 ? [await link.IngestAsync(records[0])] : await link.IngestAsync(records);
        foreach (var r in results)
        {
            log.Add($"{r.Outcome} {r.Source}/{r.RecordType}/{r.RecordId} linked={r.ProfileId is not null} {r.Reason} {r.Message}");
        }
    }
}

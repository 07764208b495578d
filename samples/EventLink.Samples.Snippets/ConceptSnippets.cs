using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventLink.Samples.Snippets;

/// <summary>Snippets of docs/concepts.md, docs/configuration.md and docs/from-warehouse-sql.md.</summary>
public static class ConceptSnippets
{
    public static void Schema(SchemaBuilder schema)
    {
        #region concepts-schema
        schema
            .Merged("customer", t => t                       // state: one profile per person
                .RecordId("id")
                .OccurredAt("created")                        // unix seconds, unix ms or ISO-8601 with offset
                .Identity("email", IdentityKinds.Email)
                .Identity("metadata.user_id", IdentityKinds.UserId))
            .Merged("contact", t => t                        // another tool's view of the same people
                .RecordId("vid")
                .OccurredAt("updatedAt")
                .Identity("properties.email")
                .Attribute("plan", "properties.plan")
                .Attribute("lifecycle_stage", "properties.lifecyclestage"))
            .AppendOnly("charge", t => t                     // occurrences: kept one by one
                .RecordId("id")
                .OccurredAt("created")
                .EventName("type")
                .RelatesTo("customer_email", "customer")     // tried first
                .RelatesTo("metadata.user_id", "customer", IdentityKinds.UserId))
            .AppendOnly("ticket", t => t
                .RecordId("id")
                .OccurredAt("created_at")
                .RelatesTo("requester.email", "customer")
                .WhenUnmatched(UnmatchedPolicy.CreateProfile))
            .MergeRule("plan", MergeRuleKind.SourcePriority, "stripe", "hubspot")
            .MergeRule("first_name", MergeRuleKind.FirstNonEmpty)
            .BlockValues("info@acme.com", "test@example.com")
            .BlockPattern("^noreply@");
        #endregion
    }

    public static async Task OutcomesAsync(IEventLink link, IngestRecord record)
    {
        #region concepts-outcomes
        var result = await link.IngestAsync(record);
        switch (result.Outcome)
        {
            case IngestOutcome.Created or IngestOutcome.Updated or IngestOutcome.Linked:
                Console.WriteLine($"{result.RecordId} is on profile {result.ProfileId}");
                break;
            case IngestOutcome.Duplicate or IngestOutcome.Stale:
                break; // a replay, or an older version: nothing changed
            case IngestOutcome.Quarantined:
                Console.WriteLine($"waiting: {result.Reason} — {result.Message}");
                break;
            case IngestOutcome.Rejected:
                Console.WriteLine($"unusable: {result.Reason} — {result.Message}");
                break;
        }
        #endregion
    }

    public static async Task QueriesAsync(IEventLink link)
    {
        #region concepts-queries
        var profile = await link.FindProfileAsync(IdentityKinds.Email, " Ada@Example.com ");
        foreach (var attribute in profile!.Attributes)
        {
            Console.WriteLine($"{attribute.Name} = {attribute.ValueJson} (from {attribute.Source} {attribute.RecordId}, {attribute.ObservedAt:d})");
        }

        var lastQuarter = new TimelineQuery { From = DateTimeOffset.UtcNow.AddDays(-90), Sources = ["stripe", "zendesk"] };
        await foreach (var e in link.GetTimelineAsync(profile.Id, lastQuarter))
        {
            Console.WriteLine($"{e.OccurredAt:yyyy-MM-dd} {e.Source,-8} {e.EventName}");
        }

        await foreach (var waiting in link.GetQuarantineAsync("ticket"))
        {
            Console.WriteLine($"{waiting.Source}/{waiting.RecordId}: {waiting.Message}");
        }

        var coverage = await link.GetCoverageAsync();
        Console.WriteLine($"charges linked: {coverage["charge"].LinkedPercent} %");
        #endregion
    }

    public static async Task TenantsAsync(IEventLink link, IngestRecord record)
    {
        #region concepts-tenants
        var acme = link.ForTenant("acme");
        await acme.IngestAsync(record);                      // only acme's profiles can match
        var acmeCoverage = await acme.GetCoverageAsync();
        #endregion
    }

    public static void HostRegistration(string[] args)
    {
        #region configuration-host
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddEventLink(builder.Configuration.GetSection("EventLink"), el => el
            .Configure(options => options.BatchSize = 5_000));
        using var host = builder.Build();
        #endregion
    }

    public static void CustomStore(IServiceCollection services)
    {
        #region configuration-store
        services.AddEventLink(el => el
            .AddSchema(Schema)
            .UseStore(serviceProvider => new EventLink.Storage.InMemory.InMemoryEventLinkStore()));
        #endregion
    }

    public static async Task WarehouseAsync(IEventLink link, Guid accountId)
    {
        #region warehouse-timeline
        // SELECT occurred_at, source, event_type, payload->>'subject' FROM account_events
        // WHERE account_id = $1 AND occurred_at > now() - interval '90 days' ORDER BY occurred_at;
        var query = new TimelineQuery { From = DateTimeOffset.UtcNow.AddDays(-90) };
        await foreach (var e in link.GetTimelineAsync(accountId, query))
        {
            var subject = e.Payload.TryGetProperty("subject", out var s) ? s.GetString() : null;
            Console.WriteLine($"{e.OccurredAt:yyyy-MM-dd}  {e.Source,-9} {e.EventName,-24} {subject}");
        }
        #endregion
    }

    public static async Task UnmappedAsync(IEventLink link)
    {
        #region warehouse-unmapped
        // SELECT count(*) FROM unmapped_events;  -- then fix the mapping and replay
        var waiting = await link.GetQuarantineAsync().CountAsync();
        var replay = await link.ReplayQuarantineAsync();
        Console.WriteLine($"{waiting} waiting; {replay.Linked} linked after the replay");
        #endregion
    }

    public static void GraphSchema(SchemaBuilder schema)
    {
        #region graph-schema
        schema
            .AddSegment()                                              // segment.identify, .track, .page, .screen, .alias, .group
            .IdentityKind("domain", IdentityNormalization.LowerCase)
            .IdentityKind(IdentityKinds.Email, maxPerProfile: 3)       // stricter than the default 5
            .Merged("company", t => t.Entity("account").RecordId("id").OccurredAt("updatedAt").Identity("domain", "domain"))
            .Merged("contact", t => t
                .RecordId("vid").OccurredAt("updatedAt")
                .Identity("properties.email")
                .MemberOf("properties.company_domain", "company", "domain"));
        #endregion
    }

    public static async Task GraphAsync(IEventLink link, Guid accountId)
    {
        #region graph-calls
        await foreach (var conflict in link.GetConflictsAsync())
        {
            Console.WriteLine(conflict);                             // what was left out, and why
        }

        var why = await link.ExplainAsync("stripe", "ch_1");
        Console.WriteLine(why);                                      // relation field, identity, the record that brought it, merges

        var split = await link.UnmergeAsync(IdentityKinds.Email, "billing@acme.com");
        Console.WriteLine($"{split.Identity} moved from {split.ProfileBefore} to {split.ProfileAfter}");

        var preview = await link.PreviewIdentityRulesAsync(options => options.BlockedValues.Add("info@acme.com"));
        foreach (var change in preview.Changes)
        {
            Console.WriteLine($"{change.Kind}: {string.Join(", ", change.Profiles)}");
        }

        await foreach (var e in link.GetAccountTimelineAsync(accountId))
        {
            Console.WriteLine($"{e.OccurredAt:yyyy-MM-dd} {e.Source,-9} {e.EventName}");
        }
        #endregion
    }
}

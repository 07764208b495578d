using EventLink.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Samples.Snippets;

/// <summary>Snippets of docs/testing.md.</summary>
public static class TestingSnippets
{
    public static void Register(IServiceCollection services) => services.AddEventLink(el => el.AddSchema(ConceptSnippets.Schema));

    public static async Task SchemaTestAsync()
    {
        #region testing-example
        await using var host = EventLinkTestHost.Create(services => Register(services));   // your real registration
        await host.IngestAsync("stripe", "customer", """{"id":"cus_1","created":1767225600,"email":"ada@example.com","plan":"team"}""");
        await host.IngestFileAsync("Fixtures/stripe-charges.jsonl", "stripe", "charge");

        (await host.ProfileAsync(IdentityKinds.Email, "ada@example.com")).ShouldHaveAttribute("plan", "team", fromSource: "stripe");
        await host.TimelineShouldBeAsync(IdentityKinds.Email, "ada@example.com", "stripe/ch_1", "stripe/ch_2");
        await host.Record("stripe", "ch_3").ShouldBeQuarantinedAsync(IngestReason.NoMatchingProfile);
        await host.CoverageShouldBeAsync("charge", linked: 2, quarantined: 1);
        #endregion
    }

    public static async Task SchemaCheckAsync()
    {
        #region testing-schema-check
        var report = await SchemaCheck.RunAsync(services => Register(services), "samples/payloads");
        Console.WriteLine(report);                                        // one block per record type, problems marked with '!'
        if (!report.IsClean)
        {
            Environment.ExitCode = 1;
        }
        #endregion
    }
}

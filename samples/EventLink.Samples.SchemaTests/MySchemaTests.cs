using EventLink.Testing;
using Xunit;

namespace EventLink.Samples.SchemaTests;

public sealed class MySchemaTests
{
    [Fact]
    public async Task Stripe_and_HubSpot_records_of_one_person_make_one_profile_where_Stripe_owns_the_plan()
    {
        await using var host = EventLinkTestHost.Create(MySchema.Register);
        await host.IngestAsync("stripe", "customer", """{"id":"cus_1","created":1767225600,"email":"ada@example.com","plan":"team"}""");
        await host.IngestAsync("hubspot", "contact", """{"vid":7,"updatedAt":1767312000000,"properties":{"email":"ADA@example.com","plan":"free"}}""");

        (await host.ProfileAsync(IdentityKinds.Email, "ada@example.com"))
            .ShouldHaveAttribute("plan", "team", fromSource: "stripe")
            .ShouldHaveIdentity(IdentityKinds.Email, "ada@example.com");
        await host.CoverageShouldBeAsync("contact", linked: 1, distinctProfiles: 1);
    }

    [Fact]
    public async Task Charges_from_an_exported_file_land_on_the_timeline_and_a_typo_waits_in_quarantine()
    {
        await using var host = EventLinkTestHost.Create(MySchema.Register);
        await host.IngestAsync("stripe", "customer", """{"id":"cus_1","created":1767225600,"email":"ada@example.com"}""");
        await host.IngestFileAsync("Fixtures/stripe-charges.jsonl", "stripe", "charge");

        await host.TimelineShouldBeAsync(IdentityKinds.Email, "ada@example.com", "stripe/ch_1", "stripe/ch_2");
        await host.Record("stripe", "ch_3").ShouldBeQuarantinedAsync(IngestReason.NoMatchingProfile);
    }

    [Fact]
    public async Task A_ticket_that_arrives_before_its_customer_links_once_the_customer_exists()
    {
        await using var host = EventLinkTestHost.Create(MySchema.Register);
        await host.IngestAsync("zendesk", "ticket", """{"id":"zd_1","created_at":"2026-02-15T16:05:00+01:00","requester":{"email":"bob@example.com"}}""");
        await host.IngestAsync("stripe", "customer", """{"id":"cus_2","created":1767225600,"email":"bob@example.com"}""");

        await host.Record("zendesk", "zd_1").ShouldBeLinkedToAsync(IdentityKinds.Email, "bob@example.com");
    }
}

using EventLink.Presets;
using static EventLink.Tests.Presets.FixtureExpectation;

namespace EventLink.Tests.Presets;

/// <summary>Every Stripe payload collected from Stripe's OpenAPI fixtures and SDK tests (<c>tests/Fixtures/presets/stripe</c>).</summary>
public sealed class StripePresetFixtureTests
{
    private static readonly Dictionary<string, FixtureExpectation> Expected = new()
    {
        ["openapi-event-plan-created.json"] = Ignored("'plan.created' is not kept"),
        ["openapi-customer-created.json"] = Read("stripe_customer | cus_QXg1o8vcGmoR32 | 2009-02-13T23:31:30.000Z | stripe_customer_id=cus_QXg1o8vcGmoR32"),
        ["openapi-customer-deleted.json"] = Read("stripe_customer_deletion | evt_1Pgc76B7WZ01zgkWcustdeleted | 2009-02-13T23:33:10.000Z | →stripe_customer_id=cus_QXg1o8vcGmoR32"),
        ["openapi-checkout-session-completed.json"] = Read("stripe_checkout_session | evt_1Pgc76B7WZ01zgkWcheckout | 2009-02-13T23:31:30.000Z | →email=example@example.com"),
        ["openapi-deleted-customer-response.json"] = Ignored("not an event"),
        ["python-v2-thin-event.json"] = Ignored("carries no object: fetch it (GET /v2/core/events/{id}, or its related_object (/v1/billing/meters/mtr_123))"),
        ["python-v2-webhook-payload.json"] = Ignored("carries no object"),
        ["python-v2-event-with-data.json"] = Ignored("Stripe v2 event 'v1.billing.meter.error_report_triggered' is not about a customer"),
    };

    [Fact]
    public void Every_collected_Stripe_payload_is_read_or_ignored_with_a_reason() =>
        VendorFixtures.Check(SourcePresets.Stripe, "stripe", Expected);

    [Fact]
    public async Task A_deleted_customer_keeps_its_profile_and_gets_the_deletion_on_its_timeline()
    {
        await using var link = PresetFixtures.Link(s => s.AddStripe());
        foreach (var file in new[] { "openapi-customer-created.json", "openapi-customer-deleted.json" })
        {
            (await link.IngestAsync(SourcePresets.Stripe.Read(VendorFixtures.Bytes("stripe", file)).Records))
                .Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));
        }

        var timeline = await PresetFixtures.TimelineAsync(link, StripePreset.CustomerIdKind, "cus_QXg1o8vcGmoR32");
        timeline.Select(e => e.EventName).Should().Equal("customer.deleted");
        timeline[0].RecordType.Should().Be("stripe_customer_deletion");
    }

    [Fact]
    public async Task A_completed_checkout_links_through_the_buyers_email()
    {
        await using var link = PresetFixtures.Link(s => s.AddStripe());
        await link.IngestAsync(SourcePresets.Stripe.Read(
            """{"id":"evt_c1","object":"event","type":"customer.created","created":1234567000,"data":{"object":{"id":"cus_X","object":"customer","email":"Example@example.com"}}}""").Records);

        var results = await link.IngestAsync(SourcePresets.Stripe.Read(VendorFixtures.Bytes("stripe", "openapi-checkout-session-completed.json")).Records);
        results.Single().Outcome.Should().Be(IngestOutcome.Linked);
        (await PresetFixtures.TimelineAsync(link, StripePreset.CustomerIdKind, "cus_X")).Select(e => e.EventName)
            .Should().Equal("checkout.session.completed");
    }
}

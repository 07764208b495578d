using EventLink.Presets;
using static EventLink.Tests.Presets.PresetFixtures;

namespace EventLink.Tests.Presets;

public sealed class StripePresetTests
{
    [Fact]
    public void Webhook_events_route_by_their_object_and_events_the_preset_does_not_keep_are_ignored()
    {
        var results = Lines("stripe").Select(l => SourcePresets.Stripe.Read(l)).ToList();

        results.SelectMany(r => r.Records).Select(r => r.RecordType).Should().Equal(
            "stripe_customer", "stripe_subscription", "stripe_invoice", "stripe_charge", "stripe_charge", "stripe_charge", "stripe_customer");
        results.SelectMany(r => r.Records).Should().AllSatisfy(r => r.Source.Should().Be("stripe"));
        results[6].Status.Should().Be(PresetReadStatus.Ignored);
        results[6].Message.Should().Contain("payout.paid");
    }

    [Fact]
    public async Task A_customer_and_its_charge_invoice_and_subscription_events_form_one_timeline()
    {
        await using var link = Link(s => s.AddStripe());
        var results = await link.IngestAsync(Records(SourcePresets.Stripe));

        results.Select(r => r.Outcome).Should().Equal(
            IngestOutcome.Created, IngestOutcome.Linked, IngestOutcome.Linked, IngestOutcome.Linked,
            IngestOutcome.Quarantined, IngestOutcome.Linked, IngestOutcome.Updated);
        var timeline = await TimelineAsync(link, IdentityKinds.Email, "ada@example.com");
        timeline.Select(e => e.EventName).Should().Equal("customer.subscription.created", "charge.succeeded", "invoice.paid", "charge.refunded");
        timeline.Should().AllSatisfy(e => e.LinkedBy.Should().Be("data.object.customer"));
        timeline.Where(e => e.RecordType == "stripe_charge").Select(e => e.RecordId).Should().Equal(
            "evt_3PzQ8nLkdIwHu7ix0ChSuc04", "evt_3PzZ9qLkdIwHu7ix0ReFnd06");
    }

    [Fact]
    public async Task The_newest_customer_event_wins_whatever_the_arrival_order()
    {
        await using var link = Link(s => s.AddStripe());
        var records = Records(SourcePresets.Stripe);
        var updated = records.Last();
        (await link.IngestAsync(updated)).Outcome.Should().Be(IngestOutcome.Created);
        (await link.IngestAsync(records[0])).Outcome.Should().Be(IngestOutcome.Stale);

        var ada = await link.FindProfileAsync(StripePreset.CustomerIdKind, "cus_Rb8mQ2xV1aLd9K");
        ada!["name"].Should().Be("Ada King");
        ada.GetAttribute("name")!.RecordId.Should().Be("cus_Rb8mQ2xV1aLd9K");
        ada["phone"].Should().Be("+44 20 7946 0018");
        ada["email"].Should().Be("Ada@Example.com");
        ada.Attributes.Select(a => a.Name).Should().NotContain("data", "the event envelope is not an attribute");
    }

    [Fact]
    public async Task A_guest_charge_links_by_billing_email_once_a_customer_with_that_email_appears()
    {
        await using var link = Link(s => s.AddStripe());
        await link.IngestAsync(Records(SourcePresets.Stripe));
        var grace = """{"id":"evt_g","object":"event","created":1773000000,"type":"customer.created","data":{"object":{"id":"cus_G","object":"customer","email":"grace@example.com","name":"Grace Hopper"}}}""";
        await link.IngestAsync(SourcePresets.Stripe.Read(grace).Records);

        var timeline = await TimelineAsync(link, IdentityKinds.Email, "grace@example.com");
        // Both e-mail relations wait on the same address; which of the two is recorded is the engine's choice.
        timeline.Should().ContainSingle().Which.LinkedBy.Should().BeOneOf("data.object.billing_details.email", "data.object.receipt_email");
    }

    [Fact]
    public async Task Names_sources_and_relations_can_be_overridden()
    {
        var options = SourcePresets.Stripe.CreateOptions(o => o
            .RenameRecordType("stripe_customer", "customer")
            .ConfigureRecordType("stripe_charge", t => t.OnUnmatched = UnmatchedPolicy.CreateProfile));
        options.Source = "stripe-eu";
        await using var link = Link(s => SourcePresets.Stripe.Apply(s, options));
        var results = await link.IngestAsync(Lines("stripe").SelectMany(l => SourcePresets.Stripe.Read(l, options).Records).ToList());

        link.Schema.RecordTypes.Keys.Should().Contain("customer").And.NotContain("stripe_customer");
        link.Schema.RecordTypes["stripe_charge"].Relations[0].TargetName.Should().Be("customer");
        results.Should().AllSatisfy(r => r.Source.Should().Be("stripe-eu"));
        results[4].Outcome.Should().Be(IngestOutcome.Created, "the guest charge now creates its profile");
    }

    [Fact]
    public void Unknown_record_types_in_overrides_are_misuse()
    {
        var act = () => SourcePresets.Stripe.CreateOptions(o => o.RenameRecordType("stripe_refund", "refund"));
        act.Should().Throw<ArgumentException>().WithMessage("*stripe_refund*stripe_customer*");
    }
}

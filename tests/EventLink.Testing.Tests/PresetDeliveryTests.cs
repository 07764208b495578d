using EventLink.Presets;
using EventLink.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Testing.Tests;

public sealed class PresetDeliveryTests
{
    private const string Customer = """{"id":"evt_1","object":"event","created":1772355600,"type":"customer.created","data":{"object":{"id":"cus_1","object":"customer","email":"Ada@Example.com","name":"Ada Lovelace"}}}""";
    private const string Charge = """{"id":"evt_2","object":"event","created":1772445600,"type":"charge.succeeded","data":{"object":{"id":"ch_1","object":"charge","amount":4900,"customer":"cus_1","billing_details":{"email":"ada@example.com"}}}}""";
    private const string Payout = """{"id":"evt_3","object":"event","created":1772445700,"type":"payout.paid","data":{"object":{"id":"po_1","object":"payout"}}}""";

    [Fact]
    public async Task Webhook_bodies_are_read_with_their_preset_and_asserted_like_any_record()
    {
        await using var host = EventLinkTestHost.Create(services => services.AddEventLink(el => el.AddSchema(s => s.AddStripe())));

        var results = await host.IngestDeliveriesAsync(SourcePresets.Stripe, $"{Customer}\n{Charge}\n{Payout}\n");

        results.Select(r => r.Outcome).Should().Equal(IngestOutcome.Created, IngestOutcome.Linked);
        await host.Record("stripe", "evt_2").ShouldBeLinkedToAsync("stripe_customer_id", "cus_1");
        (await host.ProfileAsync(IdentityKinds.Email, "ada@example.com")).ShouldHaveAttribute("name", "Ada Lovelace", fromSource: "stripe");
    }

    [Fact]
    public async Task Renamed_record_types_are_followed_through_the_preset_options_and_files_are_read()
    {
        var options = SourcePresets.Segment.CreateOptions(o => o.Source = "rudderstack");
        await using var host = EventLinkTestHost.Create(services => services.AddEventLink(el => el.AddSchema(s => SourcePresets.Segment.Apply(s, options))));
        var file = Path.Combine(Path.GetTempPath(), $"segment-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            [
              {"type":"identify","messageId":"m1","userId":"u1","traits":{"email":"ada@example.com"},"timestamp":"2026-03-10T10:00:00Z"},
              {"type":"track","messageId":"m2","userId":"u1","event":"Signed Up","timestamp":"2026-03-10T10:01:00Z"}
            ]
            """);

        try
        {
            await host.IngestDeliveryFileAsync(SourcePresets.Segment, file, options);
        }
        finally
        {
            File.Delete(file);
        }

        await host.TimelineShouldBeAsync(IdentityKinds.Email, "ada@example.com", "rudderstack/m2");
    }

    [Fact]
    public async Task A_delivery_the_preset_cannot_read_fails_the_test_naming_it()
    {
        await using var host = EventLinkTestHost.Create(services => services.AddEventLink(el => el.AddSchema(s => s.AddStripe())));

        var act = () => host.IngestDeliveriesAsync(SourcePresets.Stripe, $"{Customer}\n{{\"hello\":1}}");

        (await act.Should().ThrowAsync<EventLinkAssertionException>()).Which.Message.Should().StartWith(
            "Delivery 2 is not one the Stripe preset reads: ").And.EndWith("  {\"hello\":1}");
        host.Results.Should().BeEmpty("nothing is ingested when a delivery is wrong");
    }
}

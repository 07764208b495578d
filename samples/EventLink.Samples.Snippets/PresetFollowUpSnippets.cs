using EventLink.Presets;
using EventLink.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Samples.Snippets;

/// <summary>Snippets of docs/presets.md (the Segment preset) and docs/testing.md (deliveries read with a preset).</summary>
public static class PresetFollowUpSnippets
{
    public static async Task SegmentAsync(IServiceCollection services, IEventLink link, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        #region presets-segment
        services.AddEventLink(el => el.AddSchema(schema => schema.AddSegment()));   // = SourcePresets.Segment.Apply(schema)

        // A webhook destination's message, a tracking-API {"batch": [...]} or an export line: each message
        // goes to segment.identify, segment.track, … by its "type".
        var read = SourcePresets.Segment.Read(body);
        if (read.Status == PresetReadStatus.Read)
        {
            await link.IngestAsync(read.Records, cancellationToken);
        }
        #endregion
    }

    public static async Task DeliveriesAsync(string stripeWebhookBody)
    {
        #region testing-preset-deliveries
        await using var host = EventLinkTestHost.Create(services => services.AddEventLink(el => el.AddSchema(s => s.AddStripe().AddSegment())));
        await host.IngestDeliveriesAsync(SourcePresets.Stripe, stripeWebhookBody);            // one body, an array, or JSON Lines
        await host.IngestDeliveryFileAsync(SourcePresets.Segment, "Fixtures/segment.jsonl");

        await host.TimelineShouldBeAsync(IdentityKinds.UserId, "usr_7731", "segment/m-page-1", "segment/m-track-2");
        #endregion
    }
}

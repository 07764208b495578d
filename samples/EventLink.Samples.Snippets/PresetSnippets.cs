using EventLink.Presets;
using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Samples.Snippets;

/// <summary>Snippets of docs/presets.md.</summary>
public static class PresetSnippets
{
    public static async Task Presets(IServiceCollection services, IEventLink link, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        #region presets-schema
        services.AddEventLink(el => el.AddSchema(schema => schema
            .AddStripe()
            .AddHubSpot(o => o.RenameRecordType("hubspot_contact", "contact"))
            .AddZendesk(o => o.ConfigureRecordType("zendesk_ticket", t => t.OnUnmatched = UnmatchedPolicy.CreateProfile))));

        // In a webhook handler: read the body with the preset (never throws), ingest what it gives.
        var read = SourcePresets.Stripe.Read(body);
        if (read.Status == PresetReadStatus.Read)
        {
            await link.IngestAsync(read.Records, cancellationToken);
        }
        #endregion
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace EventLink.Samples.Snippets;

/// <summary>Snippets of docs/aspnetcore.md.</summary>
public static class AspNetCoreSnippets
{
    public static WebApplication Collector(string[] args)
    {
        #region aspnetcore-setup
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddEventLink(el => el
            .AddSchema(schema => schema.AddStripe().AddHubSpot().AddIntercom().AddZendesk().AddMailchimp().AddPostHog().AddSegment())
            .UseSqlite("Data Source=eventlink.db"));

        // Each tool's secret (bind them from configuration or a secret store); a tool without one gets no endpoint.
        builder.Services.AddEventLinkWebhooks(o =>
        {
            o.Stripe.Secret = builder.Configuration["Stripe:WebhookSecret"];          // whsec_…
            o.HubSpot.Secret = builder.Configuration["HubSpot:ClientSecret"];
            o.Intercom.Secret = builder.Configuration["Intercom:ClientSecret"];
            o.Zendesk.Secret = builder.Configuration["Zendesk:SigningSecret"];
            o.Mailchimp.Secret = builder.Configuration["Mailchimp:UrlSecret"];        // any long random string
            o.SegmentWriteKeys.Add(builder.Configuration["Segment:WriteKey"]!);
            o.PostHogApiKeys.Add(builder.Configuration["PostHog:ApiKey"]!);
        });
        builder.Services.AddHealthChecks().AddEventLink();
        builder.Services.AddAuthorizationBuilder().AddPolicy("support", p => p.RequireRole("support"));

        var app = builder.Build();
        app.MapEventLinkWebhooks("/webhooks");   // POST /webhooks/stripe, /webhooks/hubspot, …
        app.MapEventLinkSegmentApi();            // POST /v1/track, /v1/identify, …, /v1/batch
        app.MapEventLinkPostHogApi();            // POST /capture, /batch, /e, /i/v0/e
        app.MapEventLinkExplorer("/eventlink", o => o.AuthorizationPolicy = "support");
        app.MapHealthChecks("/health");
        #endregion
        return app;
    }

    public static void Telemetry(TracerProviderBuilder tracing, MeterProviderBuilder metrics)
    {
        #region aspnetcore-opentelemetry
        // With OpenTelemetry.Extensions.Hosting: services.AddOpenTelemetry().WithTracing(t => …).WithMetrics(m => …)
        tracing.AddEventLinkInstrumentation();   // spans: eventlink.ingest, eventlink.store.commit, eventlink.sync.deliver, eventlink.quarantine.replay
        metrics.AddEventLinkInstrumentation();   // meter "EventLink": eventlink.records.ingested, eventlink.ingest.duration, …
        #endregion
    }
}

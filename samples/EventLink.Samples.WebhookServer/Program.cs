using EventLink;
using EventLink.Presets;
using EventLink.Samples.WebhookServer;

// Receives the tools' webhooks at /webhooks/{tool} (EventLink.AspNetCore checks each one's signature with the secrets
// below), links them with the source presets into a SQLite file, and serves a profile page at / (search by e-mail).
var builder = WebApplication.CreateBuilder(args);
var database = builder.Configuration["EventLink:Database"] ?? "webhooks.db";
builder.Services.AddEventLink(el => el
    .AddSchema(schema =>
    {
        foreach (var preset in SourcePresets.All)
        {
            preset.Apply(schema);
        }
    })
    .UseSqlite($"Data Source={database}"));

// A tool whose secret is empty gets no endpoint: nothing is stored unsigned.
var config = builder.Configuration;
builder.Services.AddEventLinkWebhooks(o =>
{
    o.Stripe.Secret = config["Stripe:WebhookSecret"];
    o.HubSpot.Secret = config["HubSpot:ClientSecret"];
    o.Intercom.Secret = config["Intercom:ClientSecret"];
    o.Zendesk.Secret = config["Zendesk:SigningSecret"];
    o.Mailchimp.Secret = config["Mailchimp:UrlSecret"];
    if (config["Segment:WriteKey"] is { Length: > 0 } writeKey)
    {
        o.SegmentWriteKeys.Add(writeKey);
    }

    if (config["PostHog:ApiKey"] is { Length: > 0 } apiKey)
    {
        o.PostHogApiKeys.Add(apiKey);
    }
});
builder.Services.AddHealthChecks().AddEventLink();

var app = builder.Build();
app.MapEventLinkWebhooks("/webhooks");
app.MapGet("/", ProfilePage.RenderAsync);
app.MapHealthChecks("/health");
app.Run();

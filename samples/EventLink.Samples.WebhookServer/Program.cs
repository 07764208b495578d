using EventLink;
using EventLink.Presets;
using EventLink.Samples.WebhookServer;

// Receives webhooks from the tools at /webhooks/{source}, links them with the source presets into a SQLite file,
// and serves a profile page at / (search by e-mail).
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
builder.Services.Configure<StripeSignatureOptions>(builder.Configuration.GetSection("Stripe"));
builder.Services.AddSingleton<StripeSignature>();

var app = builder.Build();
app.MapPost("/webhooks/{source}", WebhookEndpoint.HandleAsync);
app.MapGet("/", ProfilePage.RenderAsync);
app.MapGet("/health", () => Results.Text("ok"));
app.Run();

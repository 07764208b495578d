using System.Globalization;
using EventLink;
using EventLink.Samples.Quickstart;
using EventLink.Samples.Quickstart.Data;
using EventLink.Samples.Quickstart.Output;

// EventLink quickstart: four months of webhooks from Stripe, HubSpot, Marketo, Intercom and Zendesk, linked to
// unified customer profiles as they arrive. Usage: dotnet run [--email <address>]
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (!TryParseArguments(args, out var requestedEmail))
{
    Console.Error.WriteLine("Usage: dotnet run --project samples/EventLink.Samples.Quickstart [-- --email <address>]");
    return 2;
}

const string databasePath = "quickstart.db";
DeleteDatabase(databasePath);

var data = SampleData.Generate();
await using var eventLink = new EventLinkBuilder()
    .AddSchema(QuickstartSchema.Define)
    .UseSqlite($"Data Source={databasePath}")
    .Build();

// Ingest as a webhook consumer would: in arrival order, a batch at a time.
var results = new List<IngestResult>(data.Deliveries.Count);
foreach (var batch in data.Deliveries.Chunk(50))
{
    results.AddRange(await eventLink.IngestAsync(batch.Select(d => d.Record)));
}

var report = new Report(Console.Out);
report.Title("EventLink quickstart: Stripe + HubSpot + Marketo + Intercom + Zendesk, January to April 2026");
report.Section("1. Ingest outcomes");
report.IngestSummary(data.Deliveries, results);

var email = requestedEmail?.Trim() ?? data.FeaturedEmail;
var profile = await eventLink.FindProfileAsync(IdentityKinds.Email, email);
if (profile is null)
{
    report.Section($"2. No profile has the email '{email}'. Try one of these:");
    foreach (var known in data.CustomerEmails.Take(12))
    {
        report.Line($"  {known}");
    }

    return 1;
}

report.Section($"2. Unified profile of {email}");
report.Profile(profile);

report.Section("3. Timeline across all sources, in occurred-at order (whatever order the webhooks arrived in)");
var timeline = new List<TimelineEvent>();
await foreach (var e in eventLink.GetTimelineAsync(profile.Id))
{
    timeline.Add(e);
}

report.Timeline(timeline);

report.Section("4. Coverage per record type");
report.Coverage(await eventLink.GetCoverageAsync());

report.Section("5. Quarantine");
var quarantine = new List<QuarantinedRecord>();
await foreach (var record in eventLink.GetQuarantineAsync())
{
    quarantine.Add(record);
}

report.Quarantine(quarantine, results.Count(r => r.Outcome == IngestOutcome.Quarantined));

report.Section("Look at another customer:");
foreach (var other in data.CustomerEmails.Where(e => e != email).Take(3))
{
    report.Line($"  dotnet run --project samples/EventLink.Samples.Quickstart -- --email {other}");
}

return 0;

static bool TryParseArguments(string[] args, out string? email)
{
    email = null;
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i] is "--email" && i + 1 < args.Length)
        {
            email = args[++i];
        }
        else
        {
            return false;
        }
    }

    return true;
}

static void DeleteDatabase(string path)
{
    // Each run starts from an empty database; SQLite may leave journal files next to it.
    foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
    {
        File.Delete(file);
    }
}

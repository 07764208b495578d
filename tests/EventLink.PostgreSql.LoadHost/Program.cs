using System.Globalization;
using EventLink;
using EventLink.Storage.Compliance;
using EventLink.Storage.Tests;
using Microsoft.Extensions.DependencyInjection;

// Usage: dotnet EventLink.PostgreSql.LoadHost.dll <connection string> <schema> <tenant> <part> <parts> <seed> [merge-race]
// Ingests the records of OverlapDataset whose index modulo <parts> is <part> or <part>+1 (so every record is
// ingested by two processes), shuffled and batched with <seed>, into the PostgreSQL store. With merge-race, it
// ingests the records of OverlapDataset.MergeRace whose role is <part> instead (one role per process).
if (args.Length is not (6 or 7) || (args.Length == 7 && args[6] != "merge-race"))
{
    Console.Error.WriteLine("usage: EventLink.PostgreSql.LoadHost <connection string> <schema> <tenant> <part> <parts> <seed> [merge-race]");
    return 2;
}

var (connectionString, schema, tenant) = (args[0], args[1], args[2]);
var part = int.Parse(args[3], CultureInfo.InvariantCulture);
var parts = int.Parse(args[4], CultureInfo.InvariantCulture);
var seed = int.Parse(args[5], CultureInfo.InvariantCulture);

var slice = args.Length == 7
    ? OverlapDataset.MergeRace().Where(r => r.Role == part).Select(r => r.Record).ToList()
    : OverlapDataset.Create().Where((_, i) => i % parts == part || i % parts == (part + 1) % parts).ToList();
var batches = OverlapDataset.Batches(OverlapDataset.Shuffle(slice, seed), seed);

var builder = new EventLinkBuilder();
builder.Services.AddSingleton<TimeProvider>(new OverlapDataset.FixedTime());
builder.AddSchema(TestSchema.Define).UsePostgreSql(connectionString, options => options.Schema = schema);
var link = builder.Build();
try
{
    var view = link.ForTenant(tenant);
    foreach (var batch in batches)
    {
        await view.IngestAsync(batch);
    }

    Console.WriteLine($"part {part}/{parts}: ingested {slice.Count} records in {batches.Count} batches");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"part {part}/{parts} failed: {ex}");
    return 1;
}
finally
{
    await ((IAsyncDisposable)link).DisposeAsync();
}

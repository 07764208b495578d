using EventLink;
using EventLink.Sqlite.CrashHost;
using EventLink.Storage.Compliance;

// Usage:
//   ingest <database file> <record count> <batch size>   ingests the generated input, printing "ACK <records so far>" after each batch
//   dump <database file>                                  prints the state dump of the default tenant, one line per fact
if (args.Length < 2)
{
    await Console.Error.WriteLineAsync("usage: ingest <file> <count> <batch> | dump <file>");
    return 2;
}

var builder = new EventLinkBuilder();
builder.AddSchema(TestSchema.Define).UseSqlite($"Data Source={args[1]}");
var link = builder.Build();
await using ((IAsyncDisposable)link)
{
    var stdout = Console.Out;
    switch (args[0])
    {
        case "ingest":
            var input = CrashInput.Generate(int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
            var batchSize = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
            for (var offset = 0; offset < input.Count; offset += batchSize)
            {
                var batch = input.Skip(offset).Take(batchSize).ToList();
                await link.IngestAsync(batch);

                // Only now is the batch acknowledged: the test checks that every acknowledged record survives a SIGKILL.
                await stdout.WriteLineAsync($"ACK {offset + batch.Count}");
                await stdout.FlushAsync();
            }

            await stdout.WriteLineAsync("DONE");
            await stdout.FlushAsync();
            return 0;

        case "dump":
            foreach (var line in await StateDump.CaptureAsync(link))
            {
                await stdout.WriteLineAsync(line);
            }

            await stdout.FlushAsync();
            return 0;

        default:
            await Console.Error.WriteLineAsync($"unknown command '{args[0]}'");
            return 2;
    }
}

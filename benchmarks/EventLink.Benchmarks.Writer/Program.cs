using System.Diagnostics;
using System.Globalization;
using EventLink;
using EventLink.Benchmarks;

// Usage: dotnet EventLink.Benchmarks.Writer.dll <connection string> <schema> <tenant> <customers> <first> <count> <batch size> <seed>
// Ingests <count> charge.succeeded events numbered from <first>, each for one of the tenant's <customers> customers
// (drawn with <seed>), in batches of <batch size>, into the PostgreSQL store. Protocol on stdin/stdout:
//   1. warms up with three batches of its own (JIT, connection pool, prepared statements, the tenant's identity index), prints "ready";
//   2. waits for a line on stdin (the parent starts every writer at once), then ingests;
//   3. prints one line per batch, "batch <total ms> <lock wait ms> <lock hold ms>", then "done".
// Lock wait = from the call to the end of the store's first statement (the one taking the tenant's advisory lock,
// with the connection's opening before it); lock hold = from there to the call's return (commit included): the
// store's session holds the lock for that whole time. Both are read from Npgsql's activities.
if (args.Length != 8)
{
    Console.Error.WriteLine("usage: EventLink.Benchmarks.Writer <connection string> <schema> <tenant> <customers> <first> <count> <batch size> <seed>");
    return 2;
}

var (connectionString, schema, tenant) = (args[0], args[1], args[2]);
var numbers = args[3..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
var (customers, first, count, batchSize, seed) = (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]);

var random = new Random(seed);
var batches = Enumerable.Range(first, count)
    .Select(sequence => new IngestRecord("stripe", "charge", BenchmarkData.ChargeSucceeded(sequence, random.Next(customers))))
    .Chunk(batchSize)
    .ToList();

// The timestamp at which the current call's first Npgsql statement ended; 0 until then.
long lockTaken = 0;
using var listener = new ActivityListener
{
    ShouldListenTo = source => source.Name == "Npgsql",
    Sample = (ref _) => ActivitySamplingResult.AllData,
    ActivityStopped = _ => Interlocked.CompareExchange(ref lockTaken, Stopwatch.GetTimestamp(), 0),
};
ActivitySource.AddActivityListener(listener);

var builder = new EventLinkBuilder();
builder.AddSchema(BenchmarkData.DefineSchema).UsePostgreSql(connectionString, options => options.Schema = schema);
var link = builder.Build();
try
{
    var view = link.ForTenant(tenant);

    // Charges of its own (numbered past every measured one), three full batches, so that the measured batches find
    // everything warm: the index loaded, statements prepared, and the ingest path compiled by the JIT's optimising tier.
    for (var round = 0; round < 3; round++)
    {
        var warmUp = Enumerable.Range(0, batchSize)
            .Select(i => new IngestRecord("stripe", "charge", BenchmarkData.ChargeSucceeded(900_000_000 + (4 * first) + (round * batchSize) + i, random.Next(customers))))
            .ToArray();
        BenchmarkData.AllLinked(await view.IngestAsync(warmUp));
    }

    Console.WriteLine("ready");
    if (Console.ReadLine() is null)
    {
        return 3;
    }

    var lines = new List<string>(batches.Count);
    foreach (var batch in batches)
    {
        Interlocked.Exchange(ref lockTaken, 0);
        var start = Stopwatch.GetTimestamp();
        BenchmarkData.AllLinked(await view.IngestAsync(batch));
        var end = Stopwatch.GetTimestamp();
        var taken = Interlocked.Read(ref lockTaken) is > 0 and var t ? t : start;
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"batch {Stopwatch.GetElapsedTime(start, end).TotalMilliseconds:F3} {Stopwatch.GetElapsedTime(start, taken).TotalMilliseconds:F3} {Stopwatch.GetElapsedTime(taken, end).TotalMilliseconds:F3}"));
    }

    // Written after the run, so that no writer's output competes with the measured work.
    foreach (var line in lines)
    {
        Console.WriteLine(line);
    }

    Console.WriteLine("done");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"writer {first}+{count} failed: {ex}");
    return 1;
}
finally
{
    await ((IAsyncDisposable)link).DisposeAsync();
}

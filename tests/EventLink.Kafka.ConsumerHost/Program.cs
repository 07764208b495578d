using System.Diagnostics;
using EventLink;
using EventLink.Kafka;
using EventLink.Kafka.Tests;
using Microsoft.Extensions.Hosting;

// Usage: EventLink.Kafka.ConsumerHost <bootstrap servers> <group id> <PostgreSQL connection string> <schema>
// Runs one Kafka source instance until stdin closes (then stops gracefully). Prints "BATCH" when a batch starts being
// stored and "DONE <messages> <duplicates so far>" once it is stored and committed, so the test can SIGKILL it mid-batch.
if (args.Length != 4)
{
    await Console.Error.WriteLineAsync("usage: EventLink.Kafka.ConsumerHost <bootstrap> <group> <postgres> <schema>");
    return 2;
}

var stdout = Console.Out;
var gate = new object();
long duplicates = 0;
using var meters = new System.Diagnostics.Metrics.MeterListener();
meters.InstrumentPublished = (instrument, l) =>
{
    if (instrument.Meter.Name == KafkaSourceDiagnostics.MeterName && instrument.Name == "eventlink.kafka.records")
    {
        l.EnableMeasurementEvents(instrument);
    }
};
meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
{
    foreach (var tag in tags)
    {
        if (tag.Key == "eventlink.outcome" && (string?)tag.Value == "duplicate")
        {
            Interlocked.Add(ref duplicates, value);
        }
    }
});
meters.Start();
using var listener = new ActivityListener
{
    ShouldListenTo = source => source.Name == KafkaSourceDiagnostics.ActivitySourceName,
    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
    ActivityStarted = _ => { lock (gate) { stdout.WriteLine("BATCH"); stdout.Flush(); } },
    ActivityStopped = a => { lock (gate) { stdout.WriteLine($"DONE {a.GetTagItem("messaging.batch.message_count")} {Interlocked.Read(ref duplicates)}"); stdout.Flush(); } },
};
ActivitySource.AddActivityListener(listener);

using var host = KafkaSourceHost.Build(args[0], args[1], el => el.UsePostgreSql(args[2], o => o.Schema = args[3]));
await host.StartAsync();
await stdout.WriteLineAsync("STARTED");
await stdout.FlushAsync();
while (await Console.In.ReadLineAsync() is not null)
{
}

await host.StopAsync();
return 0;

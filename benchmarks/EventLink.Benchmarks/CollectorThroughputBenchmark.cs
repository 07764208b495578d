using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EventLink.Presets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventLink.Benchmarks;

/// <summary>
/// The collector over loopback: 5,000 Segment <c>track</c> calls posted one event per request to <c>/v1/track</c>, and the
/// same 5,000 as 50 <c>/v1/batch</c> requests of 100, through Kestrel on 127.0.0.1 into the in-memory store. Baseline:
/// the same records (read by the Segment preset beforehand) given to <see cref="IEventLink.IngestAsync(IEnumerable{IngestRecord}, CancellationToken)"/>
/// directly, one per call and 100 per call. Every iteration sends new message ids, so nothing is a duplicate.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CollectorThroughputBenchmark
{
    private const int Events = 5_000;
    private const int BatchSize = 100;
    private const string WriteKey = "bench_write_key";

    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private IEventLink _link = null!;
    private int _iteration;
    private string[] _bodies = [];
    private List<IngestRecord>[] _records = [];

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddEventLink(el => el.AddSchema(s => s.AddSegment()));
        builder.Services.AddEventLinkWebhooks(o => o.SegmentWriteKeys.Add(WriteKey));
        _app = builder.Build();
        _app.MapEventLinkSegmentApi();
        _app.StartAsync().GetAwaiter().GetResult();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = new Uri(address) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(WriteKey + ":")));
        _link = _app.Services.GetRequiredService<IEventLink>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _http.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [IterationSetup(Targets = [nameof(DirectOneEventPerCall), nameof(CollectorOneEventPerRequest)])]
    public void SetupSingles() => Prepare(batch: 1);

    [IterationSetup(Targets = [nameof(DirectHundredEventsPerCall), nameof(CollectorHundredEventsPerRequest)])]
    public void SetupBatches() => Prepare(batch: BatchSize);

    [BenchmarkCategory("1 event per request"), Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public async Task DirectOneEventPerCall()
    {
        foreach (var records in _records)
        {
            await _link.IngestAsync(records);
        }
    }

    [BenchmarkCategory("1 event per request"), Benchmark(OperationsPerInvoke = Events)]
    public async Task CollectorOneEventPerRequest()
    {
        foreach (var body in _bodies)
        {
            using var response = await _http.PostAsync("/v1/track", new StringContent(body, Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }
    }

    [BenchmarkCategory("100 events per request"), Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public async Task DirectHundredEventsPerCall()
    {
        foreach (var records in _records)
        {
            await _link.IngestAsync(records);
        }
    }

    [BenchmarkCategory("100 events per request"), Benchmark(OperationsPerInvoke = Events)]
    public async Task CollectorHundredEventsPerRequest()
    {
        foreach (var body in _bodies)
        {
            using var response = await _http.PostAsync("/v1/batch", new StringContent(body, Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }
    }

    private void Prepare(int batch)
    {
        var iteration = Interlocked.Increment(ref _iteration);
        var bodies = new List<string>(Events / batch);
        var records = new List<List<IngestRecord>>(Events / batch);
        for (var start = 0; start < Events; start += batch)
        {
            var messages = Enumerable.Range(start, batch).Select(i =>
                $$"""{"type":"track","messageId":"it{{iteration}}-b{{batch}}-{{i}}","userId":"user-{{i % 500}}","event":"Report Exported","properties":{"format":"csv","rows":{{i}}},"timestamp":"2026-03-0{{1 + (i % 9)}}T10:00:00Z","sentAt":"2026-03-09T10:00:00Z"}""").ToList();
            var body = batch == 1 ? messages[0] : $$"""{"batch":[{{string.Join(',', messages)}}],"sentAt":"2026-03-09T10:00:00Z"}""";
            bodies.Add(body);
            var read = SourcePresets.Segment.Read(body, new PresetDelivery { Call = batch == 1 ? "track" : "batch", ContentType = "application/json", ReceivedAt = DateTimeOffset.UtcNow });
            records.Add([.. read.Records]);
        }

        _bodies = [.. bodies];
        _records = [.. records];
    }
}

using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EventLink.AspNetCore.Tests.Webhooks;

/// <summary>Runs alone (no other test allocating beside it), so the process's figures are this test's.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

[Collection(nameof(MemoryMeasurement))]
public sealed class BodyLimitTests(ITestOutputHelper output)
{
    private const int Limit = 1024 * 1024;
    private const int BodySize = 20 * 1024 * 1024;
    private const int Posts = 6;

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_the_process_does_not_grow_by_the_bodys_size()
    {
        await using var host = await CollectorHost.StartAsync(
            b => b.Services.AddEventLinkWebhooks(o =>
            {
                ToolSigner.Configure(o);
                o.MaxBodyBytes = Limit;
            }),
            app => app.MapEventLinkWebhooks());

        // Warm up the connection, the endpoint and the pools with one refused post of each kind.
        await PostAsync(host, declareLength: true);
        await PostAsync(host, declareLength: false);
        // The figures are the process's: a test host of an earlier class still shutting down can allocate beside this
        // one. Three rounds, and the smallest of each figure is judged: a body buffered would show in every round.
        var (allocated, heapGrowth, workingSetGrowth) = (long.MaxValue, long.MaxValue, long.MaxValue);
        for (var round = 0; round < 3; round++)
        {
            var (a, h, w) = await MeasureAsync(host);
            output.WriteLine($"{Posts} posts of {BodySize / (1024 * 1024)} MiB over a {Limit / 1024} KiB limit: allocated {a / 1024} KiB, managed heap {h / 1024:+#;-#;0} KiB, working set {w / 1024:+#;-#;0} KiB");
            (allocated, heapGrowth, workingSetGrowth) = (Math.Min(allocated, a), Math.Min(heapGrowth, h), Math.Min(workingSetGrowth, w));
        }

        allocated.Should().BeLessThan(BodySize, "no body was buffered: everything allocated while 120 MiB streamed in is less than one body");
        heapGrowth.Should().BeLessThan(BodySize / 2);
        workingSetGrowth.Should().BeLessThan(BodySize, "the process did not grow by a body's size");
    }

    private static async Task<(long Allocated, long HeapGrowth, long WorkingSetGrowth)> MeasureAsync(CollectorHost host)
    {
        Settle();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var workingSetBefore = process.WorkingSet64;

        for (var i = 0; i < Posts; i++)
        {
            // Half declare their length (refused before reading), half stream chunked (refused one byte past the limit).
            (await PostAsync(host, declareLength: i % 2 == 0)).Should().Be(HttpStatusCode.RequestEntityTooLarge);
        }

        Settle();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        process.Refresh();
        return (allocated, heapGrowth, process.WorkingSet64 - workingSetBefore);
    }

    [Fact]
    public async Task A_body_at_the_limit_is_read_and_one_byte_more_is_413()
    {
        await using var host = await CollectorHost.StartAsync(
            b => b.Services.AddEventLinkWebhooks(o =>
            {
                ToolSigner.Configure(o);
                o.MaxBodyBytes = 4096;
            }),
            app => app.MapEventLinkWebhooks());
        var atLimit = new byte[4096];
        atLimit.AsSpan().Fill((byte)' ');
        atLimit[0] = (byte)'{';
        atLimit[^1] = (byte)'}';

        var response = await host.Http.SendAsync(ToolSigner.Request(host.BaseAddress, "intercom", atLimit, ToolSigner.IntercomSecret, DateTimeOffset.UtcNow));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, "4096 bytes are read, verified and found to be no Intercom notification");

        var over = new byte[4097];
        atLimit.CopyTo(over, 1);
        over[0] = (byte)' ';
        using var request = ToolSigner.Request(host.BaseAddress, "intercom", over, ToolSigner.IntercomSecret, DateTimeOffset.UtcNow);
        var refused = await host.Http.SendAsync(request);
        refused.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    private static async Task<HttpStatusCode> PostAsync(CollectorHost host, bool declareLength)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseAddress, "webhooks/stripe")) { Content = new RepeatedContent(BodySize, declareLength) };
        using var response = await host.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>A large JSON-ish body written from one small reused buffer, so the client holds no copy of it.</summary>
    private sealed class RepeatedContent(long length, bool declareLength) : HttpContent
    {
        private static readonly byte[] Chunk = CreateChunk();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (long written = 0; written < length; written += Chunk.Length)
            {
                await stream.WriteAsync(Chunk.AsMemory(0, (int)Math.Min(Chunk.Length, length - written)));
            }
        }

        protected override bool TryComputeLength(out long value)
        {
            value = length;
            return declareLength;
        }

        private static byte[] CreateChunk()
        {
            var chunk = new byte[64 * 1024];
            chunk.AsSpan().Fill((byte)'a');
            return chunk;
        }
    }
}

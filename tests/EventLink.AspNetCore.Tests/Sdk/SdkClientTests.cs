using System.Diagnostics;
using System.Reflection;
using System.Text;
using EventLink.AspNetCore.Tests.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EventLink.AspNetCore.Tests.Tracking;

/// <summary>Node.js with the SDKs installed (<c>npm ci</c> in this folder; .ci/run does it).</summary>
public static class NodeSdks
{
    public static string Folder { get; } = typeof(NodeSdks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SdkPath").Value!;

    public static bool IsInstalled => Directory.Exists(Path.Combine(Folder, "node_modules", "@segment", "analytics-node")) && Directory.Exists(Path.Combine(Folder, "node_modules", "posthog-node"));

    public static bool IsRequired =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ||
        Environment.GetEnvironmentVariable("EVENTLINK_REQUIRE_SDKS") == "1";
}

/// <summary>A test that runs the vendors' Node SDKs: skipped when they are not installed locally; never skipped in CI.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SdkFactAttribute : FactAttribute
{
    public SdkFactAttribute()
    {
        if (!NodeSdks.IsInstalled && !NodeSdks.IsRequired)
        {
            Skip = $"run 'npm ci' in {NodeSdks.Folder}; set CI=true or EVENTLINK_REQUIRE_SDKS=1 to fail instead of skipping.";
        }
    }
}

/// <summary>
/// Segment's official Node SDK (@segment/analytics-node) and PostHog's (posthog-node) send a journey to the collector on
/// 127.0.0.1; the first delivery of each is stored and then answered 503, so each SDK retries it, and the retry is a
/// Duplicate. The profiles, identities and timelines are then read through <see cref="IEventLink"/>.
/// </summary>
public sealed class SdkClientTests(ITestOutputHelper output)
{
    [SdkFact]
    public async Task Segment_and_PostHog_SDKs_deliver_every_call_once_and_anonymous_events_are_stitched_after_identify()
    {
        NodeSdks.IsInstalled.Should().BeTrue($"run 'npm ci' in {NodeSdks.Folder} (.ci/run does)");
        var answers = new List<(string Path, int Status, string Body)>();
        var failedOnce = new HashSet<string>(StringComparer.Ordinal);
        await using var host = await CollectorHost.StartAsync(
            b => b.Services.AddEventLinkWebhooks(ToolSigner.Configure),
            app =>
            {
                app.Use(async (context, next) =>
                {
                    // Store the first delivery of each API, then answer 503 as if the network had failed: the SDK must retry it.
                    var original = context.Response.Body;
                    using var buffer = new MemoryStream();
                    context.Response.Body = buffer;
                    try
                    {
                        await next();
                    }
                    catch (Exception ex)
                    {
                        lock (failedOnce)
                        {
                            answers.Add((context.Request.Path, 500, ex.ToString()));
                        }

                        throw;
                    }

                    context.Response.Body = original;
                    var api = context.Request.Path.StartsWithSegments("/v1") ? "segment" : "posthog";
                    bool first;
                    lock (failedOnce)
                    {
                        first = context.Response.StatusCode == 200 && failedOnce.Add(api);
                        answers.Add((context.Request.Path, context.Response.StatusCode, Encoding.UTF8.GetString(buffer.ToArray())));
                    }

                    if (first)
                    {
                        context.Response.Clear();
                        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                        return;
                    }

                    buffer.Position = 0;
                    await buffer.CopyToAsync(original);
                });
                app.MapEventLinkSegmentApi();
                app.MapEventLinkPostHogApi();
            });

        var (exit, stdout, stderr) = await RunNodeAsync(host.BaseAddress);
        lock (answers)
        {
            output.WriteLine(string.Join("\n", answers.Select(a => $"{a.Path} {a.Status} {a.Body}")));
        }

        output.WriteLine(stdout + stderr);
        exit.Should().Be(0, stderr);

        lock (answers)
        {
            answers.Should().OnlyContain(a => a.Status == 200, "every delivery was read and stored");
            answers.Where(a => a.Path.StartsWith("/v1", StringComparison.Ordinal)).Skip(1).Should().Contain(a => a.Body.Contains("\"Duplicate\"", StringComparison.Ordinal), "Segment's SDK retried the delivery answered 503, and it was a duplicate");
            answers.Where(a => !a.Path.StartsWith("/v1", StringComparison.Ordinal)).Skip(1).Should().Contain(a => a.Body.Contains("\"Duplicate\"", StringComparison.Ordinal), "PostHog's SDK retried too");
        }

        // Segment: Lin's profile holds her anonymous pageview and comparison, then what she did as herself.
        var lin = await host.Link.FindProfileAsync(IdentityKinds.Email, "lin@example.com");
        lin.Should().NotBeNull();
        lin!.Identities.Select(i => i.Value).Should().Contain(["seg-anon-1", "seg-user-42", "lin@example.com"]);
        (await host.Link.FindProfileAsync("anonymous_id", "seg-anon-1"))!.Id.Should().Be(lin.Id, "the anonymous id is stitched to the person");
        var linTimeline = await TimelineAsync(host.Link, lin.Id);
        linTimeline.Where(e => e.Source == "segment").Select(e => e.RecordId).Should().OnlyHaveUniqueItems("each call was stored once");
        linTimeline.Select(e => e.EventName).Should().Contain(["Plan Compared", "Report Exported"]);
        linTimeline.Should().Contain(e => e.RecordType.EndsWith("page", StringComparison.Ordinal), "the anonymous page view is on her timeline");

        // PostHog: Kim's anonymous pageview is hers once she identifies with it.
        var kim = await host.Link.FindProfileAsync(IdentityKinds.Email, "kim@example.com");
        kim.Should().NotBeNull();
        kim!.Identities.Select(i => i.Value).Should().Contain(["ph-anon-1", "ph-user-9"]);
        var kimTimeline = await TimelineAsync(host.Link, kim.Id);
        kimTimeline.Select(e => e.EventName).Should().Contain(["$pageview", "report exported"]);
        kimTimeline.Select(e => e.RecordId).Should().OnlyHaveUniqueItems();

        var coverage = await host.Link.GetCoverageAsync();
        output.WriteLine(string.Join("\n", coverage.RecordTypes.Where(c => c.Total > 0).Select(c => $"{c.RecordType}: {c.Total} ({c.Linked} linked, {c.Quarantined} quarantined)")));
        coverage.RecordTypes.Where(c => c.RecordType.StartsWith("segment.", StringComparison.Ordinal)).Sum(c => c.Total).Should().Be(6, "six Segment calls, each stored once");
        coverage["posthog_event"].Total.Should().Be(4, "four PostHog calls ($pageview, $identify, an event, $create_alias), each stored once");
    }

    private static async Task<List<TimelineEvent>> TimelineAsync(IEventLink link, Guid profileId)
    {
        var events = new List<TimelineEvent>();
        await foreach (var e in link.GetTimelineAsync(profileId))
        {
            events.Add(e);
        }

        return events;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunNodeAsync(Uri host)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = NodeSdks.Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("send.mjs");
        start.Environment["EVENTLINK_HOST"] = host.ToString().TrimEnd('/');
        start.Environment["SEGMENT_WRITE_KEY"] = ToolSigner.SegmentWriteKey;
        start.Environment["POSTHOG_API_KEY"] = ToolSigner.PostHogKey;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node did not finish within 180 s:\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}

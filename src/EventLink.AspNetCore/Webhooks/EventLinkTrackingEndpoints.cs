using System.IO.Compression;
using EventLink.AspNetCore.Internal;
using EventLink.AspNetCore.Webhooks;
using EventLink.Presets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Maps HTTP APIs that Segment's and PostHog's own SDKs send to, so they can send to EventLink by changing their host.
/// </summary>
public static class EventLinkTrackingEndpoints
{
    private static readonly string[] SegmentCalls = ["track", "identify", "page", "screen", "group", "alias", "batch", "import"];

    /// <summary>
    /// Maps Segment's HTTP tracking API: <c>POST {prefix}/track|identify|page|screen|group|alias|batch|import</c>, the write
    /// key as HTTP Basic user name (one of <see cref="EventLinkWebhookOptions.SegmentWriteKeys"/>), gzip bodies accepted.
    /// Messages are read with the Segment preset (the endpoint gives the type) and ingested: 200 when stored or a
    /// duplicate (an SDK's retry), 400/401/413 for what a sender got wrong, 503 only when storing failed.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="prefix">The path prefix; Segment's SDKs post to <c>/v1/…</c> under their host.</param>
    /// <returns>The group of endpoints.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="prefix"/> is <see langword="null"/>.</exception>
    public static RouteGroupBuilder MapEventLinkSegmentApi(this IEndpointRouteBuilder endpoints, string prefix = "/v1")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var group = endpoints.MapGroup(prefix);
        group.DisableAntiforgery();
        foreach (var call in SegmentCalls)
        {
            group.MapPost("/" + call, (Delegate)((HttpContext context) => CollectAsync(context, SourcePresets.Segment, call, static (r, _, o) => WriteKeys.VerifyBasic(r, o.SegmentWriteKeys))));
        }

        return group;
    }

    /// <summary>
    /// Maps PostHog's capture API: <c>POST {prefix}/capture</c>, <c>/batch</c>, <c>/e</c> and <c>/i/v0/e</c> (with or without
    /// a trailing slash), gzip bodies (<c>Content-Encoding: gzip</c> or <c>?compression=gzip-js</c>), the project key as
    /// <c>api_key</c> (or <c>token</c>) in the body, one of <see cref="EventLinkWebhookOptions.PostHogApiKeys"/>. Answers as
    /// <see cref="MapEventLinkSegmentApi"/> does.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="prefix">The path prefix; PostHog's SDKs post to <c>/batch/</c>, <c>/e/</c>… under their host.</param>
    /// <returns>The group of endpoints.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="prefix"/> is <see langword="null"/>.</exception>
    public static RouteGroupBuilder MapEventLinkPostHogApi(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var group = endpoints.MapGroup(prefix);
        group.DisableAntiforgery();
        foreach (var (path, call) in new[] { ("/capture", "capture"), ("/batch", "batch"), ("/e", "capture"), ("/i/v0/e", "capture") })
        {
            // Routing matches "/batch/" (what posthog-node posts to) to "/batch" too.
            group.MapPost(path, (Delegate)((HttpContext context) => CollectAsync(context, SourcePresets.PostHog, call, static (r, b, o) => WriteKeys.VerifyPostHog(r, b, o.PostHogApiKeys))));
        }

        return group;
    }

    private delegate SignatureVerdict KeyCheck(HttpRequest request, ReadOnlySpan<byte> body, EventLinkWebhookOptions options);

    private static async Task<IResult> CollectAsync(HttpContext context, SourcePreset preset, string call, KeyCheck check)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<EventLinkWebhookOptions>>().Value;
        var now = services.GetService<TimeProvider>()?.GetUtcNow() ?? DateTimeOffset.UtcNow;
        var cancellationToken = context.RequestAborted;

        using var raw = await BoundedBody.ReadAsync(context.Request, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (raw.TooLarge)
        {
            return Problems.TooLarge(options.MaxBodyBytes);
        }

        BoundedBody? inflated = null;
        try
        {
            if (IsGzip(context.Request))
            {
                try
                {
                    // The limit holds for what the body inflates to as well: a small gzip bomb is refused like a large body.
                    var gzip = new GZipStream(new MemoryStream(raw.Memory.ToArray(), writable: false), CompressionMode.Decompress);
                    await using (gzip.ConfigureAwait(false))
                    {
                        inflated = await BoundedBody.ReadAsync(gzip, options.MaxBodyBytes, Math.Min(options.MaxBodyBytes, raw.Length * 4) + 1, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (InvalidDataException)
                {
                    return Problems.BadRequest("The body is not valid gzip.");
                }

                if (inflated.TooLarge)
                {
                    return Problems.TooLarge(options.MaxBodyBytes);
                }
            }

            var body = inflated?.Memory ?? raw.Memory;
            var verdict = check(context.Request, body.Span, options);
            if (!verdict.IsValid)
            {
                return Problems.Status(verdict.StatusCode, verdict.Problem!);
            }

            var read = preset.Read(body, new PresetDelivery { Call = call, ContentType = context.Request.ContentType, ReceivedAt = now });
            if (read.Status == PresetReadStatus.Unrecognized)
            {
                return Problems.BadRequest(read.Message ?? $"The body is not a {preset.DisplayName} message.");
            }

            if (read.Records.Count == 0)
            {
                return TypedResults.Ok(new { status = "ignored", reason = read.Message });
            }

            return await EventLinkWebhookEndpoints.IngestAsync(context, read.Records, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            inflated?.Dispose();
        }
    }

    private static bool IsGzip(HttpRequest request) =>
        request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
        || request.Query["compression"].ToString() is "gzip" or "gzip-js";
}

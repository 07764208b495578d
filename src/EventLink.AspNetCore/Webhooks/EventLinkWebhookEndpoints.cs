using EventLink;
using System.Text;
using EventLink.AspNetCore.Internal;
using EventLink.AspNetCore.Webhooks;
using EventLink.Presets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the webhook endpoints of the tools whose secrets are configured in <see cref="EventLinkWebhookOptions"/>.</summary>
public static class EventLinkWebhookEndpoints
{
    /// <summary>
    /// Maps <c>POST {prefix}/{source}</c> for each tool whose secret is set (stripe, hubspot, intercom, zendesk, mailchimp,
    /// segment, posthog). Each delivery is read up to <see cref="EventLinkWebhookOptions.MaxBodyBytes"/> (413 beyond),
    /// its signature or key verified (400 when unreadable, 401 when missing, wrong, stale or from the future), read with
    /// the tool's preset and ingested: 200 when stored or a duplicate, 202 when the preset ignores it, 400 for a delivery
    /// that is not the tool's, and 503 only when the store failed, so the tool retries exactly then.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="prefix">The path prefix, such as <c>/webhooks</c>.</param>
    /// <returns>The group of endpoints, to add conventions (rate limiting, a host) to.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="prefix"/> is <see langword="null"/>.</exception>
    public static RouteGroupBuilder MapEventLinkWebhooks(this IEndpointRouteBuilder endpoints, string prefix = "/webhooks")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<EventLinkWebhookOptions>>().Value;
        var group = endpoints.MapGroup(prefix);
        group.DisableAntiforgery();
        foreach (var source in WebhookSource.All.Where(s => s.IsEnabled(options)))
        {
            group.MapPost("/" + source.Name, (Delegate)((HttpContext context) => HandleAsync(context, source)))
                .WithName("EventLinkWebhook_" + source.Name)
                .WithDisplayName($"EventLink webhook: {source.Preset.DisplayName}");
        }

        if (options.Mailchimp.IsSet)
        {
            // Mailchimp checks a webhook URL with a GET before it saves it.
            group.MapGet("/mailchimp", (Delegate)((HttpContext context) =>
                WebhookSignatures.MatchesAny(context.Request.Query["secret"], [options.Mailchimp.Secret!])
                    ? Results.Ok()
                    : Problems.Unauthorized("The secret in the URL is missing or wrong.")));
        }

        return group;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, WebhookSource source)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<EventLinkWebhookOptions>>().Value;
        var now = services.GetService<TimeProvider>()?.GetUtcNow() ?? DateTimeOffset.UtcNow;
        var cancellationToken = context.RequestAborted;

        using var body = await BoundedBody.ReadAsync(context.Request, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body.TooLarge)
        {
            return Problems.TooLarge(options.MaxBodyBytes);
        }

        var verdict = source.Verify(context.Request, body.Memory.Span, options, now);
        if (!verdict.IsValid)
        {
            return Problems.Status(verdict.StatusCode, verdict.Problem!);
        }

        var payload = body.Memory;
        if (source.Name == "mailchimp" && !LooksLikeJson(payload.Span))
        {
            if (MailchimpForm.ToMemberJson(payload.Span) is not { } member)
            {
                return Problems.BadRequest("The Mailchimp delivery has no type or e-mail.");
            }

            payload = member;
        }

        var read = source.Preset.Read(payload);
        if (read.Status == PresetReadStatus.Unrecognized)
        {
            return Problems.BadRequest(read.Message ?? $"The body is not a {source.Preset.DisplayName} delivery.");
        }

        if (read.Records.Count == 0)
        {
            return TypedResults.Accepted((string?)null, new { status = "ignored", reason = read.Message });
        }

        return await IngestAsync(context, read.Records, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ingests the records of one delivery: 200 with the outcomes, 400 when a record is rejected, 503 when the store failed.</summary>
    internal static async Task<IResult> IngestAsync(HttpContext context, IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken)
    {
        var link = context.RequestServices.GetRequiredService<IEventLink>();
        IReadOnlyList<IngestResult> results;
        try
        {
            results = await link.IngestAsync(records, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("EventLink.AspNetCore").LogError(ex, "Storing a delivery of {Count} records failed", records.Count);
            return Problems.StoreFailed();
        }

        var outcomes = results.Select(r => new { outcome = r.Outcome.ToString(), recordType = r.RecordType, recordId = r.RecordId, reason = r.Reason == IngestReason.None ? null : r.Reason.ToString() }).ToList();

        // Stored records are acknowledged; a rejected one would be rejected again on every retry, so say so with 400.
        return results.Any(r => r.Outcome == IngestOutcome.Rejected)
            ? Problems.BadRequest("A record of the delivery was rejected; the others are stored.", new Dictionary<string, object?> { ["outcomes"] = outcomes })
            : TypedResults.Ok(new { status = "stored", outcomes });
    }

    private static bool LooksLikeJson(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        return trimmed.Length > 0 && (trimmed[0] == (byte)'{' || trimmed[0] == (byte)'[');
    }
}

/// <summary>One tool's webhook: its preset and how its deliveries are authenticated.</summary>
internal sealed class WebhookSource
{
    private readonly Func<EventLinkWebhookOptions, bool> _enabled;
    private readonly Func<HttpRequest, ReadOnlySpan<byte>, EventLinkWebhookOptions, DateTimeOffset, SignatureVerdict> _verify;

    private WebhookSource(SourcePreset preset, Func<EventLinkWebhookOptions, bool> enabled, VerifyDelegate verify)
    {
        Preset = preset;
        _enabled = enabled;
        _verify = (request, body, options, now) => verify(request, body, options, now);
    }

    private delegate SignatureVerdict VerifyDelegate(HttpRequest request, ReadOnlySpan<byte> body, EventLinkWebhookOptions options, DateTimeOffset now);

    public static IReadOnlyList<WebhookSource> All { get; } =
    [
        new(SourcePresets.Stripe, o => o.Stripe.IsSet, (r, b, o, now) => WebhookSignatures.VerifyStripe(r.Headers["Stripe-Signature"], b, o.Stripe, now)),
        new(SourcePresets.HubSpot, o => o.HubSpot.IsSet, (r, b, o, now) => WebhookSignatures.VerifyHubSpot(
            r.Headers["X-HubSpot-Signature-v3"], r.Headers["X-HubSpot-Request-Timestamp"], r.Method, HubSpotUri(r, o.HubSpot), b, o.HubSpot, now)),
        new(SourcePresets.Intercom, o => o.Intercom.IsSet, (r, b, o, _) => WebhookSignatures.VerifyIntercom(r.Headers["X-Hub-Signature"], b, o.Intercom)),
        new(SourcePresets.Zendesk, o => o.Zendesk.IsSet, (r, b, o, now) => WebhookSignatures.VerifyZendesk(
            r.Headers["X-Zendesk-Webhook-Signature"], r.Headers["X-Zendesk-Webhook-Signature-Timestamp"], b, o.Zendesk, now)),
        new(SourcePresets.Mailchimp, o => o.Mailchimp.IsSet, (r, _, o, _) => WebhookSignatures.MatchesAny(r.Query["secret"], [o.Mailchimp.Secret!])
            ? SignatureVerdict.Valid
            : SignatureVerdict.Unauthorized("The secret in the URL is missing or wrong.")),
        new(SourcePresets.Segment, o => o.SegmentWriteKeys.Count > 0, (r, _, o, _) => WriteKeys.VerifyBasic(r, o.SegmentWriteKeys)),
        new(SourcePresets.PostHog, o => o.PostHogApiKeys.Count > 0, (r, b, o, _) => WriteKeys.VerifyPostHog(r, b, o.PostHogApiKeys)),
    ];

    public string Name => Preset.Name;

    public SourcePreset Preset { get; }

    public bool IsEnabled(EventLinkWebhookOptions options) => _enabled(options);

    public SignatureVerdict Verify(HttpRequest request, ReadOnlySpan<byte> body, EventLinkWebhookOptions options, DateTimeOffset now) => _verify(request, body, options, now);

    private static string HubSpotUri(HttpRequest request, HubSpotWebhookOptions options) =>
        options.PublicUrl is { } url
            ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped).TrimEnd('/') + request.QueryString.Value
            : $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}{request.Path.Value}{request.QueryString.Value}";
}

/// <summary>The keys of Segment's and PostHog's HTTP APIs.</summary>
internal static class WriteKeys
{
    /// <summary>Segment: <c>Authorization: Basic base64("{write key}:")</c>.</summary>
    public static SignatureVerdict VerifyBasic(HttpRequest request, IEnumerable<string> keys)
    {
        string header = request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return SignatureVerdict.Unauthorized("The Authorization header (HTTP Basic, the write key as the user name) is missing.");
        }

        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return SignatureVerdict.Malformed("The Authorization header is not HTTP Basic.");
        }

        var encoded = header.AsSpan(6).Trim();
        var bytes = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var written))
        {
            return SignatureVerdict.Malformed("The HTTP Basic credentials are not base64.");
        }

        string credentials;
        try
        {
            credentials = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return SignatureVerdict.Malformed("The HTTP Basic credentials are not UTF-8.");
        }

        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? credentials : credentials[..colon];
        return WebhookSignatures.MatchesAny(user, keys) ? SignatureVerdict.Valid : SignatureVerdict.Unauthorized("The write key is not one of the configured keys.");
    }

    /// <summary>PostHog: the project API key as <c>api_key</c> or <c>token</c> in the body, <c>?api_key=</c>, or <c>Authorization: Bearer</c>.</summary>
    public static SignatureVerdict VerifyPostHog(HttpRequest request, ReadOnlySpan<byte> body, IEnumerable<string> keys)
    {
        var key = JsonFields.TopLevelString(body, "api_key", "token");
        if (key is null && request.Query.TryGetValue("api_key", out var query))
        {
            key = query.ToString();
        }

        var authorization = request.Headers.Authorization.ToString();
        if (key is null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = authorization[7..].Trim();
        }

        return key is null
            ? SignatureVerdict.Unauthorized("No PostHog project API key (api_key) was given.")
            : WebhookSignatures.MatchesAny(key, keys) ? SignatureVerdict.Valid : SignatureVerdict.Unauthorized("The API key is not one of the configured keys.");
    }
}

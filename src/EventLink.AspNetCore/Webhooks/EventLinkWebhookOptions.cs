namespace EventLink.AspNetCore.Webhooks;

/// <summary>
/// The webhook endpoints of <c>MapEventLinkWebhooks</c>: the body limit and each tool's secret. A tool's endpoint answers
/// only once its secret is set; every delivery is verified, none is stored unsigned.
/// </summary>
public sealed class EventLinkWebhookOptions
{
    /// <summary>Gets or sets the largest body accepted, in bytes; a larger one is refused with 413 before more than this is read.</summary>
    /// <value>The default value is 1 MiB.</value>
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue - 1)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Gets Stripe's settings: the endpoint's signing secret (<c>whsec_…</c>).</summary>
    public TimestampedSecret Stripe { get; } = new();

    /// <summary>Gets HubSpot's settings: the app's client secret, for <c>X-HubSpot-Signature-v3</c>.</summary>
    public HubSpotWebhookOptions HubSpot { get; } = new();

    /// <summary>Gets Intercom's settings: the app's client secret, for <c>X-Hub-Signature</c>.</summary>
    public SharedSecret Intercom { get; } = new();

    /// <summary>Gets Zendesk's settings: the webhook's signing secret, for <c>X-Zendesk-Webhook-Signature</c>.</summary>
    public TimestampedSecret Zendesk { get; } = new();

    /// <summary>Gets Mailchimp's settings: a secret of your choosing, carried in the URL you paste into Mailchimp (<c>?secret=…</c>).</summary>
    public SharedSecret Mailchimp { get; } = new();

    /// <summary>Gets the Segment write keys accepted (HTTP Basic user name, as Segment's HTTP API takes them).</summary>
    public IList<string> SegmentWriteKeys { get; } = [];

    /// <summary>Gets the PostHog project API keys accepted (<c>api_key</c> or <c>token</c> in the body, <c>Authorization: Bearer</c>, or <c>?api_key=</c>).</summary>
    public IList<string> PostHogApiKeys { get; } = [];
}

/// <summary>A secret shared with a tool.</summary>
public class SharedSecret
{
    /// <summary>Gets or sets the secret; the tool's endpoint is off while it is empty.</summary>
    /// <value>The default value is <see langword="null"/> (off).</value>
    public string? Secret { get; set; }

    internal bool IsSet => !string.IsNullOrEmpty(Secret);
}

/// <summary>A signing secret whose signatures carry a timestamp, which must be within the tolerance of now (either way).</summary>
public class TimestampedSecret : SharedSecret
{
    /// <summary>Gets or sets how far a signature's timestamp may be from now, past or future; older deliveries are replays.</summary>
    /// <value>The default value is 5 minutes (Stripe's and HubSpot's documented tolerance).</value>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>HubSpot's settings: v3 signatures cover the URL HubSpot called, so behind a proxy give that URL.</summary>
public sealed class HubSpotWebhookOptions : TimestampedSecret
{
    /// <summary>
    /// Gets or sets the public URL of the HubSpot endpoint as entered in HubSpot (such as
    /// <c>https://collector.example.com/webhooks/hubspot</c>); when <see langword="null"/>, the URL is rebuilt from the request.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Uri? PublicUrl { get; set; }
}

namespace EventLink.Presets;

/// <summary>
/// What the transport knows about one delivery that its body does not say: the tool's call or endpoint it was posted
/// to (Segment's <c>POST /v1/track</c> carries no <c>type</c>; PostHog's <c>/batch</c> and <c>/capture</c> differ only by
/// URL), its content type (Mailchimp posts form-encoded webhooks), and when it arrived. Give it to
/// <see cref="SourcePreset.Read(ReadOnlyMemory{byte}, PresetDelivery, PresetOptions?)"/>; a preset uses what applies to
/// its tool and ignores the rest, and what the body itself says always wins.
/// </summary>
/// <example>
/// <code>
/// // POST /v1/track with a JSON body
/// var read = SourcePresets.Segment.Read(body, new PresetDelivery { Call = "track", ContentType = request.ContentType, ReceivedAt = now });
/// </code>
/// </example>
public sealed class PresetDelivery
{
    private const string FormUrlEncoded = "application/x-www-form-urlencoded";

    private readonly string? _call;

    /// <summary>Gets a delivery the transport says nothing about: the body is read as JSON, or as a form when it is one.</summary>
    public static PresetDelivery Unspecified { get; } = new();

    /// <summary>
    /// Gets the tool's call or endpoint the delivery was posted to, lower-case, such as <c>track</c>, <c>identify</c>,
    /// <c>page</c>, <c>screen</c>, <c>group</c>, <c>alias</c> or <c>batch</c> for Segment's HTTP tracking API, and
    /// <c>capture</c> or <c>batch</c> for PostHog's capture API. <see cref="SourcePreset.DeliveryCalls"/> lists those a
    /// preset understands; a preset ignores a call it does not know and reads the body as it is. A path is reduced to
    /// its last segment (<c>/v1/track</c> is <c>track</c>).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the body says what it is.</value>
    public string? Call
    {
        get => _call;
        init => _call = string.IsNullOrWhiteSpace(value) ? null : LastSegment(value);
    }

    /// <summary>
    /// Gets the delivery's <c>Content-Type</c> as the transport received it (parameters such as <c>charset</c> allowed).
    /// <c>application/x-www-form-urlencoded</c> bodies are read as forms (<c>data[merges][EMAIL]=…</c> becomes
    /// <c>{"data": {"merges": {"EMAIL": …}}}</c>); any other type as JSON.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: JSON, or a form when the body is not JSON but is one.</value>
    public string? ContentType { get; init; }

    /// <summary>
    /// Gets when the transport received the delivery. Tools whose servers stamp the arrival time (Segment's
    /// <c>receivedAt</c>, PostHog's capture time) get it from here when the body lacks it, so a device's wrong clock
    /// can be corrected and a message without a time of its own still has one.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the body's own times only.</value>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>Gets whether <see cref="ContentType"/> says the body is an HTML form (<c>application/x-www-form-urlencoded</c>).</summary>
    public bool IsFormUrlEncoded => MediaType is FormUrlEncoded;

    /// <summary>Gets whether <see cref="ContentType"/> names a media type other than a form, which the body is then read as JSON regardless of.</summary>
    internal bool IsOtherMediaType => MediaType is { } type && type != FormUrlEncoded;

    private string? MediaType =>
        ContentType is null ? null : ContentType.Split(';', 2)[0].Trim().ToLowerInvariant() is { Length: > 0 } type ? type : null;

    private static string? LastSegment(string value)
    {
        var segments = value.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return segments.Length == 0 ? null : segments[^1].ToLowerInvariant();
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Call ?? "(no call)"}, {ContentType ?? "(no content type)"}{(ReceivedAt is { } at ? $", received {at:O}" : string.Empty)}";
}

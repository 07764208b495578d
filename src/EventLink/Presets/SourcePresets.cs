namespace EventLink.Presets;

/// <summary>The presets EventLink ships for the tools teams use; see <see cref="SourcePreset"/>.</summary>
public static class SourcePresets
{
    /// <summary>Gets the Stripe preset: customers (merged) and charge, invoice, subscription, checkout-session and customer-deletion events from webhooks or <c>GET /v1/events</c>.</summary>
    public static SourcePreset Stripe { get; } = new(new StripePreset());

    /// <summary>Gets the HubSpot preset: contacts, companies (accounts) and deal stage changes from CRM v3 objects and legacy v1 contacts / v2 companies.</summary>
    public static SourcePreset HubSpot { get; } = new(new HubSpotPreset());

    /// <summary>Gets the Intercom preset: contacts and conversations from webhook notifications (API 2.x and 1.x) or API objects.</summary>
    public static SourcePreset Intercom { get; } = new(new IntercomPreset());

    /// <summary>Gets the Zendesk preset: users and ticket events from event webhooks and API objects (single objects, list pages, incremental exports).</summary>
    public static SourcePreset Zendesk { get; } = new(new ZendeskPreset());

    /// <summary>Gets the PostHog preset: persons and events (by <c>distinct_id</c>) from the webhook destination, batch exports or capture-API bodies (<c>/capture</c>, <c>/batch</c>, with <c>$identify</c> and <c>$create_alias</c> joining ids).</summary>
    public static SourcePreset PostHog { get; } = new(new PostHogPreset());

    /// <summary>Gets the Mailchimp preset: list members, campaign and member email activity, and the form-encoded audience webhooks, by subscriber e-mail.</summary>
    public static SourcePreset Mailchimp { get; } = new(new MailchimpPreset());

    /// <summary>Gets the Marketo preset: leads, activities (with or without marketoGUID), deleted and merged leads from the REST API.</summary>
    public static SourcePreset Marketo { get; } = new(new MarketoPreset());

    /// <summary>Gets the Segment-spec preset: <c>identify</c>, <c>track</c>, <c>page</c>, <c>screen</c>, <c>alias</c> and <c>group</c> messages, routed by their <c>type</c> (or the HTTP API endpoint's call, <see cref="PresetDelivery.Call"/>); the record types of <see cref="SegmentSchemaBuilderExtensions.AddSegment"/>.</summary>
    public static SourcePreset Segment { get; } = new(new SegmentPreset());

    /// <summary>Gets every preset, ordered by name.</summary>
    public static IReadOnlyList<SourcePreset> All { get; } = [HubSpot, Intercom, Mailchimp, Marketo, PostHog, Segment, Stripe, Zendesk];

    /// <summary>Finds a preset by name (case-insensitive), such as <c>stripe</c>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="preset">The preset, when found.</param>
    /// <returns><see langword="true"/> when a preset has that name.</returns>
    public static bool TryGet(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SourcePreset? preset)
    {
        preset = All.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        return preset is not null;
    }
}

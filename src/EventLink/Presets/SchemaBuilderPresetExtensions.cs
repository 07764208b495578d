using EventLink.Presets;

namespace EventLink;

/// <summary>Adds the record types of the tools teams use to a schema: <c>schema.AddStripe().AddZendesk()</c>.</summary>
public static class SchemaBuilderPresetExtensions
{
    /// <summary>Adds Stripe: <c>stripe_customer</c> (merged) and <c>stripe_charge</c>, <c>stripe_invoice</c>, <c>stripe_subscription</c>, <c>stripe_checkout_session</c>, <c>stripe_customer_deletion</c> events.</summary>
    /// <param name="schema">The schema being built.</param>
    /// <param name="configure">Overrides names, the source, or record types.</param>
    /// <returns>The schema builder.</returns>
    public static SchemaBuilder AddStripe(this SchemaBuilder schema, Action<PresetOptions>? configure = null) => SourcePresets.Stripe.Apply(schema, configure);

    /// <summary>Adds HubSpot: <c>hubspot_contact</c>, <c>hubspot_company</c> (an account) and <c>hubspot_deal_stage</c>.</summary>
    /// <param name="schema">The schema being built.</param>
    /// <param name="configure">Overrides names, the source, or record types.</param>
    /// <returns>The schema builder.</returns>
    public static SchemaBuilder AddHubSpot(this SchemaBuilder schema, Action<PresetOptions>? configure = null) => SourcePresets.HubSpot.Apply(schema, configure);

    /// <summary>Adds Intercom: <c>intercom_contact</c> (merged) and <c>intercom_conversation</c>.</summary>
    /// <param name="schema">The schema being built.</param>
    /// <param name="configure">Overrides names, the source, or record types.</param>
    /// <returns>The schema builder.</returns>
    public static SchemaBuilder AddIntercom(this SchemaBuilder schema, Action<PresetOptions>? configure = null) => SourcePresets.Intercom.Apply(schema, configure);

    /// <summary>Adds Zendesk: <c>zendesk_user</c> (merged) and <c>zendesk_ticket</c>.</summary>
    /// <param name="schema">The schema being built.</param>
    /// <param name="configure">Overrides names, the source, or record types.</param>
    /// <returns>The schema builder.</returns>
    public static SchemaBuilder AddZendesk(this SchemaBuilder schema, Action<PresetOptions>? configure = null) => SourcePresets.Zendesk.Apply(schema, configure);

    /// <summary>Adds PostHog: <c>posthog_person</c> (merged) and <c>posthog_event</c>.</summary>
    /// <param name="schema">The schema being built.</param>
    /// <param name="configure">Overrides names, the source, or record types.</param>
    /// <returns>The schema builder.</returns>
    public static SchemaBuilder AddPostHog(this SchemaBuilder schema, Action<PresetOptions>? configure = null) => SourcePresets.PostHog.Apply(schema, configure);

    /// <summary>Adds Mailchimp: <c>mailchimp_member</c> (merged) and <c>mailchimp_email_activity</c>.</summary>
    /// <param name="schema">The schema being built.</param>
    /// <param name="configure">Overrides names, the source, or record types.</param>
    /// <returns>The schema builder.</returns>
    public static SchemaBuilder AddMailchimp(this SchemaBuilder schema, Action<PresetOptions>? configure = null) => SourcePresets.Mailchimp.Apply(schema, configure);

    /// <summary>Adds Marketo: <c>marketo_lead</c> (merged), <c>marketo_activity</c> and <c>marketo_lead_merge</c> (ties merged leads).</summary>
    /// <param name="schema">The schema being built.</param>
    /// <param name="configure">Overrides names, the source, or record types.</param>
    /// <returns>The schema builder.</returns>
    public static SchemaBuilder AddMarketo(this SchemaBuilder schema, Action<PresetOptions>? configure = null) => SourcePresets.Marketo.Apply(schema, configure);
}

namespace EventLink.Samples.Quickstart;

/// <summary>
/// The quickstart's schema: two merged types that build profiles (Stripe customers, HubSpot contacts) and six
/// append-only types that hang events off them, each through one or more relation fields.
/// </summary>
internal static class QuickstartSchema
{
    /// <summary>Stripe customer ids (<c>cus_…</c>), matched exactly.</summary>
    public const string StripeCustomerId = "stripe_customer";

    /// <summary>HubSpot contact ids (<c>vid</c>), matched exactly.</summary>
    public const string HubSpotContactId = "hubspot_vid";

    public static void Define(SchemaBuilder schema) => schema
        .IdentityKind(StripeCustomerId, IdentityNormalization.Exact)
        .IdentityKind(HubSpotContactId, IdentityNormalization.Exact)

        // Merged types: each record is the latest state of a customer or contact.
        .Merged("customer", t => t
            .RecordId("id").OccurredAt("created", TimestampFormat.UnixSeconds)
            .Identity("id", StripeCustomerId)
            .Identity("email", IdentityKinds.Email)
            .Attribute("name")
            .Attribute("plan", "metadata.plan")
            .Attribute("company", "metadata.company")
            .IncludeAllFields(false))
        .Merged("contact", t => t
            .RecordId("vid").OccurredAt("updatedAt", TimestampFormat.UnixMilliseconds)
            .Identity("vid", HubSpotContactId)
            .Identity("properties.email", IdentityKinds.Email)
            .Identity("properties.hs_additional_emails", IdentityKinds.Email)
            .Attribute("first_name", "properties.firstname")
            .Attribute("last_name", "properties.lastname")
            .Attribute("company", "properties.company")
            .Attribute("lifecycle_stage", "properties.lifecyclestage")
            .Attribute("plan", "properties.plan")
            .IncludeAllFields(false))

        // Append-only types: every record is kept and linked by the first relation that finds a profile.
        .AppendOnly("charge", t => t
            .RecordId("id").OccurredAt("created", TimestampFormat.UnixSeconds).EventName("type")
            .RelatesTo("customer", "customer", StripeCustomerId)
            .RelatesTo("billing_details.email", "customer")
            .RelatesTo("customer_email", "customer"))
        .AppendOnly("subscription", t => t
            .RecordId("id").OccurredAt("created", TimestampFormat.UnixSeconds).EventName("type")
            .RelatesTo("data.object.customer", "customer", StripeCustomerId))
        .AppendOnly("deal_stage", t => t
            .RecordId("id").OccurredAt("occurredAt", TimestampFormat.Iso8601).EventName("type")
            .RelatesTo("associatedVids[0]", "contact", HubSpotContactId))
        .AppendOnly("email_activity", t => t
            .RecordId("id").OccurredAt("activityDate", TimestampFormat.Iso8601).EventName("type")
            .RelatesTo("email", "contact"))
        .AppendOnly("conversation", t => t
            .RecordId("id").OccurredAt("created_at", TimestampFormat.UnixSeconds).EventName("topic")
            .RelatesTo("data.item.user.email", "customer"))
        .AppendOnly("ticket", t => t
            .RecordId("id").OccurredAt("created_at", TimestampFormat.Iso8601).EventName("type")
            .RelatesTo("ticket.requester.email", "customer"))

        // Billing knows the plan a customer pays for; the CRM knows the company's proper name.
        .MergeRule("plan", MergeRuleKind.SourcePriority, "stripe", "hubspot")
        .MergeRule("company", MergeRuleKind.SourcePriority, "hubspot", "stripe");
}

using System.Text.Json;

namespace EventLink.Storage.Compliance;

/// <summary>The multi-source schema the contract suites share: Stripe, HubSpot, Marketo, Intercom, Zendesk.</summary>
public static class TestSchema
{
    /// <summary>
    /// Defines merged Stripe customers (e-mail, user id) and HubSpot contacts (e-mail; name, lifecycle stage and plan),
    /// and append-only charges, deal stages, e-mail activities, Intercom conversations and Zendesk tickets related to
    /// them; Stripe wins the <c>plan</c> over HubSpot, and <c>first_name</c> keeps its first non-empty value.
    /// </summary>
    /// <param name="schema">The schema builder.</param>
    public static void Define(SchemaBuilder schema) => schema
        .Merged("customer", t => t
            .RecordId("id").OccurredAt("created")
            .Identity("email", IdentityKinds.Email)
            .Identity("metadata.user_id", IdentityKinds.UserId))
        .Merged("contact", t => t
            .RecordId("vid").OccurredAt("updatedAt")
            .Identity("properties.email", IdentityKinds.Email)
            .Attribute("name", "properties.name")
            .Attribute("lifecycle_stage", "properties.lifecyclestage")
            .Attribute("plan", "properties.plan")
            .IncludeAllFields(false))
        .AppendOnly("charge", t => t
            .RecordId("id").OccurredAt("created").EventName("type")
            .RelatesTo("customer_email", "customer", IdentityKinds.Email)
            .RelatesTo("metadata.user_id", "customer", IdentityKinds.UserId))
        .AppendOnly("deal_stage", t => t
            .RecordId("id").OccurredAt("occurredAt").EventName("type")
            .RelatesTo("email", "contact"))
        .AppendOnly("email_activity", t => t
            .RecordId("id").OccurredAt("activityDate").EventName("type")
            .RelatesTo("email", "contact"))
        .AppendOnly("conversation", t => t
            .RecordId("id").OccurredAt("created_at").EventName("type")
            .RelatesTo("user.email", "customer"))
        .AppendOnly("ticket", t => t
            .RecordId("id").OccurredAt("created_at").EventName("type")
            .RelatesTo("requester.email", "customer"))
        .MergeRule("plan", MergeRuleKind.SourcePriority, "stripe", "hubspot")
        .MergeRule("first_name", MergeRuleKind.FirstNonEmpty);

    private static string Json(object value) => JsonSerializer.Serialize(value);

    /// <summary>Creates a Stripe customer.</summary>
    /// <param name="id">The customer id.</param>
    /// <param name="email">The e-mail identity.</param>
    /// <param name="created">When it was created (written as Unix seconds).</param>
    /// <param name="name">The name, or <see langword="null"/>.</param>
    /// <param name="plan">The plan, or <see langword="null"/>.</param>
    /// <param name="userId">The user id identity (<c>metadata.user_id</c>), or <see langword="null"/>.</param>
    /// <returns>The record.</returns>
    public static IngestRecord StripeCustomer(string id, string email, DateTimeOffset created, string? name = null, string? plan = null, string? userId = null) =>
        new("stripe", "customer", Json(new
        {
            id,
            @object = "customer",
            email,
            name,
            plan,
            created = created.ToUnixTimeSeconds(),
            metadata = new { user_id = userId },
        }));

    /// <summary>Creates a HubSpot contact.</summary>
    /// <param name="vid">The contact id.</param>
    /// <param name="email">The e-mail identity.</param>
    /// <param name="updatedAt">When it was updated (written as Unix milliseconds).</param>
    /// <param name="name">The name, or <see langword="null"/>.</param>
    /// <param name="lifecycle">The lifecycle stage, or <see langword="null"/>.</param>
    /// <param name="plan">The plan, or <see langword="null"/>.</param>
    /// <returns>The record.</returns>
    public static IngestRecord HubSpotContact(long vid, string email, DateTimeOffset updatedAt, string? name = null, string? lifecycle = null, string? plan = null) =>
        new("hubspot", "contact", Json(new
        {
            vid,
            updatedAt = updatedAt.ToUnixTimeMilliseconds(),
            properties = new { email, name, lifecyclestage = lifecycle, plan },
        }));

    /// <summary>Creates a Stripe charge in US dollars.</summary>
    /// <param name="id">The charge id.</param>
    /// <param name="email">The customer e-mail it relates to, or <see langword="null"/>.</param>
    /// <param name="created">When it occurred (written as Unix seconds).</param>
    /// <param name="amountCents">The amount in cents.</param>
    /// <param name="type">The event name.</param>
    /// <param name="userId">The user id it relates to (<c>metadata.user_id</c>), or <see langword="null"/>.</param>
    /// <returns>The record.</returns>
    public static IngestRecord StripeCharge(string id, string? email, DateTimeOffset created, long amountCents, string type = "charge.succeeded", string? userId = null) =>
        new("stripe", "charge", Json(new
        {
            id,
            @object = "charge",
            type,
            amount = amountCents,
            currency = "usd",
            customer_email = email,
            created = created.ToUnixTimeSeconds(),
            metadata = new { user_id = userId },
        }));

    /// <summary>Creates a HubSpot deal stage change (its time written as ISO 8601).</summary>
    /// <param name="id">The change id.</param>
    /// <param name="email">The contact e-mail it relates to.</param>
    /// <param name="at">When it occurred.</param>
    /// <param name="stage">The new stage, part of the event name.</param>
    /// <returns>The record.</returns>
    public static IngestRecord DealStage(string id, string email, DateTimeOffset at, string stage) =>
        new("hubspot", "deal_stage", Json(new { id, type = $"deal.stage.changed ({stage})", email, stage, occurredAt = at.ToString("O") }));

    /// <summary>Creates a Marketo e-mail activity (its time written with a UTC offset and no fraction).</summary>
    /// <param name="id">The activity id.</param>
    /// <param name="email">The contact e-mail it relates to.</param>
    /// <param name="at">When it occurred.</param>
    /// <param name="type">The event name.</param>
    /// <returns>The record.</returns>
    public static IngestRecord MarketoActivity(string id, string email, DateTimeOffset at, string type = "email.opened") =>
        new("marketo", "email_activity", Json(new { id, type, email, activityDate = at.ToString("yyyy-MM-dd'T'HH:mm:sszzz") }));

    /// <summary>Creates an Intercom conversation (its time written as Unix seconds).</summary>
    /// <param name="id">The conversation id.</param>
    /// <param name="email">The customer e-mail it relates to (<c>user.email</c>).</param>
    /// <param name="at">When it occurred.</param>
    /// <param name="type">The event name.</param>
    /// <param name="subject">The subject, or <see langword="null"/>.</param>
    /// <returns>The record.</returns>
    public static IngestRecord IntercomConversation(string id, string email, DateTimeOffset at, string type = "conversation.created", string? subject = null) =>
        new("intercom", "conversation", Json(new { id, type, subject, user = new { email }, created_at = at.ToUnixTimeSeconds() }));

    /// <summary>Creates a Zendesk ticket (its time written as ISO 8601).</summary>
    /// <param name="id">The ticket id.</param>
    /// <param name="email">The customer e-mail it relates to (<c>requester.email</c>).</param>
    /// <param name="at">When it occurred.</param>
    /// <param name="type">The event name.</param>
    /// <param name="subject">The subject, or <see langword="null"/>.</param>
    /// <returns>The record.</returns>
    public static IngestRecord ZendeskTicket(string id, string email, DateTimeOffset at, string type = "ticket.created", string? subject = null) =>
        new("zendesk", "ticket", Json(new { id, type, subject, requester = new { email }, created_at = at.ToString("O") }));

    /// <summary>Gets a UTC time on a whole hour.</summary>
    /// <param name="year">The year.</param>
    /// <param name="month">The month.</param>
    /// <param name="day">The day.</param>
    /// <param name="hour">The hour; 9 by default.</param>
    /// <returns>The time.</returns>
    public static DateTimeOffset Day(int year, int month, int day, int hour = 9) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);
}

using System.Text.Json;

namespace EventLink.Storage.Compliance;

/// <summary>The multi-source schema the contract suites share: Stripe, HubSpot, Marketo, Intercom, Zendesk.</summary>
public static class TestSchema
{
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

    public static IngestRecord HubSpotContact(long vid, string email, DateTimeOffset updatedAt, string? name = null, string? lifecycle = null, string? plan = null) =>
        new("hubspot", "contact", Json(new
        {
            vid,
            updatedAt = updatedAt.ToUnixTimeMilliseconds(),
            properties = new { email, name, lifecyclestage = lifecycle, plan },
        }));

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

    public static IngestRecord DealStage(string id, string email, DateTimeOffset at, string stage) =>
        new("hubspot", "deal_stage", Json(new { id, type = $"deal.stage.changed ({stage})", email, stage, occurredAt = at.ToString("O") }));

    public static IngestRecord MarketoActivity(string id, string email, DateTimeOffset at, string type = "email.opened") =>
        new("marketo", "email_activity", Json(new { id, type, email, activityDate = at.ToString("yyyy-MM-dd'T'HH:mm:sszzz") }));

    public static IngestRecord IntercomConversation(string id, string email, DateTimeOffset at, string type = "conversation.created", string? subject = null) =>
        new("intercom", "conversation", Json(new { id, type, subject, user = new { email }, created_at = at.ToUnixTimeSeconds() }));

    public static IngestRecord ZendeskTicket(string id, string email, DateTimeOffset at, string type = "ticket.created", string? subject = null) =>
        new("zendesk", "ticket", Json(new { id, type, subject, requester = new { email }, created_at = at.ToString("O") }));

    public static DateTimeOffset Day(int year, int month, int day, int hour = 9) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);
}

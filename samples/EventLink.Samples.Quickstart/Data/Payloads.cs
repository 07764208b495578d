using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventLink.Samples.Quickstart.Data;

/// <summary>Webhook-like payloads of Stripe: customers, charges, refunds and subscription events.</summary>
internal static class Stripe
{
    public const string Source = "stripe";

    public static SourceEvent Customer(string id, string email, string name, string plan, string company, DateTimeOffset created) =>
        Payload.Create(Source, "customer", created, new
        {
            id,
            @object = "customer",
            email,
            name,
            created = created.ToUnixTimeSeconds(),
            metadata = new { plan, company },
        });

    /// <summary>A charge; a <paramref name="failureCode"/> makes it a failed one.</summary>
    public static SourceEvent Charge(string id, string? customerId, string email, long amountCents, string description, DateTimeOffset created, string? failureCode = null) =>
        Payload.Create(Source, "charge", created, new
        {
            id,
            @object = "charge",
            type = failureCode is null ? "charge.succeeded" : "charge.failed",
            amount = amountCents,
            currency = "usd",
            status = failureCode is null ? "succeeded" : "failed",
            failure_code = failureCode,
            description,
            customer = customerId,
            billing_details = new { email },
            created = created.ToUnixTimeSeconds(),
        });

    public static SourceEvent Refund(string id, string chargeId, string customerId, long amountCents, DateTimeOffset created) =>
        Payload.Create(Source, "charge", created, new
        {
            id,
            @object = "refund",
            type = "charge.refunded",
            amount = amountCents,
            currency = "usd",
            status = "succeeded",
            charge = chargeId,
            customer = customerId,
            created = created.ToUnixTimeSeconds(),
        });

    /// <summary>A subscription event (<c>customer.subscription.created</c> or <c>.deleted</c>) as Stripe wraps it.</summary>
    public static SourceEvent SubscriptionEvent(string eventId, string type, string subscriptionId, string customerId, string plan, long amountCents, DateTimeOffset created) =>
        Payload.Create(Source, "subscription", created, new
        {
            id = eventId,
            @object = "event",
            type,
            created = created.ToUnixTimeSeconds(),
            data = new
            {
                @object = new
                {
                    id = subscriptionId,
                    @object = "subscription",
                    customer = customerId,
                    status = type.EndsWith(".deleted", StringComparison.Ordinal) ? "canceled" : "active",
                    plan = new { nickname = plan, amount = amountCents, interval = "month" },
                },
            },
        });
}

/// <summary>HubSpot contacts (with their version time in milliseconds) and deal stage changes.</summary>
internal static class HubSpot
{
    public const string Source = "hubspot";

    public static SourceEvent Contact(long vid, string email, Person person, string lifecycleStage, string? plan, DateTimeOffset updatedAt, string[]? additionalEmails = null) =>
        Payload.Create(Source, "contact", updatedAt, new
        {
            vid,
            updatedAt = updatedAt.ToUnixTimeMilliseconds(),
            properties = new
            {
                email,
                hs_additional_emails = additionalEmails,
                firstname = person.FirstName,
                lastname = person.LastName,
                company = person.Company,
                lifecyclestage = lifecycleStage,
                plan,
            },
        });

    public static SourceEvent DealStage(long dealId, long vid, string dealName, string stage, decimal amount, DateTimeOffset at) =>
        Payload.Create(Source, "deal_stage", at, new
        {
            id = $"{dealId}-{stage}",
            type = "deal.stage.changed",
            dealId,
            dealname = dealName,
            stage,
            amount = amount.ToString(CultureInfo.InvariantCulture),
            associatedVids = new[] { vid },
            occurredAt = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        });
}

/// <summary>Marketo email activities, enriched with the lead's email.</summary>
internal static class Marketo
{
    public const string Source = "marketo";

    public static SourceEvent EmailActivity(long id, long leadId, string email, string type, string campaign, DateTimeOffset at) =>
        Payload.Create(Source, "email_activity", at, new
        {
            id,
            leadId,
            type,
            primaryAttributeValue = campaign,
            email,
            activityDate = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        });
}

/// <summary>Intercom conversation notifications (<c>notification_event</c> webhooks).</summary>
internal static class Intercom
{
    public const string Source = "intercom";

    public static SourceEvent Conversation(string notificationId, string topic, string conversationId, string email, string name, string subject, DateTimeOffset at) =>
        Payload.Create(Source, "conversation", at, new
        {
            type = "notification_event",
            id = notificationId,
            topic,
            created_at = at.ToUnixTimeSeconds(),
            data = new
            {
                item = new
                {
                    type = "conversation",
                    id = conversationId,
                    subject,
                    user = new { type = "user", email, name },
                },
            },
        });
}

/// <summary>Zendesk ticket events, with local times written with their UTC offset.</summary>
internal static class Zendesk
{
    public const string Source = "zendesk";

    public static SourceEvent TicketEvent(long eventId, string type, long ticketId, string subject, string status, string email, string name, DateTimeOffset at, TimeSpan offset) =>
        Payload.Create(Source, "ticket", at, new
        {
            id = eventId,
            type,
            ticket = new
            {
                id = ticketId,
                subject,
                status,
                requester = new { email, name },
            },
            created_at = at.ToOffset(offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        });
}

internal static class Payload
{
    private static readonly JsonSerializerOptions s_options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static SourceEvent Create(string source, string recordType, DateTimeOffset occurredAt, object payload) =>
        new(occurredAt, new IngestRecord(source, recordType, JsonSerializer.Serialize(payload, s_options)));
}

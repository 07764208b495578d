using System.Text.Json;

namespace EventLink.Presets;

/// <summary>
/// Stripe webhook events (and <c>GET /v1/events</c> pages): the <c>evt_…</c> envelope with the object in
/// <c>data.object</c>. Customers are merged state versioned by the event's <c>created</c>, so a newer event wins
/// whatever order they arrive in; charge, invoice and subscription events are occurrences keyed by the event id, so
/// <c>charge.succeeded</c> and <c>charge.refunded</c> of one charge are two timeline entries. Checkout sessions link
/// through the customer, then <c>customer_details.email</c>; <c>customer.deleted</c> is an event on the profile, not a
/// new version of the customer; API v2 events are acknowledged (ignored) with what to do.
/// </summary>
internal sealed class StripePreset : PresetDefinition
{
    public const string CustomerIdKind = "stripe_customer_id";
    public const string Customer = "stripe_customer";
    public const string Charge = "stripe_charge";
    public const string Invoice = "stripe_invoice";
    public const string Subscription = "stripe_subscription";
    public const string CheckoutSession = "stripe_checkout_session";
    public const string CustomerDeletion = "stripe_customer_deletion";

    public override string Name => "stripe";

    public override string DisplayName => "Stripe";

    public override IReadOnlyDictionary<string, IdentityNormalization> IdentityKinds { get; } =
        new Dictionary<string, IdentityNormalization> { [CustomerIdKind] = IdentityNormalization.Exact };

    public override IReadOnlyList<PresetRecordType> Types { get; } =
    [
        PresetRecordType.Merged(Customer, (t, _) => t
            .RecordId("data.object.id")
            .OccurredAt("created", TimestampFormat.UnixSeconds)
            .EventName("type")
            .Identity("data.object.id", CustomerIdKind)
            .Identity("data.object.email")
            .Attribute("email", "data.object.email")
            .Attribute("name", "data.object.name")
            .Attribute("phone", "data.object.phone")
            .Attribute("stripe_customer_id", "data.object.id")
            .Attribute("stripe_delinquent", "data.object.delinquent")),
        PresetRecordType.AppendOnly(Charge, (t, o) => Event(t)
            .RelatesTo("data.object.customer", o.GetRecordTypeName(Customer), CustomerIdKind)
            .RelatesTo("data.object.billing_details.email", o.GetRecordTypeName(Customer))
            .RelatesTo("data.object.receipt_email", o.GetRecordTypeName(Customer))),
        PresetRecordType.AppendOnly(Invoice, (t, o) => Event(t)
            .RelatesTo("data.object.customer", o.GetRecordTypeName(Customer), CustomerIdKind)
            .RelatesTo("data.object.customer_email", o.GetRecordTypeName(Customer))),
        PresetRecordType.AppendOnly(Subscription, (t, o) => Event(t)
            .RelatesTo("data.object.customer", o.GetRecordTypeName(Customer), CustomerIdKind)),
        PresetRecordType.AppendOnly(CheckoutSession, (t, o) => Event(t)
            .RelatesTo("data.object.customer", o.GetRecordTypeName(Customer), CustomerIdKind)
            .RelatesTo("data.object.customer_details.email", o.GetRecordTypeName(Customer))
            .RelatesTo("data.object.customer_email", o.GetRecordTypeName(Customer))),
        PresetRecordType.AppendOnly(CustomerDeletion, (t, o) => Event(t)
            .RelatesTo("data.object.id", o.GetRecordTypeName(Customer), CustomerIdKind)
            .RelatesTo("data.object.email", o.GetRecordTypeName(Customer))),
    ];

    public override void Route(JsonElement root, PresetReader reader)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            RouteEach(root, reader);
            return;
        }

        if (Text(root, "object") == "list" && TryGet(root, "data", out var page) && page.ValueKind == JsonValueKind.Array)
        {
            RouteEach(page, reader);
            return;
        }

        if (Text(root, "object") == "v2.core.event")
        {
            RouteV2(root, reader);
            return;
        }

        var type = Text(root, "type");
        if (type is null && Text(root, "object") is { } objectName and not "event" && Text(root, "id") is not null)
        {
            // An API object or response (GET /v1/customers/{id}, DELETE's {"deleted": true}) carries no event time.
            reader.Ignore($"a Stripe {objectName} object, not an event: the preset reads events (webhooks, or GET /v1/events pages for a backfill), which say when it changed");
            return;
        }

        if (type is null || Text(root, "id") is null || !TryGet(root, "data", out var data) || !TryGet(data, "object", out var item))
        {
            reader.Unrecognized("not a Stripe event (an object with id, type and data.object)");
            return;
        }

        switch (Text(item, "object"))
        {
            case "customer" when type == "customer.deleted":
                // The customer's last state is not a newer version of it: the deletion is an event on the profile.
                reader.Add(CustomerDeletion, root);
                break;
            case "customer":
                reader.Add(Customer, root);
                break;
            case "checkout.session":
                reader.Add(CheckoutSession, root);
                break;
            case "charge":
                reader.Add(Charge, root);
                break;
            case "invoice":
                reader.Add(Invoice, root);
                break;
            case "subscription":
                reader.Add(Subscription, root);
                break;
            default:
                reader.Ignore($"Stripe event '{type}' is not kept by the preset");
                break;
        }
    }

    /// <summary>
    /// API v2 events (<c>object: v2.core.event</c>, to event destinations). A thin one names its object in
    /// <c>related_object</c> without carrying it; those with <c>data</c> report on billing meters and v2 accounts,
    /// nothing the preset's customer records hold. Both are acknowledged with what to do instead.
    /// </summary>
    private static void RouteV2(JsonElement root, PresetReader reader)
    {
        var type = Text(root, "type") ?? "(no type)";
        if (!TryGet(root, "data", out var data) || data.ValueKind == JsonValueKind.Null)
        {
            var related = Text(root, "related_object", "url") is { } url ? $" ({url})" : string.Empty;
            reader.Ignore($"Stripe v2 thin event '{type}' carries no object: fetch it (GET /v2/core/events/{{id}}, or its related_object{related}) and read that, or send this preset snapshot events (an event destination with the snapshot payload style)");
            return;
        }

        reader.Ignore($"Stripe v2 event '{type}' is not about a customer, charge, invoice, subscription or checkout the preset keeps");
    }

    private static AppendOnlyRecordTypeBuilder Event(AppendOnlyRecordTypeBuilder type) =>
        type.RecordId("id").OccurredAt("created", TimestampFormat.UnixSeconds).EventName("type");
}

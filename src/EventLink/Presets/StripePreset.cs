using System.Text.Json;

namespace EventLink.Presets;

/// <summary>
/// Stripe webhook events (and <c>GET /v1/events</c> pages): the <c>evt_…</c> envelope with the object in
/// <c>data.object</c>. Customers are merged state versioned by the event's <c>created</c>, so a newer event wins
/// whatever order they arrive in; charge, invoice and subscription events are occurrences keyed by the event id, so
/// <c>charge.succeeded</c> and <c>charge.refunded</c> of one charge are two timeline entries.
/// </summary>
internal sealed class StripePreset : PresetDefinition
{
    public const string CustomerIdKind = "stripe_customer_id";
    public const string Customer = "stripe_customer";
    public const string Charge = "stripe_charge";
    public const string Invoice = "stripe_invoice";
    public const string Subscription = "stripe_subscription";

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

        var type = Text(root, "type");
        if (type is null || Text(root, "id") is null || !TryGet(root, "data", out var data) || !TryGet(data, "object", out var item))
        {
            reader.Unrecognized("not a Stripe event (an object with id, type and data.object)");
            return;
        }

        switch (Text(item, "object"))
        {
            case "customer":
                reader.Add(Customer, root);
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

    private static AppendOnlyRecordTypeBuilder Event(AppendOnlyRecordTypeBuilder type) =>
        type.RecordId("id").OccurredAt("created", TimestampFormat.UnixSeconds).EventName("type");
}

using System.Globalization;
using System.Text.Json;

namespace EventLink.Samples.Quickstart.Output;

/// <summary>Short, per-source descriptions of stored events for the timeline.</summary>
internal static class EventDetails
{
    /// <summary>What happened, in a few words: an amount, a subject, a stage.</summary>
    public static string Describe(TimelineEvent e)
    {
        var root = e.Payload;
        return e.RecordType switch
        {
            "charge" when Text(root, "object") == "refund" => $"{Money(root)} refunded (charge {Text(root, "charge")})",
            "charge" when Text(root, "status") == "failed" => $"{Money(root)} failed, {Text(root, "failure_code")} · {Text(root, "description")} · {e.RecordId}",
            "charge" => $"{Money(root)} paid · {Text(root, "description")} · {e.RecordId}",
            "subscription" => $"{Text(root, "data.object.plan.nickname")} plan, {Text(root, "data.object.status")}",
            "deal_stage" => $"{Text(root, "stage")} · {Text(root, "dealname")} (${decimal.Parse(Text(root, "amount"), CultureInfo.InvariantCulture):N0}/yr)",
            "email_activity" => Text(root, "primaryAttributeValue"),
            "conversation" => $"\"{Text(root, "data.item.subject")}\"",
            "ticket" => $"#{Text(root, "ticket.id")} \"{Text(root, "ticket.subject")}\" ({Text(root, "ticket.status")})",
            _ => string.Empty,
        };
    }

    /// <summary>The raw value that ties the event to the profile, quoted to show casing and stray spaces.</summary>
    public static string Via(TimelineEvent e)
    {
        var root = e.Payload;
        var value = e.RecordType switch
        {
            "charge" => Text(root, "customer") is { Length: > 0 } customer ? customer : Text(root, "billing_details.email"),
            "subscription" => Text(root, "data.object.customer"),
            "deal_stage" => "vid " + Text(root, "associatedVids[0]"),
            "email_activity" => Text(root, "email"),
            "conversation" => Text(root, "data.item.user.email"),
            "ticket" => Text(root, "ticket.requester.email"),
            _ => string.Empty,
        };
        return value.Contains('@', StringComparison.Ordinal) ? $"\"{value}\"" : value;
    }

    private static string Money(JsonElement root)
    {
        var cents = Select(root, "amount")?.GetInt64() ?? 0;
        return Text(root, "currency") == "usd" ? $"${cents / 100m:N2}" : $"{cents / 100m:N2} {Text(root, "currency").ToUpperInvariant()}";
    }

    private static string Text(JsonElement root, string selector) => Select(root, selector) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString()!,
        { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
        _ => string.Empty,
    };

    private static JsonElement? Select(JsonElement root, string selector) =>
        FieldPath.Parse(selector).TrySelect(root, out var value) ? value : null;
}

using System.Globalization;
using System.Text.Json;

namespace EventLink.Traits.Internal;

/// <summary>Compares a JSON value with a configured text value: numbers as numbers, times as times, else ordinal text.</summary>
internal static class ValueComparison
{
    public static bool Holds(JsonElement? actual, ComparisonOperator comparison, string? expected)
    {
        var present = actual is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) };
        if (comparison == ComparisonOperator.Exists)
        {
            return present;
        }

        if (!present)
        {
            return comparison == ComparisonOperator.NotEquals;
        }

        var value = actual!.Value;
        int? order = null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) && TryNumber(expected, out var other))
        {
            order = number.CompareTo(other);
        }
        else if (value.ValueKind == JsonValueKind.String && value.GetString() is { } text)
        {
            order = TryTime(text, out var at) && TryTime(expected, out var otherAt) ? at.CompareTo(otherAt)
                : TryNumber(text, out var parsed) && TryNumber(expected, out var otherNumber) ? parsed.CompareTo(otherNumber)
                : expected is null ? null : string.CompareOrdinal(text, expected);
        }
        else if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            var equal = string.Equals(value.ValueKind == JsonValueKind.True ? "true" : "false", expected?.Trim(), StringComparison.OrdinalIgnoreCase);
            return comparison switch
            {
                ComparisonOperator.Equals => equal,
                ComparisonOperator.NotEquals => !equal,
                _ => false,
            };
        }

        return Compare(order, comparison);
    }

    private static bool Compare(int? order, ComparisonOperator comparison) =>
        comparison switch
        {
            ComparisonOperator.Equals => order == 0,
            ComparisonOperator.NotEquals => order != 0,
            ComparisonOperator.GreaterThan => order > 0,
            ComparisonOperator.GreaterThanOrEqual => order >= 0,
            ComparisonOperator.LessThan => order < 0,
            ComparisonOperator.LessThanOrEqual => order <= 0,
            _ => false,
        };

    /// <summary>As <see cref="Holds(JsonElement?, ComparisonOperator, string?)"/> for a JSON number (or null), without the JSON.</summary>
    public static bool Holds(decimal? actual, ComparisonOperator comparison, string? expected)
    {
        if (comparison == ComparisonOperator.Exists || actual is null)
        {
            return comparison == ComparisonOperator.Exists ? actual is not null : comparison == ComparisonOperator.NotEquals;
        }

        int? order = TryNumber(expected, out var other) ? actual.Value.CompareTo(other) : null;
        return Compare(order, comparison);
    }

    public static bool TryNumber(string? text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Reads a number the way traits do: a JSON number, or a string holding one (Stripe sends amounts as numbers, others as text).</summary>
    public static decimal? ReadNumber(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
        JsonValueKind.String when TryNumber(value.GetString(), out var parsed) => parsed,
        _ => null,
    };

    private static bool TryTime(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is { Length: >= 10 } && char.IsAsciiDigit(text[0]) && text[4] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}

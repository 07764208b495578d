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
            order = OrderOfText(text, expected);
        }
        else if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return HoldsBoolean(value.ValueKind == JsonValueKind.True, comparison, expected);
        }

        return Compare(order, comparison);
    }

    /// <summary>
    /// As <see cref="Holds(JsonElement?, ComparisonOperator, string?)"/> for a value the payload extractor selected
    /// (absent when its kind is undefined), read from the payload without a <see cref="JsonDocument"/>.
    /// </summary>
    public static bool Holds(in SelectedValue actual, ReadOnlySpan<byte> payload, ComparisonOperator comparison, string? expected)
    {
        var present = actual.Kind is not (JsonValueKind.Null or JsonValueKind.Undefined);
        if (comparison == ComparisonOperator.Exists || !present)
        {
            return comparison == ComparisonOperator.Exists ? present : comparison == ComparisonOperator.NotEquals;
        }

        int? order = null;
        switch (actual.Kind)
        {
            case JsonValueKind.Number:
                order = TryDecimal(actual, payload, out var number) && TryNumber(expected, out var other) ? number.CompareTo(other) : null;
                break;
            case JsonValueKind.String:
                Span<char> buffer = stackalloc char[128];
                order = OrderOfText(Text(actual, payload, buffer), expected);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                return HoldsBoolean(actual.Kind == JsonValueKind.True, comparison, expected);
        }

        return Compare(order, comparison);
    }

    /// <summary>As <see cref="ReadNumber(JsonElement)"/> for a value the payload extractor selected.</summary>
    public static decimal? ReadNumber(in SelectedValue value, ReadOnlySpan<byte> payload)
    {
        Span<char> buffer = stackalloc char[128];
        return value.Kind switch
        {
            JsonValueKind.Number when TryDecimal(value, payload, out var number) => number,
            JsonValueKind.String when decimal.TryParse(Text(value, payload, buffer), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    /// <summary>The value's JSON text as <see cref="JsonElement.GetRawText"/> gives it, or <see langword="null"/> when the extractor kept no text for it (an object, an array, an escaped string).</summary>
    public static string? RawText(in SelectedValue value, ReadOnlySpan<byte> payload) => value.Kind switch
    {
        JsonValueKind.String when value.Text is null && value.Error is null => System.Text.Encoding.UTF8.GetString(payload.Slice(value.Start - 1, value.Length + 2)),
        JsonValueKind.Number => System.Text.Encoding.UTF8.GetString(payload.Slice(value.Start, value.Length)),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    /// <summary>Whether <see cref="RawText"/> would give <paramref name="text"/> (compared without making the string).</summary>
    public static bool IsRawText(in SelectedValue value, ReadOnlySpan<byte> payload, string text)
    {
        var utf8 = value.Kind switch
        {
            JsonValueKind.String when value.Text is null && value.Error is null => payload.Slice(value.Start - 1, value.Length + 2),
            JsonValueKind.Number => payload.Slice(value.Start, value.Length),
            _ => default,
        };
        if (utf8.IsEmpty || utf8.Length != text.Length)
        {
            return false; // Only ASCII text is compared byte for char (any other is decoded).
        }

        for (var k = 0; k < utf8.Length; k++)
        {
            if (utf8[k] != text[k] || utf8[k] >= 0x80)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A JSON number as <see cref="JsonElement.TryGetDecimal"/> reads it.</summary>
    private static bool TryDecimal(in SelectedValue value, ReadOnlySpan<byte> payload, out decimal number)
    {
        var reader = new Utf8JsonReader(payload.Slice(value.Start, value.Length));
        number = 0;
        return reader.Read() && reader.TryGetDecimal(out number);
    }

    /// <summary>A string's characters: its decoded text, or its UTF-8 decoded into <paramref name="buffer"/> when it fits.</summary>
    private static ReadOnlySpan<char> Text(in SelectedValue value, ReadOnlySpan<byte> payload, Span<char> buffer)
    {
        if (value.Text is { } text)
        {
            return text;
        }

        var utf8 = payload.Slice(value.Start, value.Length);
        return utf8.Length <= buffer.Length ? buffer[..System.Text.Encoding.UTF8.GetChars(utf8, buffer)] : System.Text.Encoding.UTF8.GetString(utf8);
    }

    private static int? OrderOfText(ReadOnlySpan<char> text, string? expected) =>
        TryTime(text, out var at) && TryTime(expected, out var otherAt) ? at.CompareTo(otherAt)
        : TryNumber(text, out var parsed) && TryNumber(expected, out var otherNumber) ? parsed.CompareTo(otherNumber)
        : expected is null ? null : Math.Sign(text.SequenceCompareTo(expected));

    private static bool HoldsBoolean(bool value, ComparisonOperator comparison, string? expected)
    {
        var equal = string.Equals(value ? "true" : "false", expected?.Trim(), StringComparison.OrdinalIgnoreCase);
        return comparison switch
        {
            ComparisonOperator.Equals => equal,
            ComparisonOperator.NotEquals => !equal,
            _ => false,
        };
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

        return Holds(actual, comparison, TryNumber(expected, out var other) ? other : null);
    }

    /// <summary>As <see cref="Holds(decimal?, ComparisonOperator, string?)"/>, with the expected value parsed beforehand (null: not a number).</summary>
    public static bool Holds(decimal? actual, ComparisonOperator comparison, decimal? expected)
    {
        if (comparison == ComparisonOperator.Exists || actual is null)
        {
            return comparison == ComparisonOperator.Exists ? actual is not null : comparison == ComparisonOperator.NotEquals;
        }

        int? order = expected is { } other ? actual.Value.CompareTo(other) : null;
        return Compare(order, comparison);
    }

    public static bool TryNumber(string? text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static bool TryNumber(ReadOnlySpan<char> text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Reads a number the way traits do: a JSON number, or a string holding one (Stripe sends amounts as numbers, others as text).</summary>
    public static decimal? ReadNumber(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
        JsonValueKind.String when TryNumber(value.GetString(), out var parsed) => parsed,
        _ => null,
    };

    private static bool TryTime(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        return text is { Length: >= 10 } && char.IsAsciiDigit(text[0]) && text[4] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}

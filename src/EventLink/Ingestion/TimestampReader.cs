using System.Globalization;
using System.Text.Json;

namespace EventLink;

/// <summary>Reads occurred-at values: unix seconds, unix milliseconds, or ISO-8601 with an offset; always UTC, to the microsecond.</summary>
internal static class TimestampReader
{
    private const double MillisecondThreshold = 1e11;
    private static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Reads a timestamp; returns an error message when it cannot.</summary>
    public static bool TryRead(JsonElement value, TimestampFormat format, out DateTimeOffset result, out string error) =>
        value.ValueKind switch
        {
            JsonValueKind.Number => TryRead(JsonValueKind.Number, value.GetRawText(), value.TryGetDouble(out var number), number, format, out result, out error),
            JsonValueKind.String => TryRead(JsonValueKind.String, value.GetString(), false, 0, format, out result, out error),
            _ => TryRead(value.ValueKind, null, false, 0, format, out result, out error),
        };

    /// <summary>Reads a timestamp already pulled out of the payload: its kind, its text (a string's value or a number's raw text) and, for a number, its value.</summary>
    public static bool TryRead(JsonValueKind kind, string? text, bool isDouble, double number, TimestampFormat format, out DateTimeOffset result, out string error)
    {
        result = default;
        error = string.Empty;
        switch (kind)
        {
            case JsonValueKind.Number when format != TimestampFormat.Iso8601:
                if (!isDouble)
                {
                    error = $"the number {text} is not a time";
                    return false;
                }

                return FromUnix(number, format, text!, out result, out error);
            case JsonValueKind.String:
                text = text!.Trim();
                if (format != TimestampFormat.Iso8601 && text.Length > 0 && IsNumber(text) &&
                    double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                {
                    return FromUnix(parsed, format, text, out result, out error);
                }

                if (format is TimestampFormat.UnixSeconds or TimestampFormat.UnixMilliseconds)
                {
                    error = $"'{Shorten(text)}' is not a unix time";
                    return false;
                }

                return FromIso(text, out result, out error);
            default:
                error = $"a {kind.ToString().ToLowerInvariant()} is not a time";
                return false;
        }
    }

    /// <summary>Drops sub-microsecond precision so every store holds exactly the same instant.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    /// <summary>Reads a number as a unix time, as <see cref="TryRead(JsonValueKind, string?, bool, double, TimestampFormat, out DateTimeOffset, out string)"/> does, without its text.</summary>
    /// <returns>Whether it is a time; when not, <c>TryRead</c> with the number's text says why.</returns>
    public static bool TryReadNumber(double number, bool isDouble, TimestampFormat format, out DateTimeOffset result)
    {
        result = default;
        return format != TimestampFormat.Iso8601 && isDouble && FromUnix(number, format, out result) == UnixTime.Valid;
    }

    private static bool FromUnix(double number, TimestampFormat format, string text, out DateTimeOffset result, out string error)
    {
        switch (FromUnix(number, format, out result))
        {
            case UnixTime.Valid:
                error = string.Empty;
                return true;
            case UnixTime.NotFinite:
                error = $"'{Shorten(text)}' is not a time";
                return false;
            default:
                error = $"'{Shorten(text)}' is outside 1900–2200";
                return false;
        }
    }

    private static UnixTime FromUnix(double number, TimestampFormat format, out DateTimeOffset result)
    {
        result = default;
        if (double.IsNaN(number) || double.IsInfinity(number))
        {
            return UnixTime.NotFinite;
        }

        var milliseconds = format switch
        {
            TimestampFormat.UnixMilliseconds => number,
            TimestampFormat.UnixSeconds => number * 1000d,
            _ => Math.Abs(number) < MillisecondThreshold ? number * 1000d : number,
        };
        var ticks = milliseconds * TimeSpan.TicksPerMillisecond;
        var min = (Earliest - DateTimeOffset.UnixEpoch).Ticks;
        var max = (Latest - DateTimeOffset.UnixEpoch).Ticks;
        if (ticks < min || ticks > max)
        {
            return UnixTime.OutOfRange;
        }

        result = Normalize(DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(ticks)));
        return UnixTime.Valid;
    }

    private static bool FromIso(string text, out DateTimeOffset result, out string error)
    {
        result = default;
        error = string.Empty;
        if (text.Length < 16 || !char.IsAsciiDigit(text[0]) || text[4] != '-' || (text[10] != 'T' && text[10] != 't' && text[10] != ' '))
        {
            error = $"'{Shorten(text)}' is not an ISO-8601 date and time";
            return false;
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var local))
        {
            error = $"'{Shorten(text)}' is not an ISO-8601 date and time";
            return false;
        }

        if (local.Kind == DateTimeKind.Unspecified)
        {
            error = $"'{Shorten(text)}' has no UTC offset (add Z or +hh:mm)";
            return false;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out result) ||
            result < Earliest || result > Latest)
        {
            error = $"'{Shorten(text)}' is not a time between 1900 and 2200";
            return false;
        }

        result = Normalize(result);
        return true;
    }

    private static bool IsNumber(string text)
    {
        var start = text[0] is '-' or '+' ? 1 : 0;
        if (start == text.Length)
        {
            return false;
        }

        for (var i = start; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]) && text[i] != '.')
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private enum UnixTime
    {
        Valid,
        NotFinite,
        OutOfRange,
    }
}

using System.Text.Json;

namespace EventLink;

/// <summary>Reads a Segment-spec message's time, correcting the sending device's clock skew as the spec does.</summary>
internal static class SegmentTimestamp
{
    private static readonly FieldPath ReceivedAt = FieldPath.Parse("receivedAt");
    private static readonly FieldPath SentAt = FieldPath.Parse("sentAt");
    private static readonly FieldPath OriginalTimestamp = FieldPath.Parse("originalTimestamp");

    public static bool TryRead(FieldPath selector, JsonElement root, out DateTimeOffset result, out string error)
    {
        result = default;
        error = string.Empty;
        var received = Read(ReceivedAt, root, ref error);
        var sent = Read(SentAt, root, ref error);
        var original = Read(OriginalTimestamp, root, ref error);
        if (error.Length > 0)
        {
            return false;
        }

        if (received is { } r && sent is { } s && original is { } o)
        {
            result = TimestampReader.Normalize(r - (s - o));
            return true;
        }

        var stated = Read(selector, root, ref error);
        if (error.Length > 0)
        {
            return false;
        }

        if ((stated ?? original ?? received) is { } fallback)
        {
            result = fallback;
            return true;
        }

        error = $"no time: neither '{selector}', 'originalTimestamp' nor 'receivedAt' is present";
        return false;
    }

    private static DateTimeOffset? Read(FieldPath path, JsonElement root, ref string error)
    {
        if (!path.TrySelect(root, out var value))
        {
            return null;
        }

        if (TimestampReader.TryRead(value, TimestampFormat.Auto, out var time, out var problem))
        {
            return time;
        }

        error = $"the occurred-at value at '{path}' is unreadable: {problem}";
        return null;
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Presets.Internal;

/// <summary>
/// What presets of tracking APIs (Segment, PostHog) do to a message before it becomes a record: a deterministic id
/// when the caller sent none, lenient times made strict, fields renamed, and credentials dropped.
/// </summary>
internal static class PresetMessage
{
    /// <summary>
    /// A record id for a message that has none: the hash of its canonical JSON (keys sorted, no whitespace) without the
    /// fields named, which the transport sets per attempt (<c>sentAt</c>), so a retried message gets the same id.
    /// </summary>
    public static string Id(JsonObject message, params ReadOnlySpan<string> transportFields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, message, transportFields.ToArray());
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), hash);
        return "sha256:" + Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>Renames top-level fields (<c>user_id</c> → <c>userId</c>) unless the new name is already there.</summary>
    public static void Rename(JsonObject message, IReadOnlyDictionary<string, string> names)
    {
        foreach (var (from, to) in names)
        {
            if (message.ContainsKey(from) && !message.ContainsKey(to))
            {
                var value = message[from];
                message.Remove(from);
                message[to] = value;
            }
        }
    }

    /// <summary>
    /// Rewrites a time the strict reader refuses but the tool accepts (<c>2015-2-02T00:30:08.276Z</c>, or no offset,
    /// which these tools read as UTC) as ISO-8601 UTC; leaves readable and unreadable values alone.
    /// </summary>
    public static void NormalizeTime(JsonObject message, string name)
    {
        if (message[name] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return;
        }

        var text = value.GetValue<string>();
        using var element = JsonDocument.Parse(JsonSerializer.Serialize(text, EventLink.Internal.EventLinkJsonContext.Default.String));
        if (TimestampReader.TryRead(element.RootElement, TimestampFormat.Auto, out _, out _))
        {
            return;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var time))
        {
            message[name] = Iso(time);
        }
    }

    /// <summary>Reads a time of the message (after <see cref="NormalizeTime"/>), or <see langword="null"/>.</summary>
    public static DateTimeOffset? Time(JsonObject message, string name)
    {
        if (message[name] is not JsonValue value)
        {
            return null;
        }

        using var element = JsonDocument.Parse(value.ToJsonString());
        return TimestampReader.TryRead(element.RootElement, TimestampFormat.Auto, out var time, out _) ? time : null;
    }

    /// <summary>Writes a time as ISO-8601 UTC with milliseconds.</summary>
    public static string Iso(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Gets a top-level string field, or <see langword="null"/>.</summary>
    public static string? Text(JsonObject message, string name) =>
        message[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Trim().Length > 0 ? text : null;

    private static void WriteCanonical(Utf8JsonWriter writer, JsonNode? node, string[] skip)
    {
        switch (node)
        {
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, child) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (Array.IndexOf(skip, key) >= 0)
                    {
                        continue;
                    }

                    writer.WritePropertyName(key);
                    WriteCanonical(writer, child, []);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteCanonical(writer, item, []);
                }

                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;

namespace EventLink.Presets.Internal;

/// <summary>
/// Reads an <c>application/x-www-form-urlencoded</c> body into the JSON object a preset routes, with the bracket
/// nesting PHP and Rails use (and Mailchimp's webhooks speak): <c>data[merges][EMAIL]=a%40b.c</c> becomes
/// <c>{"data": {"merges": {"EMAIL": "a@b.c"}}}</c>, <c>tags[]=a&amp;tags[]=b</c> an array. Values stay strings.
/// </summary>
internal static class FormBody
{
    /// <summary>Reads a form; <see langword="false"/> when the text is not one (a pair without <c>=</c>, or a bad key).</summary>
    public static bool TryRead(ReadOnlySpan<byte> utf8, out JsonObject form)
    {
        form = [];
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(utf8).Trim();
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        if (text.Length == 0 || text[0] is '{' or '[' or '"')
        {
            return false;
        }

        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !TryDecode(pair[..equals], out var key) || !TryDecode(pair[(equals + 1)..], out var value) ||
                !TryParseKey(key, out var path) || !TrySet(form, path, value))
            {
                return false;
            }
        }

        return form.Count > 0;
    }

    /// <summary>Whether a body that is not JSON looks like a form (<c>name=</c> first), so it is worth reading as one.</summary>
    public static bool LooksLikeForm(ReadOnlySpan<byte> utf8)
    {
        utf8 = utf8.Trim(" \t\r\n"u8);
        var equals = utf8.IndexOf((byte)'=');
        if (equals <= 0)
        {
            return false;
        }

        foreach (var b in utf8[..equals])
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'_' or (byte)'-' or (byte)'.' or (byte)'[' or (byte)']' or (byte)'%' or (byte)'$'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryDecode(string encoded, out string decoded)
    {
        try
        {
            decoded = Uri.UnescapeDataString(encoded.Replace('+', ' '));
            return true;
        }
        catch (UriFormatException)
        {
            decoded = string.Empty;
            return false;
        }
    }

    /// <summary><c>a[b][]</c> → <c>["a", "b", ""]</c>; an empty segment appends to an array.</summary>
    private static bool TryParseKey(string key, out List<string> path)
    {
        path = [];
        var open = key.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            path.Add(key);
            return true;
        }

        if (open == 0)
        {
            return false;
        }

        path.Add(key[..open]);
        var rest = key.AsSpan(open);
        while (rest.Length > 0)
        {
            var close = rest.IndexOf(']');
            if (rest[0] != '[' || close < 0)
            {
                return false;
            }

            path.Add(rest[1..close].ToString());
            rest = rest[(close + 1)..];
        }

        return true;
    }

    private static bool TrySet(JsonObject form, List<string> path, string value)
    {
        JsonNode current = form;
        for (var i = 0; i < path.Count; i++)
        {
            var last = i == path.Count - 1;
            var segment = path[i];
            JsonNode? next = last ? JsonValue.Create(value) : path[i + 1].Length == 0 ? new JsonArray() : new JsonObject();
            switch (current)
            {
                case JsonObject obj when segment.Length > 0:
                    if (last || obj[segment] is null || obj[segment]!.GetValueKind() != next!.GetValueKind())
                    {
                        obj[segment] = next;
                    }
                    else
                    {
                        next = obj[segment];
                    }

                    break;
                case JsonArray array when segment.Length == 0:
                    array.Add(next);
                    break;
                default:
                    return false;
            }

            current = next!;
        }

        return true;
    }
}

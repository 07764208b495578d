using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Privacy.Internal;

/// <summary>Consent reading and restricted-field stripping, compiled from <see cref="EventLinkPrivacyOptions"/>.</summary>
internal sealed class PrivacyRules
{
    private readonly Dictionary<string, FieldPath> _consentFields = new(StringComparer.Ordinal);
    private readonly string[] _exact;
    private readonly string[] _prefixes;

    public PrivacyRules(EventLinkPrivacyOptions options)
    {
        foreach (var (recordType, selector) in options.ConsentFields)
        {
            _consentFields[recordType] = FieldPath.Parse(selector);
        }

        _exact = options.RestrictedFields.Where(f => !f.EndsWith('*')).ToArray();
        _prefixes = options.RestrictedFields.Where(f => f.EndsWith('*')).Select(f => f[..^1]).ToArray();
    }

    public bool HasConsentFields => _consentFields.Count > 0;

    public bool IsRestricted(string name)
    {
        foreach (var exact in _exact)
        {
            if (string.Equals(name, exact, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var prefix in _prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Removes restricted properties at every depth.</summary>
    public void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (IsRestricted(name))
                    {
                        obj.Remove(name);
                    }
                    else
                    {
                        Strip(obj[name]);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Strip(item);
                }

                break;
        }
    }

    /// <summary>Reads the consent a payload of a record type states, into <paramref name="consent"/>, most restrictive winning.</summary>
    public void ReadConsent(string recordType, string payloadJson, Dictionary<string, bool> consent)
    {
        if (!_consentFields.TryGetValue(recordType, out var path))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(payloadJson);
            if (path.TrySelect(document.RootElement, out var value))
            {
                ReadConsent(value, consent);
            }
        }
        catch (JsonException)
        {
            // Stored payloads are valid JSON; a damaged one states no consent.
        }
    }

    /// <summary>An object of booleans per purpose, or an array of granted purposes. A purpose stated false anywhere stays false.</summary>
    public static void ReadConsent(JsonElement value, Dictionary<string, bool> consent)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                var granted = property.Value.ValueKind == JsonValueKind.True
                    || (property.Value.ValueKind == JsonValueKind.String && bool.TryParse(property.Value.GetString(), out var parsed) && parsed);
                Add(consent, property.Name, granted);
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } purpose)
                {
                    Add(consent, purpose, true);
                }
            }
        }
    }

    /// <summary>Most restrictive wins: granted only while every statement of the purpose grants it.</summary>
    public static void Add(Dictionary<string, bool> consent, string purpose, bool granted) =>
        consent[purpose] = granted && (!consent.TryGetValue(purpose, out var before) || before);
}

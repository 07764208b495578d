using System.Text.Json;

namespace EventLink.Ingestion.Internal;

/// <summary>The identities a merged record states, normalised, with what made the others unusable.</summary>
internal static class RecordIdentities
{
    public static List<IdentityKey> Read(EventLinkSchema schema, ParsedRecord record, out List<string> problems)
    {
        var keys = new List<IdentityKey>(record.Type.Identities.Count);
        var found = new List<string>();
        problems = found;
        foreach (var field in record.Type.Identities)
        {
            if (!field.Field.TrySelect(record.Root, out var element))
            {
                problems.Add($"'{field.Field}' is missing");
                continue;
            }

            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    AddKey(field, item);
                }
            }
            else
            {
                AddKey(field, element);
            }
        }

        return keys;

        void AddKey(IdentityField field, JsonElement element)
        {
            var raw = element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Number => element.GetRawText(),
                _ => null,
            };
            if (raw is null)
            {
                found.Add($"'{field.Field}' is a {element.ValueKind.ToString().ToLowerInvariant()}, not a value");
            }
            else if (!schema.TryNormalize(field.Kind.Name, raw, out var key))
            {
                found.Add($"'{field.Field}' value '{RecordIdentities.Shorten(raw)}' is not a usable {field.Kind.Name} ({schema.DescribeUnusable(field.Kind, raw)})");
            }
            else if (!keys.Contains(key))
            {
                keys.Add(key);
            }
        }
    }

    public static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}

using System.Text.Json;

namespace EventLink.Quality.Internal;

/// <summary>Reads the JSON-Schema subset <see cref="ContractOptions.FromJsonSchema"/> documents.</summary>
internal static class JsonSchemaImport
{
    public static void Import(string jsonSchema, ContractOptions contract)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(jsonSchema);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The JSON Schema is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The JSON Schema must be an object.");
            }

            ReadObject(document.RootElement, prefix: null, contract);
        }
    }

    private static void ReadObject(JsonElement schema, string? prefix, ContractOptions contract)
    {
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (schema.TryGetProperty("required", out var names) && names.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in names.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String)
                {
                    required.Add(name.GetString()!);
                }
            }
        }

        if (!schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in properties.EnumerateObject())
        {
            var path = prefix is null ? property.Name : $"{prefix}.{property.Name}";
            var definition = property.Value;
            if (definition.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var rule = contract.Property(path, required: required.Contains(property.Name));
            ReadType(definition, rule, path);
            if (definition.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array)
            {
                foreach (var value in values.EnumerateArray())
                {
                    if (value.ValueKind != JsonValueKind.Null)
                    {
                        rule.Enum.Add(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
                    }
                }
            }

            if (definition.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String)
            {
                rule.Format = format.GetString() switch
                {
                    "email" or "idn-email" => StringFormat.Email,
                    "date-time" or "date" => StringFormat.Iso8601,
                    var other => throw new FormatException($"'{path}': format '{other}' is not supported (email, date-time, date)."),
                };
            }

            if (definition.TryGetProperty("maxLength", out var maxLength) && maxLength.TryGetInt32(out var max) && max >= 0)
            {
                rule.MaxLength = max;
            }

            if (rule.Type == PropertyType.Object && definition.TryGetProperty("properties", out _))
            {
                ReadObject(definition, path, contract);
            }
        }
    }

    private static void ReadType(JsonElement definition, PropertyContractOptions rule, string path)
    {
        if (!definition.TryGetProperty("type", out var type))
        {
            return;
        }

        var names = type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList()
            : type.ValueKind == JsonValueKind.String ? [type.GetString()!] : [];
        rule.AllowNull = names.Count == 0 || names.Contains("null");
        var kinds = names.Where(n => n != "null").ToList();
        rule.Type = kinds.Count != 1 ? PropertyType.Any : kinds[0] switch
        {
            "string" => definition.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String && f.GetString() == "date-time" ? PropertyType.Timestamp : PropertyType.String,
            "number" => PropertyType.Number,
            "integer" => PropertyType.Integer,
            "boolean" => PropertyType.Boolean,
            "object" => PropertyType.Object,
            "array" => PropertyType.Array,
            var other => throw new FormatException($"'{path}': type '{other}' is not supported."),
        };
    }
}

using System.Text.Json;

namespace EventLink.Quality.Internal;

/// <summary>
/// Reads the JSON-Schema subset <see cref="ContractOptions.FromJsonSchema"/> documents. A keyword outside it is
/// refused, naming it and where it is: a contract must never pass a payload its schema would fail (a silently
/// ignored <c>minimum</c> or <c>pattern</c> would).
/// </summary>
internal static class JsonSchemaImport
{
    /// <summary>The keywords that constrain a value and that the contract enforces.</summary>
    public static readonly IReadOnlyList<string> Supported = ["type", "properties", "required", "enum", "format", "maxLength"];

    // Keywords that only annotate (no effect on validation), and definitions that only a $ref (refused) could use.
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "$schema", "$id", "$comment", "$defs", "definitions", "title", "description", "default", "examples",
        "deprecated", "readOnly", "writeOnly",
    };

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

    private static void CheckKeywords(JsonElement schema, string where)
    {
        foreach (var keyword in schema.EnumerateObject())
        {
            if (Supported.Contains(keyword.Name) || Annotations.Contains(keyword.Name))
            {
                continue;
            }

            // additionalProperties: true (and unevaluatedProperties: true) allow what they would allow anyway.
            if (keyword.Name is "additionalProperties" or "unevaluatedProperties" && keyword.Value.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            throw new FormatException(
                $"{where}: JSON-Schema keyword '{keyword.Name}' is not supported by contracts, which enforce only {string.Join(", ", Supported)}; " +
                "remove it (or express it as a contract rule) rather than have it silently ignored.");
        }
    }

    private static void ReadObject(JsonElement schema, string? prefix, ContractOptions contract)
    {
        CheckKeywords(schema, prefix is null ? "The JSON Schema" : $"'{prefix}'");
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

        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        foreach (var name in required)
        {
            // A required property the schema says nothing else about is still required.
            if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out _))
            {
                contract.Property(prefix is null ? name : $"{prefix}.{name}", required: true);
            }
        }

        if (properties.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in properties.EnumerateObject())
        {
            var path = prefix is null ? property.Name : $"{prefix}.{property.Name}";
            var definition = property.Value;
            if (definition.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            if (definition.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"'{path}': a property schema of {definition.ValueKind.ToString().ToLowerInvariant()} is not supported by contracts (an object is).");
            }

            CheckKeywords(definition, $"'{path}'");
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

            if (rule.Type is PropertyType.Object or PropertyType.Any && (definition.TryGetProperty("properties", out _) || definition.TryGetProperty("required", out _)))
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

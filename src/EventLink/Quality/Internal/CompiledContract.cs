using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EventLink.Quality.Internal;

/// <summary>A contract with its selectors parsed once, checked against payloads on the ingest path.</summary>
internal sealed partial class CompiledContract
{
    private readonly (FieldPath Path, PropertyContractOptions Rule, HashSet<string>? Enum)[] _properties;

    private CompiledContract(ContractOptions options, (FieldPath, PropertyContractOptions, HashSet<string>?)[] properties)
    {
        Options = options;
        _properties = properties;
    }

    public ContractOptions Options { get; }

    public string Name => Options.DisplayName;

    /// <exception cref="ArgumentException">A selector does not parse or a max length is negative.</exception>
    public static CompiledContract Compile(ContractOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var properties = new List<(FieldPath, PropertyContractOptions, HashSet<string>?)>();
        foreach (var (text, rule) in options.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!FieldPath.TryParse(text, out var path, out var error))
            {
                throw new ArgumentException($"Contract '{options.DisplayName}': property selector '{text}' is invalid: {error}", nameof(options));
            }

            if (rule is null || rule.MaxLength is < 0 || !Enum.IsDefined(rule.Type) || !Enum.IsDefined(rule.Format))
            {
                throw new ArgumentException($"Contract '{options.DisplayName}': the rule of '{text}' is missing or invalid.", nameof(options));
            }

            properties.Add((path, rule, rule.Enum.Count > 0 ? new HashSet<string>(rule.Enum, StringComparer.Ordinal) : null));
        }

        return new CompiledContract(options, [.. properties]);
    }

    public List<ContractViolation> Check(JsonElement payload)
    {
        var violations = new List<ContractViolation>();
        foreach (var (path, rule, allowed) in _properties)
        {
            if (!path.TrySelect(payload, out var value) || value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                var isNull = value.ValueKind == JsonValueKind.Null;
                if (rule.Required)
                {
                    violations.Add(new(path.Text, ContractRule.Required, isNull ? $"'{path.Text}' is required but null" : $"'{path.Text}' is required but missing"));
                }
                else if (isNull && !rule.AllowNull)
                {
                    violations.Add(new(path.Text, ContractRule.Type, $"'{path.Text}' must not be null"));
                }

                continue;
            }

            if (!HasType(value, rule.Type))
            {
                violations.Add(new(path.Text, ContractRule.Type, $"'{path.Text}' must be {Article(rule.Type)} but is {Describe(value)}"));
                continue;
            }

            if (allowed is not null && !allowed.Contains(Text(value)))
            {
                violations.Add(new(path.Text, ContractRule.Enum, $"'{path.Text}' value '{Shorten(Text(value))}' is not one of: {string.Join(", ", rule.Enum)}"));
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                var text = value.GetString()!;
                if (rule.Format != StringFormat.None && !HasFormat(text, rule.Format))
                {
                    violations.Add(new(path.Text, ContractRule.Format, $"'{path.Text}' value '{Shorten(text)}' is not {(rule.Format == StringFormat.Email ? "an e-mail address" : "an ISO-8601 date-time")}"));
                }

                if (rule.MaxLength is { } max && text.Length > max)
                {
                    violations.Add(new(path.Text, ContractRule.MaxLength, $"'{path.Text}' is {text.Length} characters long; the limit is {max}"));
                }
            }
        }

        return violations;
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"a string ('{Shorten(value.GetString()!)}')",
        JsonValueKind.Number => $"a number ({value.GetRawText()})",
        JsonValueKind.True or JsonValueKind.False => $"a boolean ({value.GetRawText()})",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "null",
    };

    private static bool HasType(JsonElement value, PropertyType type) => type switch
    {
        PropertyType.Any => true,
        PropertyType.String => value.ValueKind == JsonValueKind.String,
        PropertyType.Number => value.ValueKind == JsonValueKind.Number,
        PropertyType.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && decimal.Truncate(d) == d,
        PropertyType.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        PropertyType.Timestamp => (value.ValueKind == JsonValueKind.String && IsIso8601(value.GetString()!)) || value.ValueKind == JsonValueKind.Number,
        PropertyType.Object => value.ValueKind == JsonValueKind.Object,
        PropertyType.Array => value.ValueKind == JsonValueKind.Array,
        _ => false,
    };

    private static bool HasFormat(string text, StringFormat format) => format switch
    {
        StringFormat.Email => EmailPattern().IsMatch(text),
        StringFormat.Iso8601 => IsIso8601(text),
        _ => true,
    };

    private static bool IsIso8601(string text) =>
        DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static string Article(PropertyType type) => type switch
    {
        PropertyType.Integer => "an integer",
        PropertyType.Object => "an object",
        PropertyType.Array => "an array",
        PropertyType.Timestamp => "a timestamp (ISO-8601 or Unix time)",
        _ => "a " + type.ToString().ToLowerInvariant(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Quality.Internal;

/// <summary>The compiled steps of one record type, applied in order to a mutable payload.</summary>
internal sealed class TransformationPipeline
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private readonly List<(string? Source, TransformationOptions Step, string[]? Path, string[]? To, HashSet<string>? Values)> _steps = [];

    public int Count => _steps.Count;

    /// <summary>Adds a step; returns an error when it is invalid.</summary>
    public string? Add(TransformationOptions step)
    {
        string[]? path = null;
        string[]? to = null;
        if (step.Path is not null && !TryParse(step.Path, out path))
        {
            return $"Transformation of '{step.RecordType}': path '{step.Path}' must be property names separated by dots.";
        }

        if (step.To is not null && !TryParse(step.To, out to))
        {
            return $"Transformation of '{step.RecordType}': target '{step.To}' must be property names separated by dots.";
        }

        switch (step.Kind)
        {
            case TransformationKind.Rename when path is null || to is null:
                return $"Transformation of '{step.RecordType}': a rename needs Path and To.";
            case TransformationKind.Drop or TransformationKind.MapValues when path is null:
                return $"Transformation of '{step.RecordType}': a {step.Kind} needs Path.";
            case TransformationKind.Set when path is null || (step.Value is null && step.Compute is null):
                return $"Transformation of '{step.RecordType}': a Set needs Path and Value (JSON) or Compute.";
            case TransformationKind.Set when step.Value is not null && !IsJson(step.Value):
                return $"Transformation of '{step.RecordType}': the Value of '{step.Path}' is not JSON text (put strings in quotes).";
            case TransformationKind.Filter when path is null && step.Function is null:
                return $"Transformation of '{step.RecordType}': a Filter needs Path or Function.";
            case TransformationKind.Function when step.Function is null:
                return $"Transformation of '{step.RecordType}': a Function step needs Function (C# only).";
            case var kind when !Enum.IsDefined(kind):
                return $"Transformation of '{step.RecordType}': unknown kind {kind}.";
        }

        _steps.Add((string.IsNullOrWhiteSpace(step.Source) ? null : step.Source.Trim(), step, path, to, step.Values.Count > 0 ? new HashSet<string>(step.Values, StringComparer.Ordinal) : null));
        return null;
    }

    public bool AppliesTo(string source)
    {
        foreach (var step in _steps)
        {
            if (step.Source is null || step.Source == source)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly JsonDocumentOptions UniqueNames = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>Runs the steps; returns <see langword="null"/> when the payload is not a JSON object (the parser rejects it), else whether the record is kept.</summary>
    public static JsonObject? Parse(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return JsonNode.Parse(payload.Span, NodeOptions, DocumentOptions) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Gets whether an object of the (well-formed) payload repeats a property name, which a <see cref="JsonObject"/> cannot hold.</summary>
    public static bool HasRepeatedPropertyName(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var _ = JsonDocument.Parse(payload, UniqueNames);
            return false;
        }
        catch (JsonException)
        {
            return true;
        }
    }

    /// <summary>Applies every step of <paramref name="source"/> to <paramref name="payload"/>; returns the step that filtered it out, or <see langword="null"/>.</summary>
    public string? Apply(string source, JsonObject payload)
    {
        foreach (var (stepSource, step, path, to, values) in _steps)
        {
            if (stepSource is not null && stepSource != source)
            {
                continue;
            }

            switch (step.Kind)
            {
                case TransformationKind.Rename:
                    if (Detach(payload, path!) is var (found, value) && found)
                    {
                        Put(payload, to!, value);
                    }

                    break;
                case TransformationKind.Drop:
                    Detach(payload, path!);
                    break;
                case TransformationKind.Set:
                    var computed = step.Compute is not null ? step.Compute(payload)?.DeepClone() : JsonNode.Parse(step.Value!);
                    if (step.Compute is not null && computed is null)
                    {
                        Detach(payload, path!);
                    }
                    else
                    {
                        Put(payload, path!, computed);
                    }

                    break;
                case TransformationKind.MapValues:
                    if (Find(payload, path!, out var parent, out var name) && parent![name] is JsonValue current
                        && step.Map.TryGetValue(TextOf(current), out var replacement))
                    {
                        parent[name] = JsonValue.Create(replacement);
                    }

                    break;
                case TransformationKind.Filter:
                    if (step.Function is { } keep)
                    {
                        if (!keep(payload))
                        {
                            return "a Keep predicate filtered it out";
                        }
                    }
                    else if (Find(payload, path!, out var owner, out var field) && owner![field] is { } node
                        && (values is null || (node is JsonValue v && values.Contains(TextOf(v)))))
                    {
                        return values is null ? $"'{step.Path}' is present" : $"'{step.Path}' is '{TextOf((JsonValue)node)}'";
                    }

                    break;
                case TransformationKind.Function:
                    if (!step.Function!(payload))
                    {
                        return "a function filtered it out";
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>Reads a scalar at a dotted selector of a mutable payload (for the record id of a filtered record).</summary>
    public static string? ReadScalar(JsonObject payload, FieldPath path)
    {
        JsonNode? node = payload;
        for (var i = 0; i < path.SegmentCount; i++)
        {
            var (name, index) = path.GetSegment(i);
            node = name is not null ? (node as JsonObject)?[name] : node is JsonArray array && index < array.Count ? array[index] : null;
        }

        return node is JsonValue value && value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number ? TextOf(value) : null;
    }

    private static string TextOf(JsonValue value) =>
        value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

    private static bool Find(JsonObject root, string[] path, out JsonObject? parent, out string name)
    {
        parent = root;
        name = path[^1];
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (parent![path[i]] is not JsonObject next)
            {
                parent = null;
                return false;
            }

            parent = next;
        }

        return parent!.ContainsKey(name);
    }

    private static (bool Found, JsonNode? Value) Detach(JsonObject root, string[] path)
    {
        if (!Find(root, path, out var parent, out var name))
        {
            return (false, null);
        }

        parent!.Remove(name, out var value);
        return (true, value);
    }

    private static void Put(JsonObject root, string[] path, JsonNode? value)
    {
        var parent = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (parent[path[i]] is not JsonObject next)
            {
                next = [];
                parent[path[i]] = next;
            }

            parent = next;
        }

        parent[path[^1]] = value;
    }

    private static bool TryParse(string text, out string[] path)
    {
        path = text.Split('.');
        return path.All(p => p.Length > 0 && p.IndexOfAny(['[', ']', ' ']) < 0);
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

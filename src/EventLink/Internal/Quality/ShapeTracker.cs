using System.Text.Json;
using EventLink.Storage;

namespace EventLink.Internal.Quality;

/// <summary>
/// Collects, over one batch, the shapes (field path → JSON type) of the stored records and their hourly arrivals,
/// so the store is written once per batch per key: cheap on the hot path.
/// </summary>
internal sealed class ShapeTracker(SchemaDriftOptions options)
{
    /// <summary>The path of the record itself: its entry counts the records of a source and type.</summary>
    public const string RecordPath = "$";

    private readonly Dictionary<(string Source, string RecordType, string Path, string JsonType), (DateTimeOffset First, DateTimeOffset Last, long Count)> _fields = [];
    private readonly Dictionary<(string Source, string RecordType, DateTimeOffset Hour), long> _hours = [];
    private readonly HashSet<(string Path, string JsonType)> _seen = [];
    private readonly Stack<string> _prefixes = new();

    public bool IsEmpty => _hours.Count == 0;

    public void Arrived(string source, string recordType, DateTimeOffset hour)
    {
        var key = (source, recordType, hour);
        _hours[key] = _hours.GetValueOrDefault(key) + 1;
    }

    /// <summary>Walks a stored payload (valid JSON: it parsed) down to the configured depth.</summary>
    public void Observe(string source, string recordType, ReadOnlySpan<byte> payload, DateTimeOffset occurredAt)
    {
        if (!options.Enabled)
        {
            return;
        }

        _seen.Clear();
        _prefixes.Clear();
        _seen.Add((RecordPath, "object"));
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            _prefixes.Push(string.Empty);
            string? property = null;
            while (reader.Read() && _seen.Count <= options.MaxFieldsPerRecord)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        if (_prefixes.Count > 0)
                        {
                            _prefixes.Pop();
                        }

                        continue;
                }

                var parent = _prefixes.Peek();
                var path = parent.EndsWith("[]", StringComparison.Ordinal) ? parent : parent.Length == 0 ? property! : $"{parent}.{property}";
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        _seen.Add((path, "object"));
                        if (_prefixes.Count >= options.MaxDepth)
                        {
                            reader.Skip();
                        }
                        else
                        {
                            _prefixes.Push(path);
                        }

                        break;
                    case JsonTokenType.StartArray:
                        _seen.Add((path, "array"));
                        if (_prefixes.Count >= options.MaxDepth)
                        {
                            reader.Skip();
                        }
                        else
                        {
                            _prefixes.Push(path + "[]");
                        }

                        break;
                    default:
                        _seen.Add((path, TypeName(reader.TokenType)));
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // The payload parsed before: nothing to report about a truncated walk.
        }

        foreach (var (path, type) in _seen)
        {
            var key = (source, recordType, path, type);
            _fields[key] = _fields.TryGetValue(key, out var seen)
                ? (Min(seen.First, occurredAt), Max(seen.Last, occurredAt), seen.Count + 1)
                : (occurredAt, occurredAt, 1);
        }
    }

    public List<FieldObservationRow> Fields() =>
        [.. _fields.Select(f => new FieldObservationRow(f.Key.Source, f.Key.RecordType, f.Key.Path, f.Key.JsonType, f.Value.First, f.Value.Last, f.Value.Count))];

    public List<HourlyCountRow> Hours() =>
        [.. _hours.Select(h => new HourlyCountRow(h.Key.Source, h.Key.RecordType, h.Key.Hour, h.Value))];

    private static string TypeName(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        _ => "null",
    };

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}

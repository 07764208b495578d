using System.Text.Json;
using EventLink.Storage;

namespace EventLink.Quality.Internal;

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
    private readonly Dictionary<(string Source, string RecordType), Dictionary<byte[], Shape>> _shapes = [];
    private byte[] _signature = new byte[1024];

    // The shape the previous record of the same source and type had: the next one nearly always shares it, and a
    // payload is checked against it while read, without writing or hashing its signature.
    private readonly Dictionary<(string Source, string RecordType), Shape> _lastShapes = [];
    private string? _lastSource;
    private string? _lastRecordType;
    private Shape? _lastShape;

    // The current run of arrivals with the same key: a batch's records mostly share their source, type and hour,
    // so a run is counted here and added to _hours once (keys still enter _hours in order of first arrival).
    private (string Source, string RecordType, DateTimeOffset Hour) _run;
    private long _runCount;

    public bool IsEmpty => _hours.Count == 0 && _runCount == 0;

    public void Arrived(string source, string recordType, DateTimeOffset hour)
    {
        if (_runCount > 0
            && string.Equals(source, _run.Source, StringComparison.Ordinal)
            && string.Equals(recordType, _run.RecordType, StringComparison.Ordinal)
            && hour == _run.Hour)
        {
            _runCount++;
            return;
        }

        EndRun();
        _run = (source, recordType, hour);
        _runCount = 1;
    }

    private void EndRun()
    {
        if (_runCount > 0)
        {
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_hours, _run, out _) += _runCount;
            _runCount = 0;
        }
    }

    /// <summary>Walks a stored payload (valid JSON: it parsed) down to the configured depth.</summary>
    /// <param name="source">The record's source.</param>
    /// <param name="recordType">The record's type.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="occurredAt">When the record occurred.</param>
    /// <param name="signature">
    /// The payload's shape signature when the extractor took it while reading the payload (the same array for the
    /// same signature within a batch), or <see langword="null"/>: then the tracker reads the payload for it.
    /// </param>
    /// <remarks>
    /// Records of one type nearly always share their shape, so the walk that builds paths (strings, hashing) runs
    /// once per distinct shape per batch: the payload's token sequence (property names and token types, no values)
    /// is its signature, and records with a signature already seen only count. The paths are a function of that
    /// sequence alone, so the result is exactly the per-record walk's.
    /// </remarks>
    public void Observe(string source, string recordType, ReadOnlySpan<byte> payload, DateTimeOffset occurredAt, byte[]? signature = null)
    {
        if (!options.Enabled)
        {
            return;
        }

        var last = IsLast(source, recordType) ? _lastShape : _lastShapes.GetValueOrDefault((source, recordType));
        if (signature is not null)
        {
            // Taken during the extractor's pass: no reading here, and usually one reference comparison.
            if (last is not null && ReferenceEquals(last.Signature, signature))
            {
                last.Add(occurredAt);
                Remember(source, recordType, last);
                return;
            }

            Add(source, recordType, payload, signature, stored: signature, occurredAt);
            return;
        }

        if (last is not null && Matches(payload, last.Signature))
        {
            last.Add(occurredAt);
            Remember(source, recordType, last);
            return;
        }

        var length = Signature(payload);
        if (length < 0)
        {
            Walk(payload);
            Count([.. _seen], source, recordType, occurredAt, 1);
            return;
        }

        Add(source, recordType, payload, _signature.AsSpan(0, length), stored: null, occurredAt);
    }

    /// <summary>Counts a record under its signature's shape, walking the payload when the shape is new to the batch.</summary>
    private void Add(string source, string recordType, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature, byte[]? stored, DateTimeOffset occurredAt)
    {
        var key = (source, recordType);
        if (!_shapes.TryGetValue(key, out var shapes))
        {
            shapes = new Dictionary<byte[], Shape>(SignatureComparer.Instance);
            _shapes[key] = shapes;
        }

        var lookup = shapes.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(signature, out var shape))
        {
            shape.Add(occurredAt);
            Remember(source, recordType, shape);
            return;
        }

        Walk(payload);
        stored ??= signature.ToArray();
        shape = new Shape([.. _seen], occurredAt, stored);
        shapes[stored] = shape;
        Remember(source, recordType, shape);
    }

    private bool IsLast(string source, string recordType) =>
        _lastShape is not null && string.Equals(source, _lastSource, StringComparison.Ordinal) && string.Equals(recordType, _lastRecordType, StringComparison.Ordinal);

    private void Remember(string source, string recordType, Shape shape)
    {
        if (!ReferenceEquals(shape, _lastShape) || !ReferenceEquals(source, _lastSource) || !ReferenceEquals(recordType, _lastRecordType))
        {
            _lastShapes[(source, recordType)] = shape;
            (_lastSource, _lastRecordType, _lastShape) = (source, recordType, shape);
        }
    }

    /// <summary>Whether a payload's token sequence is exactly <paramref name="expected"/>, as <see cref="Signature"/> would write it.</summary>
    private static bool Matches(ReadOnlySpan<byte> payload, byte[] expected)
    {
        var writer = new ShapeSignatureWriter([], expected);
        try
        {
            var reader = new Utf8JsonReader(payload);
            while (reader.Read())
            {
                if (!writer.Compare(ref reader))
                {
                    return false;
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return writer.IsExpected;
    }

    private void Count((string Path, string JsonType)[] paths, string source, string recordType, DateTimeOffset first, DateTimeOffset last, long count)
    {
        foreach (var (path, type) in paths)
        {
            var key = (source, recordType, path, type);
            _fields[key] = _fields.TryGetValue(key, out var seen)
                ? (Min(seen.First, first), Max(seen.Last, last), seen.Count + count)
                : (first, last, count);
        }
    }

    private void Count((string Path, string JsonType)[] paths, string source, string recordType, DateTimeOffset occurredAt, long count) =>
        Count(paths, source, recordType, occurredAt, occurredAt, count);

    /// <summary>Writes the payload's token sequence into <see cref="_signature"/>; its length, or -1 when it cannot.</summary>
    private int Signature(ReadOnlySpan<byte> payload)
    {
        var writer = new ShapeSignatureWriter(_signature, null);
        try
        {
            var reader = new Utf8JsonReader(payload);
            while (reader.Read())
            {
                writer.Add(ref reader);
            }
        }
        catch (JsonException)
        {
            return -1;
        }
        finally
        {
            _signature = writer.Buffer;
        }

        return writer.IsTooLong ? -1 : writer.Written.Length;
    }

    /// <summary>The longest field path tracked; a longer one (and what is under it) is left out of the shapes.</summary>
    private const int MaxPathLength = 300;

    /// <summary>Collects the distinct (path, JSON type) pairs of a payload into <see cref="_seen"/>.</summary>
    private void Walk(ReadOnlySpan<byte> payload)
    {
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
                if (path.Length > MaxPathLength)
                {
                    // A path is a key of the shapes table, whose index entries have a size limit a sender must not reach.
                    reader.Skip();
                    continue;
                }

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

    }

    public List<FieldObservationRow> Fields()
    {
        foreach (var ((source, recordType), shapes) in _shapes)
        {
            foreach (var shape in shapes.Values)
            {
                Count(shape.Paths, source, recordType, shape.First, shape.Last, shape.Count);
            }
        }

        _shapes.Clear();
        _lastShapes.Clear();
        (_lastSource, _lastRecordType, _lastShape) = (null, null, null);
        // In key order: writers of a tenant may run side by side (append-only sessions), and rows upserted in the same
        // order by every writer wait for each other instead of deadlocking.
        return [.. _fields
            .OrderBy(f => f.Key.Source, StringComparer.Ordinal).ThenBy(f => f.Key.RecordType, StringComparer.Ordinal)
            .ThenBy(f => f.Key.Path, StringComparer.Ordinal).ThenBy(f => f.Key.JsonType, StringComparer.Ordinal)
            .Select(f => new FieldObservationRow(f.Key.Source, f.Key.RecordType, f.Key.Path, f.Key.JsonType, f.Value.First, f.Value.Last, f.Value.Count))];
    }

    public List<HourlyCountRow> Hours()
    {
        EndRun();
        return [.. _hours
            .OrderBy(h => h.Key.Source, StringComparer.Ordinal).ThenBy(h => h.Key.RecordType, StringComparer.Ordinal).ThenBy(h => h.Key.Hour)
            .Select(h => new HourlyCountRow(h.Key.Source, h.Key.RecordType, h.Key.Hour, h.Value))];
    }

    private static string TypeName(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        _ => "null",
    };

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    /// <summary>The paths of one payload shape and how many records of the batch had it, when.</summary>
    private sealed class Shape((string Path, string JsonType)[] paths, DateTimeOffset occurredAt, byte[] signature)
    {
        public (string Path, string JsonType)[] Paths { get; } = paths;

        public byte[] Signature { get; } = signature;

        public DateTimeOffset First { get; private set; } = occurredAt;

        public DateTimeOffset Last { get; private set; } = occurredAt;

        public long Count { get; private set; } = 1;

        public void Add(DateTimeOffset occurredAt)
        {
            First = Min(First, occurredAt);
            Last = Max(Last, occurredAt);
            Count++;
        }
    }
}

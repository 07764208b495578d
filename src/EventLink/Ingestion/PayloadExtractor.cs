using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using EventLink.Ingestion.Internal;
using EventLink.Quality.Internal;

namespace EventLink;

/// <summary>A value a selector found in a payload: its kind and, for scalars, its text (a string's value, a number's or boolean's raw text).</summary>
/// <remarks>
/// The text of an unescaped string or of a number is not decoded while the payload is read: the value keeps where it
/// is in the payload, and <see cref="GetText"/> decodes it when (and if) it is asked for. A string that is escaped,
/// or whose UTF-8 is invalid, is decoded (or fails) while read, exactly as <see cref="JsonElement.GetString"/> would.
/// </remarks>
internal struct SelectedValue
{
    /// <summary>The JSON kind; <see cref="JsonValueKind.Undefined"/> when the selector found nothing.</summary>
    public JsonValueKind Kind;

    /// <summary>The text of a string, number, <c>true</c> or <c>false</c>, when decoded while read.</summary>
    public string? Text;

    /// <summary>Where the undecoded text is in the payload (when <see cref="Text"/> and <see cref="Error"/> are <see langword="null"/>).</summary>
    public int Start;

    /// <summary>The length in bytes of the undecoded text.</summary>
    public int Length;

    /// <summary>Whether a number reads as a finite double (<see cref="Number"/>).</summary>
    public bool IsDouble;

    /// <summary>The value of a number.</summary>
    public double Number;

    /// <summary>Why a string could not be decoded (invalid UTF-8); thrown when the value is read, as <see cref="JsonElement.GetString"/> would.</summary>
    public ExceptionDispatchInfo? Error;

    /// <summary>Gets whether the value is a string, number or boolean, the kinds <see cref="RecordParser.TryReadScalar"/> reads.</summary>
    public readonly bool IsScalar => Kind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    /// <summary>Gets the value as <see cref="RecordParser.TryReadScalar"/> reads it: strings, numbers and booleans only.</summary>
    /// <param name="payload">The payload the value was read from.</param>
    public readonly string? Scalar(ReadOnlySpan<byte> payload) => IsScalar ? GetText(payload) : null;

    /// <summary>Gets the text, throwing what decoding the string threw.</summary>
    /// <param name="payload">The payload the value was read from.</param>
    public readonly string? GetText(ReadOnlySpan<byte> payload)
    {
        Error?.Throw();
        return Text ?? (IsScalar ? Encoding.UTF8.GetString(payload.Slice(Start, Length)) : null);
    }

    /// <summary>Gets the text's UTF-8 bytes when they are the undecoded value in the payload (an unescaped string or a number).</summary>
    /// <param name="payload">The payload the value was read from.</param>
    /// <param name="utf8">The bytes.</param>
    /// <returns>Whether the value is held undecoded.</returns>
    public readonly bool TryGetUtf8(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> utf8)
    {
        if (Text is null && Error is null && Kind is JsonValueKind.String or JsonValueKind.Number)
        {
            utf8 = payload.Slice(Start, Length);
            return true;
        }

        utf8 = default;
        return false;
    }
}

/// <summary>
/// Reads every selector of an append-only record type in one forward pass of <see cref="Utf8JsonReader"/>,
/// skipping the subtrees no selector enters, instead of building a <see cref="JsonDocument"/>.
/// </summary>
/// <remarks>
/// It answers exactly as <see cref="FieldPath.TrySelect"/> over a <see cref="JsonDocument"/> would: the whole
/// payload is still validated (same depth limit, same exceptions), a repeated property name resolves to its
/// last occurrence (captures under a property are cleared when it appears again), and JSON <c>null</c> reads
/// as absent.
/// </remarks>
internal sealed class PayloadExtractor
{
    /// <summary>The selector positions: record id, occurred-at, event name, then one per relation.</summary>
    public const int RecordIdTarget = 0;
    public const int OccurredAtTarget = 1;
    public const int EventNameTarget = 2;
    public const int FirstRelationTarget = 3;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    private const int MaxEventNames = 16;

    private readonly Node _root;
    private volatile (byte[] Utf8, string Text)[] _eventNames = [];

    private PayloadExtractor(Node root, int targetCount)
    {
        _root = root;
        TargetCount = targetCount;
    }

    /// <summary>Gets the event name of a payload: the text of its event-name selector, or <see langword="null"/>.</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="value">What the event-name selector found.</param>
    /// <remarks>
    /// A record type has few event names: the last ones read are kept with their UTF-8 bytes, so a payload naming one
    /// of them gets the same string, not a new one (copy on write; readers on other threads see a whole array).
    /// </remarks>
    public string? EventName(ReadOnlySpan<byte> payload, ref SelectedValue value)
    {
        if (!value.TryGetUtf8(payload, out var utf8))
        {
            return value.Scalar(payload);
        }

        var names = _eventNames;
        foreach (var (bytes, text) in names)
        {
            if (utf8.SequenceEqual(bytes))
            {
                return text;
            }
        }

        var decoded = Encoding.UTF8.GetString(utf8);
        if (names.Length < MaxEventNames)
        {
            _eventNames = [.. names, (utf8.ToArray(), decoded)];
        }

        return decoded;
    }

    /// <summary>Gets the number of selectors (the length of the span <see cref="Extract(ReadOnlySpan{byte}, Span{SelectedValue}, out JsonValueKind)"/> fills).</summary>
    public int TargetCount { get; }

    /// <summary>Creates the extractor of a record type's selectors, plus <paramref name="extra"/> paths after its relations (what computed traits read).</summary>
    /// <param name="type">The record type.</param>
    /// <param name="extra">More paths, or <see langword="null"/>.</param>
    /// <returns>The extractor.</returns>
    public static PayloadExtractor Create(RecordType type, IReadOnlyList<FieldPath>? extra = null)
    {
        var root = new Node(null, -1);
        Add(root, type.RecordId, RecordIdTarget);
        Add(root, type.OccurredAt, OccurredAtTarget);
        if (type.EventName is not null)
        {
            Add(root, type.EventName, EventNameTarget);
        }

        for (var i = 0; i < type.Relations.Count; i++)
        {
            Add(root, type.Relations[i].Field, FirstRelationTarget + i);
        }

        var count = FirstRelationTarget + type.Relations.Count;
        foreach (var path in extra ?? [])
        {
            Add(root, path, count++);
        }

        root.Freeze();
        return new PayloadExtractor(root, count);
    }

    /// <summary>Validates the payload and reads the selectors.</summary>
    /// <param name="utf8Json">The payload.</param>
    /// <param name="values">Receives the value of each selector (<see cref="TargetCount"/> long, cleared on entry).</param>
    /// <param name="rootKind">The kind of the payload's root value.</param>
    /// <exception cref="JsonException">The payload is not valid JSON.</exception>
    public void Extract(ReadOnlySpan<byte> utf8Json, Span<SelectedValue> values, out JsonValueKind rootKind)
    {
        var shape = default(ShapeSignatureWriter);
        Extract(utf8Json, values, out rootKind, ref shape);
    }

    /// <summary>Validates the payload and reads the selectors, and records its shape signature in the same pass.</summary>
    /// <param name="utf8Json">The payload.</param>
    /// <param name="values">Receives the value of each selector (<see cref="TargetCount"/> long, cleared on entry).</param>
    /// <param name="rootKind">The kind of the payload's root value.</param>
    /// <param name="shape">Receives every token of the payload, in order (the default writer records nothing).</param>
    /// <exception cref="JsonException">The payload is not valid JSON.</exception>
    public void Extract(ReadOnlySpan<byte> utf8Json, Span<SelectedValue> values, out JsonValueKind rootKind, ref ShapeSignatureWriter shape)
    {
        values.Clear();
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        Read(ref reader, ref shape);
        rootKind = KindOf(reader.TokenType);
        if (rootKind == JsonValueKind.Object)
        {
            Walk(ref reader, _root, values, ref shape);
        }
        else
        {
            Skip(ref reader, ref shape);
        }

        // Anything after the root value is an error, as JsonDocument.Parse reports it.
        while (Read(ref reader, ref shape))
        {
        }
    }

    private static void Walk(ref Utf8JsonReader reader, Node node, Span<SelectedValue> values, ref ShapeSignatureWriter shape)
    {
        foreach (var target in node.Targets)
        {
            Capture(ref reader, ref values[target]);
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject when node.Properties.Length > 0:
                while (Read(ref reader, ref shape) && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var child = FindProperty(ref reader, node.Properties);
                    Read(ref reader, ref shape);
                    if (child is null)
                    {
                        Skip(ref reader, ref shape);
                        continue;
                    }

                    // A repeated property replaces what an earlier occurrence selected (JsonDocument reads the last one).
                    foreach (var target in child.Subtree)
                    {
                        values[target] = default;
                    }

                    Walk(ref reader, child, values, ref shape);
                }

                break;
            case JsonTokenType.StartArray when node.Elements.Length > 0:
                var position = 0;
                while (Read(ref reader, ref shape) && reader.TokenType != JsonTokenType.EndArray)
                {
                    var child = FindElement(node.Elements, position++);
                    if (child is null)
                    {
                        Skip(ref reader, ref shape);
                    }
                    else
                    {
                        Walk(ref reader, child, values, ref shape);
                    }
                }

                break;
            default:
                Skip(ref reader, ref shape);
                break;
        }
    }

    /// <summary>Reads the next token, checks it against <see cref="JsonValueRules"/>, and records it in the shape signature.</summary>
    /// <exception cref="UnsupportedJsonValueException">The token holds a value no store keeps.</exception>
    private static bool Read(ref Utf8JsonReader reader, ref ShapeSignatureWriter shape)
    {
        if (!reader.Read())
        {
            return false;
        }

        if (JsonValueRules.Check(ref reader) is { } problem)
        {
            throw new UnsupportedJsonValueException(problem);
        }

        shape.Add(ref reader);
        return true;
    }

    /// <summary>Skips the current value (a whole object or array), checking its tokens and recording them in the shape signature.</summary>
    private static void Skip(ref Utf8JsonReader reader, ref ShapeSignatureWriter shape)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }

        var depth = reader.CurrentDepth;
        while (Read(ref reader, ref shape))
        {
            if (reader.CurrentDepth <= depth)
            {
                return;
            }
        }
    }

    private static void Capture(ref Utf8JsonReader reader, ref SelectedValue value)
    {
        value.Kind = KindOf(reader.TokenType);
        switch (value.Kind)
        {
            case JsonValueKind.String:
                if (!reader.ValueIsEscaped && Utf8.IsValid(reader.ValueSpan))
                {
                    // Decoded only when read (the token starts at its opening quote).
                    value.Start = checked((int)reader.TokenStartIndex + 1);
                    value.Length = reader.ValueSpan.Length;
                    break;
                }

                try
                {
                    value.Text = reader.GetString();
                }
                catch (InvalidOperationException ex)
                {
                    // JsonDocument would fail only when (and if) the value is read, after validating the whole payload.
                    value.Error = ExceptionDispatchInfo.Capture(ex);
                }

                break;
            case JsonValueKind.Number:
                value.Start = checked((int)reader.TokenStartIndex);
                value.Length = reader.ValueSpan.Length;
                value.IsDouble = reader.TryGetDouble(out value.Number);
                break;
            case JsonValueKind.True:
                value.Text = "true";
                break;
            case JsonValueKind.False:
                value.Text = "false";
                break;
            case JsonValueKind.Null:
                // FieldPath.TrySelect reads null as absent.
                value.Kind = JsonValueKind.Undefined;
                break;
        }
    }

    private static Node? FindProperty(ref Utf8JsonReader reader, Node[] properties)
    {
        if (!reader.ValueIsEscaped)
        {
            // The raw bytes are the name: compared directly (length first), without the reader's per-call checks.
            var name = reader.ValueSpan;
            foreach (var property in properties)
            {
                if (name.SequenceEqual(property.Utf8Name))
                {
                    return property;
                }
            }

            return null;
        }

        foreach (var property in properties)
        {
            if (reader.ValueTextEquals(property.Utf8Name))
            {
                return property;
            }
        }

        return null;
    }

    private static Node? FindElement(Node[] elements, int position)
    {
        foreach (var element in elements)
        {
            if (element.Position == position)
            {
                return element;
            }
        }

        return null;
    }

    private static JsonValueKind KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => JsonValueKind.Object,
        JsonTokenType.StartArray => JsonValueKind.Array,
        JsonTokenType.String => JsonValueKind.String,
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        JsonTokenType.Null => JsonValueKind.Null,
        _ => JsonValueKind.Undefined,
    };

    private static void Add(Node root, FieldPath path, int target)
    {
        var node = root;
        node.SubtreeList.Add(target);
        for (var i = 0; i < path.SegmentCount; i++)
        {
            var (name, index) = path.GetSegment(i);
            node = node.Child(name, index);
            node.SubtreeList.Add(target);
        }

        node.TargetList.Add(target);
    }

    private sealed class Node(string? name, int position)
    {
        private readonly List<Node> _children = [];

        public byte[] Utf8Name { get; } = name is null ? [] : Encoding.UTF8.GetBytes(name);

        public string? Name { get; } = name;

        public int Position { get; } = position;

        public List<int> TargetList { get; } = [];

        public List<int> SubtreeList { get; } = [];

        public int[] Targets { get; private set; } = [];

        public int[] Subtree { get; private set; } = [];

        public Node[] Properties { get; private set; } = [];

        public Node[] Elements { get; private set; } = [];

        public Node Child(string? childName, int childPosition)
        {
            foreach (var child in _children)
            {
                if (string.Equals(child.Name, childName, StringComparison.Ordinal) && child.Position == (childName is null ? childPosition : -1))
                {
                    return child;
                }
            }

            var created = new Node(childName, childName is null ? childPosition : -1);
            _children.Add(created);
            return created;
        }

        public void Freeze()
        {
            Targets = [.. TargetList];
            Subtree = [.. SubtreeList];
            Properties = [.. _children.Where(c => c.Name is not null)];
            Elements = [.. _children.Where(c => c.Name is null)];
            foreach (var child in _children)
            {
                child.Freeze();
            }
        }
    }
}

/// <summary>A payload is well-formed JSON but holds a value no store keeps (see <see cref="JsonValueRules"/>).</summary>
/// <param name="message">What the value is and where.</param>
internal sealed class UnsupportedJsonValueException(string message) : JsonException(message);

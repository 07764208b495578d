using System.Text.Json;

namespace EventLink;

/// <summary>
/// A JSON path-like selector such as <c>data.object.customer_email</c>, <c>$.properties.email</c> or
/// <c>lines[0].price.id</c>: property names separated by dots, with optional array indices in brackets.
/// </summary>
public sealed class FieldPath : IEquatable<FieldPath>
{
    private readonly Segment[] _segments;

    private FieldPath(string text, Segment[] segments)
    {
        Text = text;
        _segments = segments;
    }

    /// <summary>Gets the selector text as it was written.</summary>
    public string Text { get; }

    /// <summary>Parses a selector.</summary>
    /// <param name="text">The selector text.</param>
    /// <returns>The parsed selector.</returns>
    /// <exception cref="FormatException">The text is not a valid selector.</exception>
    public static FieldPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var path, out var error))
        {
            throw new FormatException(error);
        }

        return path;
    }

    /// <summary>Tries to parse a selector.</summary>
    /// <param name="text">The selector text.</param>
    /// <param name="path">The parsed selector when successful.</param>
    /// <param name="error">Why the text is invalid when unsuccessful.</param>
    /// <returns><see langword="true"/> when the text is a valid selector.</returns>
    public static bool TryParse(string? text, out FieldPath path, out string error)
    {
        path = null!;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "A field selector must not be empty.";
            return false;
        }

        var body = text.Trim();
        if (body.StartsWith("$.", StringComparison.Ordinal))
        {
            body = body[2..];
        }
        else if (body == "$")
        {
            error = $"The field selector '{text}' selects the whole payload; name a field.";
            return false;
        }

        var segments = new List<Segment>();
        foreach (var part in body.Split('.'))
        {
            var rest = part;
            var bracket = rest.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? rest : rest[..bracket];
            if (name.Length == 0 && bracket != 0)
            {
                error = $"The field selector '{text}' has an empty property name.";
                return false;
            }

            if (name.Length > 0)
            {
                segments.Add(new Segment(name, -1));
            }

            while (bracket >= 0)
            {
                var close = rest.IndexOf(']', bracket);
                if (close < 0 || !int.TryParse(rest.AsSpan(bracket + 1, close - bracket - 1), out var index) || index < 0)
                {
                    error = $"The field selector '{text}' has an invalid array index.";
                    return false;
                }

                segments.Add(new Segment(null, index));
                rest = rest[(close + 1)..];
                bracket = rest.Length == 0 ? -1 : rest[0] == '[' ? 0 : -2;
                if (bracket == -2)
                {
                    error = $"The field selector '{text}' has text after an array index.";
                    return false;
                }
            }
        }

        path = new FieldPath(text, segments.ToArray());
        return true;
    }

    /// <summary>Selects the value in a payload.</summary>
    /// <param name="root">The payload's root element.</param>
    /// <param name="value">The selected element, when present and not JSON <c>null</c>.</param>
    /// <returns><see langword="true"/> when a non-null value was found.</returns>
    public bool TrySelect(JsonElement root, out JsonElement value)
    {
        var current = root;
        foreach (var segment in _segments)
        {
            if (segment.Name is not null)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment.Name, out current))
                {
                    value = default;
                    return false;
                }
            }
            else
            {
                if (current.ValueKind != JsonValueKind.Array || segment.Index >= current.GetArrayLength())
                {
                    value = default;
                    return false;
                }

                current = current[segment.Index];
            }
        }

        value = current;
        return current.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);
    }

    /// <summary>Gets the number of segments (a property name or an array index each).</summary>
    internal int SegmentCount => _segments.Length;

    /// <summary>Gets a segment: a property name, or <see langword="null"/> and an array index.</summary>
    internal (string? Name, int Index) GetSegment(int position) => (_segments[position].Name, _segments[position].Index);

    /// <inheritdoc />
    public bool Equals(FieldPath? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FieldPath);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <inheritdoc />
    public override string ToString() => Text;

    private readonly record struct Segment(string? Name, int Index);
}

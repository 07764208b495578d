using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Presets;

/// <summary>One tool's preset: identity kinds, record types, and how its deliveries route to them.</summary>
internal abstract class PresetDefinition
{
    public abstract string Name { get; }

    public abstract string DisplayName { get; }

    public abstract IReadOnlyDictionary<string, IdentityNormalization> IdentityKinds { get; }

    public abstract IReadOnlyList<PresetRecordType> Types { get; }

    /// <summary>Declares the preset's identity kinds that the schema does not declare yet (a kind the application already declared keeps its settings).</summary>
    public virtual void DeclareIdentityKinds(SchemaBuilder schema)
    {
        foreach (var (kind, normalization) in IdentityKinds)
        {
            if (!schema.Options.IdentityKinds.ContainsKey(kind))
            {
                schema.IdentityKind(kind, normalization);
            }
        }
    }

    /// <summary>The calls a <see cref="PresetDelivery.Call"/> hint can name for this tool; none by default.</summary>
    public virtual IReadOnlyList<string> DeliveryCalls => [];

    /// <summary>Sends each record of a delivery to <paramref name="reader"/>, or says why there is none.</summary>
    public abstract void Route(JsonElement root, PresetReader reader);

    /// <summary>
    /// Reads a delivery that is not JSON (such as Mailchimp's form-encoded webhooks) into a JSON document to route;
    /// <see langword="null"/> when the tool delivers nothing but JSON or the text is none of its shapes.
    /// </summary>
    public virtual JsonDocument? ReadNonJson(ReadOnlySpan<byte> utf8) => null;

    /// <summary>Reads a string or a number as text.</summary>
    protected static string? Text(JsonElement element, params ReadOnlySpan<string> path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Number => current.GetRawText(),
            _ => null,
        };
    }

    /// <summary>Gets a child element, when the element is an object that has it.</summary>
    protected static bool TryGet(JsonElement element, string name, out JsonElement child)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out child))
        {
            return true;
        }

        child = default;
        return false;
    }

    /// <summary>Routes each item of an array (a page of an API response, a JSON array of deliveries).</summary>
    protected void RouteEach(JsonElement array, PresetReader reader)
    {
        foreach (var item in array.EnumerateArray())
        {
            Route(item, reader);
        }
    }

    /// <summary>Adds a value to a synthesised record unless it is missing.</summary>
    protected static void Set(JsonObject target, string name, string? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }

    /// <summary>Reads a time written as ISO-8601 or unix seconds/milliseconds into unix milliseconds, for synthesised ids.</summary>
    protected static long? UnixMilliseconds(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number < 100_000_000_000 ? number * 1000 : number;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUnixTimeMilliseconds()
            : null;
    }

    /// <summary>
    /// Reads a vendor's time (ISO-8601 with or without an offset, <c>+hhmm</c> offsets, a space for the <c>T</c>, unix
    /// seconds or milliseconds as text) and writes it as ISO-8601 UTC; a time without an offset is UTC, as the tools that
    /// write them (Mailchimp, Marketo) document. <see langword="null"/> when it is not a time.
    /// </summary>
    protected static string? IsoUtc(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return UnixMilliseconds(text) is { } ms ? Iso(ms) : null;
        }

        // "+0000" (Marketo) is not an offset .NET reads: give it its colon.
        if (text.Length > 5 && text[^5] is '+' or '-' && char.IsAsciiDigit(text[^4]) && char.IsAsciiDigit(text[^1]) && text[^3] != ':')
        {
            text = string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2));
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? Iso(time.ToUnixTimeMilliseconds())
            : null;
    }

    /// <summary>A short, stable id made of the given parts, for records a tool gives no id of its own.</summary>
    protected static string StableId(params ReadOnlySpan<string?> parts)
    {
        var joined = string.Join("\u001f", parts.ToArray().Select(p => p ?? string.Empty));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(joined)).AsSpan(0, 12));
    }

    /// <summary>Copies a JSON element into a mutable object (empty when it is not an object).</summary>
    protected static JsonObject Mutable(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? JsonNode.Parse(element.GetRawText())!.AsObject() : [];

    /// <summary>Writes unix milliseconds as ISO-8601 UTC.</summary>
    protected static string Iso(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>A record type of a preset: its name, kind and definition; <paramref name="SourceSuffix"/> keeps its record ids apart from the other types' when the tool reuses numbers.</summary>
internal sealed record PresetRecordType(
    string Name,
    Action<MergedRecordTypeBuilder, PresetOptions>? DefineMerged,
    Action<AppendOnlyRecordTypeBuilder, PresetOptions>? DefineAppendOnly,
    string? SourceSuffix = null)
{
    public static PresetRecordType Merged(string name, Action<MergedRecordTypeBuilder, PresetOptions> define, string? sourceSuffix = null) =>
        new(name, define, null, sourceSuffix);

    public static PresetRecordType AppendOnly(string name, Action<AppendOnlyRecordTypeBuilder, PresetOptions> define) =>
        new(name, null, define);
}

/// <summary>Collects what routing one delivery gave.</summary>
internal sealed class PresetReader(PresetOptions options, PresetDelivery delivery)
{
    private readonly List<IngestRecord> _records = [];
    private readonly List<string> _ignored = [];
    private readonly List<string> _unrecognized = [];

    /// <summary>What the transport said about the delivery being routed.</summary>
    public PresetDelivery Delivery => delivery;

    public void Add(string recordType, JsonElement payload) =>
        _records.Add(new IngestRecord(options.GetSource(recordType), options.GetRecordTypeName(recordType), payload));

    public void Add(string recordType, JsonObject payload) =>
        _records.Add(new IngestRecord(options.GetSource(recordType), options.GetRecordTypeName(recordType), JsonSerializer.SerializeToUtf8Bytes(payload, EventLink.Internal.EventLinkJsonContext.Default.JsonObject)));

    public void Ignore(string why) => _ignored.Add(why);

    public void Unrecognized(string why) => _unrecognized.Add(why);

    public PresetReadResult ToResult(string displayName)
    {
        var notes = _unrecognized.Concat(_ignored).Distinct(StringComparer.Ordinal).ToList();
        var message = notes.Count == 0 ? null : string.Join("; ", notes);
        if (_records.Count > 0)
        {
            return new PresetReadResult(PresetReadStatus.Read, _records, message);
        }

        return _unrecognized.Count > 0
            ? new PresetReadResult(PresetReadStatus.Unrecognized, [], message)
            : new PresetReadResult(PresetReadStatus.Ignored, [], message ?? $"nothing the {displayName} preset keeps");
    }
}

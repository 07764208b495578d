using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using EventLink.Ingestion.Internal;
using EventLink.Internal;
using EventLink.Quality.Internal;

namespace EventLink;

/// <summary>A record whose payload parsed and whose record id and occurred-at were read.</summary>
internal sealed class ParsedRecord : IDisposable
{
    public required RecordType Type { get; init; }

    public required string Source { get; init; }

    public required string RecordId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string EventName { get; init; }

    /// <summary>Gets the parsed payload of a merged record (append-only records are read in one pass instead; see <see cref="RelationValues"/>).</summary>
    public JsonDocument? Document { get; init; }

    /// <summary>
    /// Gets what an append-only record's relation selectors found, in relation order, followed by what the paths
    /// computed traits read found when the batch's extractor read them too (see <see cref="ParseScratch"/>).
    /// </summary>
    public SelectedValue[]? RelationValues { get; init; }

    public required ReadOnlyMemory<byte> Utf8Payload { get; init; }

    /// <summary>Gets the payload's shape signature, when it was taken while the payload was read (see <see cref="ShapeSignatures"/>).</summary>
    public byte[]? ShapeSignature { get; init; }

    public JsonElement Root => Document?.RootElement ?? throw new InvalidOperationException("An append-only record keeps no JsonDocument; read its selected values.");

    public string PayloadJson => field ??= Encoding.UTF8.GetString(Utf8Payload.Span);

    public string ContentHash => field ??= RecordParser.Hash(Utf8Payload.Span);

    /// <summary>Reads the raw value of a relation (string, number or boolean text), or <see langword="null"/> when it is absent.</summary>
    public string? RelationValue(int relationIndex)
    {
        if (RelationValues is { } values)
        {
            return values[relationIndex].Scalar(Utf8Payload.Span);
        }

        return RecordParser.TryReadScalar(Type.Relations[relationIndex].Field, Root, out var value) ? value : null;
    }

    /// <summary>
    /// Reads the raw value of a relation as <see cref="RelationValue"/> does, decoding it into <paramref name="scratch"/>
    /// when it is held undecoded and fits (an append-only record's unescaped string or number): no string is made.
    /// </summary>
    /// <param name="relationIndex">The relation.</param>
    /// <param name="scratch">Room for the value; the value is a string's when it does not fit.</param>
    /// <param name="value">The value.</param>
    /// <returns>Whether the relation has a value.</returns>
    public bool TryGetRelationValue(int relationIndex, Span<char> scratch, out ReadOnlySpan<char> value)
    {
        if (RelationValues is { } values
            && values[relationIndex].TryGetUtf8(Utf8Payload.Span, out var utf8)
            && utf8.Length <= scratch.Length)
        {
            // Valid UTF-8 (checked when read) has at most as many UTF-16 characters as bytes.
            value = scratch[..Encoding.UTF8.GetChars(utf8, scratch)];
            return true;
        }

        var text = RelationValue(relationIndex);
        value = text;
        return text is not null;
    }

    public void Dispose() => Document?.Dispose();
}

/// <summary>What one ingest batch reuses while it parses its records, one after another.</summary>
/// <param name="shapes">The batch's shape signatures, when schema drift is tracked.</param>
/// <param name="extractors">
/// The extractor of a record type that also reads the paths computed traits read (in the same pass), or
/// <see langword="null"/> when no trait reads its payload; <see langword="null"/> when no trait is configured.
/// </param>
internal sealed class ParseScratch(ShapeSignatures? shapes, Func<RecordType, PayloadExtractor?>? extractors = null)
{
    private SelectedValue[] _values = [];

    /// <summary>Gets the extractor for an append-only record type: the type's own, or one that also reads what traits read.</summary>
    /// <param name="type">The record type.</param>
    public PayloadExtractor ExtractorFor(RecordType type) => extractors?.Invoke(type) ?? type.Extractor;

    /// <summary>Gets the batch's shape signatures, or <see langword="null"/> when schema drift is not tracked.</summary>
    public ShapeSignatures? Shapes { get; } = shapes;

    /// <summary>Gets room for what the selectors of one record find (a parsed record keeps only its relation values).</summary>
    /// <param name="count">The number of selectors.</param>
    public SelectedValue[] Values(int count) => _values.Length >= count ? _values : _values = new SelectedValue[count];
}

/// <summary>Why a record was refused before anything was stored.</summary>
internal readonly record struct Rejection(IngestReason Reason, string Message, string? RecordId);

/// <summary>Turns an <see cref="IngestRecord"/> into a <see cref="ParsedRecord"/>, or says precisely why it can't.</summary>
internal static class RecordParser
{
    private const int MaxRecordIdLength = 512;
    private const int MaxSourceLength = 100;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Parses a record.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="record">The record.</param>
    /// <param name="maxPayloadBytes">The largest payload accepted.</param>
    /// <param name="parsed">The parsed record.</param>
    /// <param name="rejection">Why the record was refused.</param>
    /// <param name="scratch">
    /// What the batch reuses from one record to the next, or <see langword="null"/>; with its shape signatures (when
    /// schema drift is tracked), an append-only payload's signature is taken in the pass that reads it
    /// (<see cref="ParsedRecord.ShapeSignature"/>).
    /// </param>
    /// <returns>Whether the record parsed.</returns>
    public static bool TryParse(EventLinkSchema schema, IngestRecord record, int maxPayloadBytes, out ParsedRecord parsed, out Rejection rejection, ParseScratch? scratch = null)
    {
        parsed = null!;
        rejection = default;
        var source = record.Source.Trim();
        if (source.Length == 0 || source.Length > MaxSourceLength || !Names.IsWellFormed(source))
        {
            rejection = new(IngestReason.InvalidSource, source.Length == 0 ? "the record names no source" : $"the source name '{Names.Printable(Shorten(source))}' is too long (the limit is {MaxSourceLength} characters), or has a control character or a lone surrogate", null);
            return false;
        }

        if (!schema.TryGetRecordType(record.RecordType, out var type))
        {
            rejection = new(IngestReason.UnknownRecordType, $"record type '{Names.Printable(Shorten(record.RecordType))}' is not in the schema (known: {string.Join(", ", schema.RecordTypes.Keys.Order(StringComparer.Ordinal))})", null);
            return false;
        }

        if (record.Utf8Payload.Length > maxPayloadBytes)
        {
            rejection = new(IngestReason.PayloadTooLarge, $"the payload is {record.Utf8Payload.Length:N0} bytes; the limit is {maxPayloadBytes:N0}", null);
            return false;
        }

        // JSON between systems is UTF-8 (RFC 8259). The reader checks structure, not the bytes inside strings, so one
        // vectorised pass here keeps a stray byte from failing later, outside any record's rejection.
        if (!Utf8.IsValid(record.Utf8Payload.Span))
        {
            rejection = new(IngestReason.MalformedJson, $"the payload is not valid JSON: it is not well-formed UTF-8 (first bad byte at offset {FirstInvalidUtf8(record.Utf8Payload.Span):N0})", null);
            return false;
        }

        return type.Kind == RecordKind.AppendOnly && type.OccurredAtFormat != TimestampFormat.SegmentCorrected
            ? TryParseAppendOnly(type, source, record, scratch, out parsed, out rejection)
            : TryParseDocument(type, source, record, out parsed, out rejection);
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        var offset = 0;
        while (offset < utf8.Length && Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    /// <summary>Reads an append-only record in one pass over the payload: the hot path of event ingestion.</summary>
    private static bool TryParseAppendOnly(RecordType type, string source, IngestRecord record, ParseScratch? scratch, out ParsedRecord parsed, out Rejection rejection)
    {
        parsed = null!;
        rejection = default;
        var extractor = scratch?.ExtractorFor(type) ?? type.Extractor;
        var selected = scratch?.Values(extractor.TargetCount) ?? new SelectedValue[extractor.TargetCount];
        JsonValueKind rootKind;
        var shapes = scratch?.Shapes;
        var shape = shapes is null ? default : shapes.Begin(type);
        try
        {
            extractor.Extract(record.Utf8Payload.Span, selected.AsSpan(0, extractor.TargetCount), out rootKind, ref shape);
        }
        catch (UnsupportedJsonValueException ex)
        {
            rejection = Unsupported(ex.Message);
            return false;
        }
        catch (JsonException ex)
        {
            rejection = new(IngestReason.MalformedJson, $"the payload is not valid JSON: {ex.Message}", null);
            return false;
        }

        if (rootKind != JsonValueKind.Object)
        {
            rejection = new(IngestReason.PayloadNotAnObject, $"the payload is a JSON {rootKind.ToString().ToLowerInvariant()}, not an object", null);
            return false;
        }

        var payload = record.Utf8Payload.Span;
        var recordId = selected[PayloadExtractor.RecordIdTarget].Scalar(payload);
        if (recordId is null || recordId.AsSpan().Trim().Length == 0 || recordId.Length > MaxRecordIdLength)
        {
            rejection = new(IngestReason.MissingRecordId, $"the record id selector '{type.RecordId}' found no string or number of 1 to {MaxRecordIdLength} characters", null);
            return false;
        }

        recordId = recordId.Trim();
        ref var occurred = ref selected[PayloadExtractor.OccurredAtTarget];
        if (occurred.Kind == JsonValueKind.Undefined)
        {
            rejection = new(IngestReason.MissingOccurredAt, $"the occurred-at selector '{type.OccurredAt}' found nothing", recordId);
            return false;
        }

        // A unix time, the usual case, is read without the number's text (only an error message quotes it).
        if (!(occurred.Kind == JsonValueKind.Number && TimestampReader.TryReadNumber(occurred.Number, occurred.IsDouble, type.OccurredAtFormat, out var occurredAt))
            && !TimestampReader.TryRead(occurred.Kind, occurred.GetText(payload), occurred.IsDouble, occurred.Number, type.OccurredAtFormat, out occurredAt, out var error))
        {
            rejection = new(IngestReason.InvalidOccurredAt, $"the occurred-at value at '{type.OccurredAt}' is unreadable: {error}", recordId);
            return false;
        }

        var eventName = type.EventName is not null && extractor.EventName(payload, ref selected[PayloadExtractor.EventNameTarget]) is { Length: > 0 } name ? name : type.Name;
        parsed = new ParsedRecord
        {
            Type = type,
            Source = source,
            RecordId = recordId,
            OccurredAt = occurredAt,
            EventName = eventName,
            RelationValues = selected.AsSpan(PayloadExtractor.FirstRelationTarget, extractor.TargetCount - PayloadExtractor.FirstRelationTarget).ToArray(),
            Utf8Payload = record.Utf8Payload,
            ShapeSignature = shapes?.End(type, ref shape),
        };
        return true;
    }

    internal static bool TryParseDocument(RecordType type, string source, IngestRecord record, out ParsedRecord parsed, out Rejection rejection)
    {
        parsed = null!;
        rejection = default;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(record.Utf8Payload, DocumentOptions);
        }
        catch (JsonException ex)
        {
            rejection = new(IngestReason.MalformedJson, $"the payload is not valid JSON: {ex.Message}", null);
            return false;
        }

        try
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                rejection = new(IngestReason.PayloadNotAnObject, $"the payload is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object", null);
                return false;
            }

            if (JsonValueRules.Check(record.Utf8Payload.Span, DocumentOptions.MaxDepth) is { } problem)
            {
                rejection = Unsupported(problem);
                return false;
            }

            if (!TryReadScalar(type.RecordId, root, out var recordId) || recordId.Trim().Length == 0 || recordId.Length > MaxRecordIdLength)
            {
                rejection = new(IngestReason.MissingRecordId, $"the record id selector '{type.RecordId}' found no string or number of 1 to {MaxRecordIdLength} characters", null);
                return false;
            }

            recordId = recordId.Trim();
            DateTimeOffset occurredAt;
            if (type.OccurredAtFormat == TimestampFormat.SegmentCorrected)
            {
                if (!SegmentTimestamp.TryRead(type.OccurredAt, root, out occurredAt, out var segmentError))
                {
                    rejection = new(segmentError.StartsWith("no ", StringComparison.Ordinal) ? IngestReason.MissingOccurredAt : IngestReason.InvalidOccurredAt, segmentError, recordId);
                    return false;
                }
            }
            else
            {
                if (!type.OccurredAt.TrySelect(root, out var occurredAtValue))
                {
                    rejection = new(IngestReason.MissingOccurredAt, $"the occurred-at selector '{type.OccurredAt}' found nothing", recordId);
                    return false;
                }

                if (!TimestampReader.TryRead(occurredAtValue, type.OccurredAtFormat, out occurredAt, out var error))
                {
                    rejection = new(IngestReason.InvalidOccurredAt, $"the occurred-at value at '{type.OccurredAt}' is unreadable: {error}", recordId);
                    return false;
                }
            }

            var eventName = type.EventName is not null && TryReadScalar(type.EventName, root, out var name) && name.Length > 0 ? name : type.Name;
            parsed = new ParsedRecord
            {
                Type = type,
                Source = source,
                RecordId = recordId,
                OccurredAt = occurredAt,
                EventName = eventName,
                Document = document,
                Utf8Payload = record.Utf8Payload,
            };
            document = null!;
            return true;
        }
        finally
        {
            document?.Dispose();
        }
    }

    private static Rejection Unsupported(string problem) =>
        new(IngestReason.UnsupportedValue, $"the payload holds a value EventLink does not store: {problem}", null);

    /// <summary>Reads a string, or the text of a number or boolean, at a selector.</summary>
    public static bool TryReadScalar(FieldPath path, JsonElement root, out string value)
    {
        value = string.Empty;
        if (!path.TrySelect(root, out var element))
        {
            return false;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                value = element.GetString()!;
                return true;
            case JsonValueKind.Number:
            case JsonValueKind.True:
            case JsonValueKind.False:
                value = element.GetRawText();
                return true;
            default:
                return false;
        }
    }

    /// <summary>A short, stable hash of a payload (hex of the first 16 bytes of SHA-256).</summary>
    public static string Hash(ReadOnlySpan<byte> payload)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}

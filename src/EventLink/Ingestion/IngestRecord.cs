using System.Text;
using System.Text.Json;

namespace EventLink;

/// <summary>One record from a source, as it arrived: the source's name, the record type and the JSON payload.</summary>
public sealed class IngestRecord
{
    /// <summary>Initializes a new instance of the <see cref="IngestRecord"/> class from UTF-8 JSON.</summary>
    /// <param name="source">The source's name, such as <c>stripe</c>.</param>
    /// <param name="recordType">The record type, such as <c>charge</c>.</param>
    /// <param name="utf8Json">The payload as UTF-8 JSON.</param>
    public IngestRecord(string source, string recordType, ReadOnlyMemory<byte> utf8Json)
    {
        Source = source ?? string.Empty;
        RecordType = recordType ?? string.Empty;
        Utf8Payload = utf8Json;
    }

    /// <summary>Initializes a new instance of the <see cref="IngestRecord"/> class from a JSON string.</summary>
    /// <param name="source">The source's name, such as <c>stripe</c>.</param>
    /// <param name="recordType">The record type, such as <c>charge</c>.</param>
    /// <param name="json">The payload as JSON text.</param>
    public IngestRecord(string source, string recordType, string json)
        : this(source, recordType, Encoding.UTF8.GetBytes(json ?? string.Empty))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IngestRecord"/> class from a parsed JSON element.</summary>
    /// <param name="source">The source's name, such as <c>stripe</c>.</param>
    /// <param name="recordType">The record type, such as <c>charge</c>.</param>
    /// <param name="payload">The payload.</param>
    public IngestRecord(string source, string recordType, JsonElement payload)
        : this(source, recordType, payload.ValueKind == JsonValueKind.Undefined ? ReadOnlyMemory<byte>.Empty : JsonSerializer.SerializeToUtf8Bytes(payload, EventLink.Internal.EventLinkJsonContext.Default.JsonElement))
    {
    }

    /// <summary>Gets the source's name.</summary>
    public string Source { get; }

    /// <summary>Gets the record type's name.</summary>
    public string RecordType { get; }

    /// <summary>Gets the payload as UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> Utf8Payload { get; }

    /// <summary>
    /// Gets where the record was read from, such as <c>kafka:orders/3@1042</c> (topic, partition and offset); a
    /// rejection note names it, and keys itself by it when the record has no readable id, so two bad messages with the
    /// same bytes are two notes while the same message delivered again is still one.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the record came from no addressable place.</value>
    public string? Origin { get; init; }

    /// <summary>
    /// Gets why the caller could not read what it received into a record (say, a stream message that is not in the
    /// tool's shape); when set, ingest rejects the record with <see cref="IngestReason.Unreadable"/> and this message,
    /// in the same unit of work as the rest of the batch, and stores nothing of it but the note.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the record is read as usual.</value>
    public string? ReadError { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Source}/{RecordType} ({Utf8Payload.Length} bytes)";
}

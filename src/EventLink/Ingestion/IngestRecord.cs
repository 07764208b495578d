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

    /// <inheritdoc />
    public override string ToString() => $"{Source}/{RecordType} ({Utf8Payload.Length} bytes)";
}

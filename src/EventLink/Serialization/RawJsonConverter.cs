using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventLink.Serialization;

/// <summary>
/// Serialises a string property that holds JSON text (a payload, an attribute value) as that JSON value rather than as
/// a quoted string, and reads any JSON value back as its text. EventLink's public records use it so that, for example,
/// a <see cref="TimelineEvent"/> writes its payload once, as JSON.
/// </summary>
public sealed class RawJsonConverter : JsonConverter<string>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.GetRawText();
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(value);
        }
    }
}

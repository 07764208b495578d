using System.Text.Json;

namespace EventLink.AspNetCore.Internal;

/// <summary>Reads one top-level string property of a JSON object without building a document; never throws on bad JSON.</summary>
internal static class JsonFields
{
    public static string? TopLevelString(ReadOnlySpan<byte> json, string name, string? alternative = null)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(name) || (alternative is not null && reader.ValueTextEquals(alternative));
                if (!reader.Read())
                {
                    return null;
                }

                if (match && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        return null;
    }
}

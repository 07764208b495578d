namespace EventLink;

/// <summary>
/// The Segment spec (also spoken by RudderStack and Hightouch): <c>identify</c>, <c>track</c>, <c>page</c>,
/// <c>screen</c>, <c>alias</c> and <c>group</c> calls as record types.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>messageId</c> is the record id, so redelivered messages are duplicates.</item>
/// <item>Times follow the spec: <c>receivedAt − (sentAt − originalTimestamp)</c> when all three are present (the device's clock skew removed), else <c>timestamp</c>.</item>
/// <item><c>identify</c> is a merged person record: <c>userId</c>, <c>anonymousId</c>, <c>traits.email</c> and <c>traits.phone</c> identify the person; the traits are attributes.</item>
/// <item><c>track</c>, <c>page</c> and <c>screen</c> are events linked by <c>userId</c>, then <c>anonymousId</c>; they tie the two together and create an anonymous profile when nobody matches, so anonymous history lands on the person once they identify.</item>
/// <item><c>alias</c> ties <c>previousId</c> (read as an anonymous id) to <c>userId</c>.</item>
/// <item><c>group</c> is a merged account record identified by <c>groupId</c> (identity kind <c>group_id</c>), its traits as attributes, with <c>userId</c> as a member.</item>
/// </list>
/// </remarks>
public static class SegmentSchemaBuilderExtensions
{
    /// <summary>The identity kind of Segment group ids.</summary>
    public const string GroupIdKind = "group_id";

    /// <summary>Adds the Segment-spec record types, named <c>{prefix}identify</c>, <c>{prefix}track</c>, and so on: those of <see cref="EventLink.Presets.SourcePresets.Segment"/>, whose reader routes each message by its <c>type</c>.</summary>
    /// <param name="schema">The schema builder.</param>
    /// <param name="prefix">The prefix of the record type names.</param>
    /// <returns>The schema builder.</returns>
    public static SchemaBuilder AddSegment(this SchemaBuilder schema, string prefix = "segment.")
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(prefix);

        // The Segment preset defines the record types; other prefixes rename them (relations follow).
        return EventLink.Presets.SourcePresets.Segment.Apply(schema, options =>
        {
            if (prefix != "segment.")
            {
                foreach (var call in EventLink.Presets.SegmentPreset.Calls)
                {
                    options.RenameRecordType("segment." + call, prefix + call);
                }
            }
        });
    }
}

/// <summary>Turns Segment-spec messages into records of the record types <see cref="SegmentSchemaBuilderExtensions.AddSegment"/> declares.</summary>
public static class SegmentMessage
{
    /// <summary>Makes a record of a Segment message, choosing the record type from its <c>type</c> field.</summary>
    /// <param name="source">The source, such as <c>segment</c> or <c>rudderstack</c>.</param>
    /// <param name="json">The message.</param>
    /// <param name="prefix">The record type prefix given to <see cref="SegmentSchemaBuilderExtensions.AddSegment"/>.</param>
    /// <returns>The record; a message without a known <c>type</c> gets record type <c>{prefix}unknown</c>, which is rejected as unknown.</returns>
    public static IngestRecord ToRecord(string source, string json, string prefix = "segment.")
    {
        ArgumentNullException.ThrowIfNull(json);
        string type;
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            type = CallOf(document.RootElement) ?? "unknown";
        }
        catch (System.Text.Json.JsonException)
        {
            type = "unknown";
        }

        return new IngestRecord(source, prefix + type, json);
    }

    /// <summary>Gets the spec call a message makes (<c>identify</c>, <c>track</c>, …) from its <c>type</c>, or <see langword="null"/> when it names none.</summary>
    internal static string? CallOf(System.Text.Json.JsonElement message)
    {
        if (message.ValueKind != System.Text.Json.JsonValueKind.Object ||
            !message.TryGetProperty("type", out var t) || t.ValueKind != System.Text.Json.JsonValueKind.String)
        {
            return null;
        }

        var type = t.GetString()!.Trim().ToLowerInvariant();
        return type is "identify" or "track" or "page" or "screen" or "alias" or "group" ? type : null;
    }
}

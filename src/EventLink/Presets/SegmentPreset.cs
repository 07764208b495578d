using System.Text.Json;
using System.Text.Json.Nodes;
using EventLink.Presets.Internal;

namespace EventLink.Presets;

/// <summary>
/// Segment-spec messages (also spoken by RudderStack, Jitsu and Hightouch) as a webhook destination posts them, as the
/// HTTP tracking API takes them (one call per endpoint, whose name is the type; or <c>{"batch": [...]}</c>), as partner
/// integrations write them (snake_case), or as a warehouse export writes them (one per line). Each
/// message goes to the record type of its <c>type</c> (<c>identify</c>, <c>track</c>, <c>page</c>, <c>screen</c>,
/// <c>alias</c>, <c>group</c>), chosen by <see cref="SegmentMessage"/>; the record types are those of
/// <see cref="SegmentSchemaBuilderExtensions.AddSegment"/>, which this preset defines.
/// </summary>
internal sealed class SegmentPreset : PresetDefinition
{
    public const string Identify = "segment.identify";
    public const string Track = "segment.track";
    public const string Page = "segment.page";
    public const string Screen = "segment.screen";
    public const string Alias = "segment.alias";
    public const string Group = "segment.group";

    /// <summary>The calls of the spec, in the order their record types are declared.</summary>
    public static readonly IReadOnlyList<string> Calls = ["identify", "track", "page", "screen", "alias", "group"];

    public override string Name => "segment";

    public override string DisplayName => "Segment";

    /// <summary>The HTTP tracking API's endpoints: <c>/v1/{call}</c>, and <c>/v1/batch</c> (also <c>/v1/import</c>).</summary>
    public override IReadOnlyList<string> DeliveryCalls { get; } = ["track", "identify", "page", "screen", "group", "alias", "batch", "import"];

    public override IReadOnlyDictionary<string, IdentityNormalization> IdentityKinds { get; } =
        new Dictionary<string, IdentityNormalization> { [SegmentSchemaBuilderExtensions.GroupIdKind] = IdentityNormalization.Exact };

    public override IReadOnlyList<PresetRecordType> Types { get; } =
    [
        PresetRecordType.Merged(Identify, (t, _) => t
            .RecordId("messageId").OccurredAt("timestamp", TimestampFormat.SegmentCorrected)
            .Identity("userId", EventLink.IdentityKinds.UserId)
            .Identity("anonymousId", EventLink.IdentityKinds.AnonymousId)
            .Identity("traits.email", EventLink.IdentityKinds.Email)
            .Identity("traits.phone", EventLink.IdentityKinds.Phone)
            .Identity("context.traits.email", EventLink.IdentityKinds.Email)
            .AttributesFrom("traits")),
        Occurrence(Track, "event"),
        Occurrence(Page, "name"),
        Occurrence(Screen, "name"),
        PresetRecordType.Merged(Alias, (t, _) => t
            .RecordId("messageId").OccurredAt("timestamp", TimestampFormat.SegmentCorrected)
            .Identity("userId", EventLink.IdentityKinds.UserId)
            .Identity("previousId", EventLink.IdentityKinds.AnonymousId)),
        PresetRecordType.Merged(Group, (t, o) => t
            .Entity("account")
            .RecordId("messageId").OccurredAt("timestamp", TimestampFormat.SegmentCorrected)
            .Identity("groupId", SegmentSchemaBuilderExtensions.GroupIdKind)
            .AttributesFrom("traits")
            .HasMember("userId", o.GetRecordTypeName(Identify), EventLink.IdentityKinds.UserId)),
    ];

    /// <summary>Group ids rank first and an account holds one, as <see cref="SegmentSchemaBuilderExtensions.AddSegment"/> has always declared them.</summary>
    public override void DeclareIdentityKinds(SchemaBuilder schema)
    {
        if (!schema.Options.IdentityKinds.ContainsKey(SegmentSchemaBuilderExtensions.GroupIdKind))
        {
            schema.IdentityKind(SegmentSchemaBuilderExtensions.GroupIdKind, IdentityNormalization.Exact, priority: 1, maxPerProfile: 1);
        }
    }

    public override void Route(JsonElement root, PresetReader reader)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            RouteEach(root, reader);
            return;
        }

        if (TryGet(root, "batch", out var batch) && batch.ValueKind == JsonValueKind.Array)
        {
            RouteBatch(root, batch, reader);
            return;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            reader.Unrecognized("not a Segment message (an object with type and messageId, a {\"batch\": [...]} or an array of them)");
            return;
        }

        RouteMessage(JsonNode.Parse(root.GetRawText())!.AsObject(), reader, reader.Delivery.Call);
    }

    /// <summary>
    /// The tracking API sets <c>sentAt</c>, <c>context</c> and <c>integrations</c> once for the batch; each message gets
    /// them unless it has its own (context keys merge), so clock-skew correction works per message.
    /// </summary>
    private static void RouteBatch(JsonElement root, JsonElement batch, PresetReader reader)
    {
        var sentAt = Text(root, "sentAt") ?? Text(root, "sent_at");
        TryGet(root, "context", out var context);
        TryGet(root, "integrations", out var integrations);
        foreach (var item in batch.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                reader.Unrecognized("a Segment batch holds message objects");
                continue;
            }

            var message = JsonNode.Parse(item.GetRawText())!.AsObject();
            if (sentAt is not null && !message.ContainsKey("sentAt") && !message.ContainsKey("sent_at"))
            {
                message["sentAt"] = sentAt;
            }

            MergeInto(message, "context", context);
            MergeInto(message, "integrations", integrations);

            // Every call of a batch names its type; the endpoint's call ("batch") says nothing about one.
            if (!message.ContainsKey("type") && !message.ContainsKey("action"))
            {
                reader.Ignore("a call in a Segment batch without a type: each must name its type (identify, track, page, screen, group or alias)");
                continue;
            }

            RouteMessage(message, reader, call: null);
        }
    }

    private static void MergeInto(JsonObject message, string name, JsonElement shared)
    {
        if (shared.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (message[name] is not JsonObject own)
        {
            if (!message.ContainsKey(name))
            {
                message[name] = JsonNode.Parse(shared.GetRawText());
            }

            return;
        }

        foreach (var property in shared.EnumerateObject())
        {
            if (!own.ContainsKey(property.Name))
            {
                own[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }
    }

    /// <summary>
    /// One message, as a library, the HTTP API (where the endpoint gives the type and <c>messageId</c> is optional) or a
    /// partner integration (snake_case, <c>action</c> for <c>type</c>) sends it.
    /// </summary>
    private static void RouteMessage(JsonObject message, PresetReader reader, string? call)
    {
        PresetMessage.Rename(message, SnakeCaseNames);

        // The write key authenticates the call; it is not the person's data and is not stored.
        message.Remove("writeKey");
        var type = PresetMessage.Text(message, "type")?.Trim().ToLowerInvariant();
        if (type is null)
        {
            if (call is null || !Calls.Contains(call))
            {
                if (PresetMessage.Text(message, "userId") is null && PresetMessage.Text(message, "anonymousId") is null)
                {
                    reader.Unrecognized("not a Segment message (an object with type, and userId or anonymousId)");
                }
                else
                {
                    reader.Ignore("a Segment message without a type: the HTTP API takes it from the endpoint, so give the call it was posted to (PresetDelivery.Call = \"track\", \"identify\", … for POST /v1/track, /v1/identify, …)");
                }

                return;
            }

            type = call;
        }

        if (type == "delete")
        {
            reader.Ignore("a Segment user deletion (type delete) is not a record: erase the person with IEventLink's erasure (eventlink forget --user-id …)");
            return;
        }

        if (!Calls.Contains(type))
        {
            reader.Unrecognized($"Segment message type '{type}' is not one of {string.Join(", ", Calls)}");
            return;
        }

        message["type"] = type;
        foreach (var time in TimeFields)
        {
            PresetMessage.NormalizeTime(message, time);
        }

        if (PresetMessage.Text(message, "messageId") is null)
        {
            message["messageId"] = PresetMessage.Id(message, "sentAt", "receivedAt");
        }

        if (!message.ContainsKey("receivedAt") && reader.Delivery.ReceivedAt is { } receivedAt)
        {
            message["receivedAt"] = PresetMessage.Iso(receivedAt);
        }

        if (!message.ContainsKey("timestamp") && !message.ContainsKey("originalTimestamp") && !message.ContainsKey("receivedAt"))
        {
            reader.Ignore($"a Segment {type} message without timestamp, originalTimestamp or receivedAt has no time: give when it arrived (PresetDelivery.ReceivedAt), as Segment's servers stamp receivedAt");
            return;
        }

        reader.Add("segment." + type, message);
    }

    /// <summary>The spec's top-level fields as partner integrations and snake_case libraries write them.</summary>
    private static readonly Dictionary<string, string> SnakeCaseNames = new(StringComparer.Ordinal)
    {
        ["action"] = "type",
        ["user_id"] = "userId",
        ["anonymous_id"] = "anonymousId",
        ["message_id"] = "messageId",
        ["previous_id"] = "previousId",
        ["group_id"] = "groupId",
        ["original_timestamp"] = "originalTimestamp",
        ["sent_at"] = "sentAt",
        ["received_at"] = "receivedAt",
        ["write_key"] = "writeKey",
    };

    private static readonly string[] TimeFields = ["timestamp", "originalTimestamp", "sentAt", "receivedAt"];

    private static PresetRecordType Occurrence(string name, string eventName) =>
        PresetRecordType.AppendOnly(name, (t, o) => t
            .RecordId("messageId").OccurredAt("timestamp", TimestampFormat.SegmentCorrected).EventName(eventName)
            .RelatesTo("userId", o.GetRecordTypeName(Identify), EventLink.IdentityKinds.UserId)
            .RelatesTo("anonymousId", o.GetRecordTypeName(Identify), EventLink.IdentityKinds.AnonymousId)
            .RelatesTo("context.traits.email", o.GetRecordTypeName(Identify), EventLink.IdentityKinds.Email)
            .TiesIdentities()
            .WhenUnmatched(UnmatchedPolicy.CreateProfile));
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Presets;

/// <summary>
/// Segment-spec messages (also spoken by RudderStack, Jitsu and Hightouch) as a webhook destination posts them, as the
/// HTTP tracking API's <c>{"batch": [...]}</c> carries them, or as a warehouse export writes them (one per line). Each
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

        if (root.ValueKind != JsonValueKind.Object || !TryGet(root, "type", out _))
        {
            reader.Unrecognized("not a Segment message (an object with type and messageId, a {\"batch\": [...]} or an array of them)");
            return;
        }

        var call = SegmentMessage.CallOf(root);
        if (call is null)
        {
            reader.Unrecognized($"Segment message type '{Text(root, "type")}' is not one of {string.Join(", ", Calls)}");
            return;
        }

        if (Text(root, "messageId") is null)
        {
            reader.Unrecognized($"a Segment {call} message needs a messageId");
            return;
        }

        reader.Add("segment." + call, root);
    }

    /// <summary>
    /// The tracking API sets <c>sentAt</c> (and sometimes <c>context</c>) once for the batch; each message gets them
    /// unless it has its own, so clock-skew correction works per message.
    /// </summary>
    private void RouteBatch(JsonElement root, JsonElement batch, PresetReader reader)
    {
        var sentAt = Text(root, "sentAt");
        foreach (var item in batch.EnumerateArray())
        {
            if (sentAt is null || item.ValueKind != JsonValueKind.Object || TryGet(item, "sentAt", out _))
            {
                Route(item, reader);
                continue;
            }

            var message = JsonNode.Parse(item.GetRawText())!.AsObject();
            message["sentAt"] = sentAt;
            using var document = JsonDocument.Parse(message.ToJsonString());
            Route(document.RootElement.Clone(), reader);
        }
    }

    private static PresetRecordType Occurrence(string name, string eventName) =>
        PresetRecordType.AppendOnly(name, (t, o) => t
            .RecordId("messageId").OccurredAt("timestamp", TimestampFormat.SegmentCorrected).EventName(eventName)
            .RelatesTo("userId", o.GetRecordTypeName(Identify), EventLink.IdentityKinds.UserId)
            .RelatesTo("anonymousId", o.GetRecordTypeName(Identify), EventLink.IdentityKinds.AnonymousId)
            .TiesIdentities()
            .WhenUnmatched(UnmatchedPolicy.CreateProfile));
}

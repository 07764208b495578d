using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Presets;

/// <summary>
/// PostHog events as its webhook destination posts them (<c>{"event": {uuid, event, distinct_id, timestamp,
/// properties}, "person": {id, properties}}</c>), or as a batch export writes them (one row with <c>person_id</c> and
/// <c>person_properties</c>). Each event gives the person (merged, by <c>distinct_id</c>, the <c>$anon_distinct_id</c> an
/// <c>$identify</c> carries, and the person's e-mail) and the event itself (an occurrence keyed by its uuid, linked
/// through <c>distinct_id</c>, then the person's e-mail).
/// </summary>
internal sealed class PostHogPreset : PresetDefinition
{
    public const string DistinctIdKind = "posthog_distinct_id";
    public const string Person = "posthog_person";
    public const string Event = "posthog_event";

    public override string Name => "posthog";

    public override string DisplayName => "PostHog";

    /// <summary>The capture API's endpoints: <c>/capture</c> (also <c>/e</c>, <c>/i/v0/e</c>, <c>/track</c>) for one event, <c>/batch</c> for many.</summary>
    public override IReadOnlyList<string> DeliveryCalls { get; } = ["capture", "batch"];

    public override IReadOnlyDictionary<string, IdentityNormalization> IdentityKinds { get; } =
        new Dictionary<string, IdentityNormalization> { [DistinctIdKind] = IdentityNormalization.Exact };

    public override IReadOnlyList<PresetRecordType> Types { get; } =
    [
        PresetRecordType.Merged(Person, (t, _) => t
            .RecordId("person.id")
            .OccurredAt("event.timestamp", TimestampFormat.Iso8601)
            .EventName("event.event")
            .Identity("event.distinct_id", DistinctIdKind)
            .Identity("event.properties.$anon_distinct_id", DistinctIdKind)
            .Identity("person.properties.email")
            .Attribute("email", "person.properties.email")
            .Attribute("name", "person.properties.name")),
        PresetRecordType.AppendOnly(Event, (t, o) => t
            .RecordId("event.uuid")
            .OccurredAt("event.timestamp", TimestampFormat.Iso8601)
            .EventName("event.event")
            .RelatesTo("event.distinct_id", o.GetRecordTypeName(Person), DistinctIdKind)
            .RelatesTo("person.properties.email", o.GetRecordTypeName(Person))),
    ];

    public override void Route(JsonElement root, PresetReader reader)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            RouteEach(root, reader);
            return;
        }

        if (TryGet(root, "event", out var evt) && evt.ValueKind == JsonValueKind.Object)
        {
            if (Text(evt, "uuid") is null || Text(evt, "distinct_id") is null)
            {
                reader.Unrecognized("a PostHog event needs event.uuid and event.distinct_id");
                return;
            }

            if (Text(root, "person", "id") is not null)
            {
                reader.Add(Person, root);
            }

            reader.Add(Event, root);
            return;
        }

        if (Text(root, "uuid") is not null && Text(root, "event") is not null && Text(root, "distinct_id") is not null)
        {
            Route(JsonElement.Parse(FromExportRow(root).ToJsonString()), reader);
            return;
        }

        reader.Unrecognized("not a PostHog event (a webhook payload with event and person, or an exported event row)");
    }

    /// <summary>Gives an exported row the webhook's shape, so one set of selectors reads both; every column is kept under <c>event</c>.</summary>
    private static JsonObject FromExportRow(JsonElement row)
    {
        var evt = JsonNode.Parse(row.GetRawText())!.AsObject();

        // Batch exports may write the property maps as JSON strings.
        evt["properties"] = ParseMap(row, "properties");
        var result = new JsonObject { ["event"] = evt };
        if (Text(row, "person_id") is { } personId)
        {
            result["person"] = new JsonObject { ["id"] = personId, ["properties"] = ParseMap(row, "person_properties") };
        }

        return result;
    }

    private static JsonNode? ParseMap(JsonElement row, string name)
    {
        if (!TryGet(row, name, out var value))
        {
            return new JsonObject();
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            try
            {
                return JsonNode.Parse(value.GetString()!) is JsonObject map ? map : new JsonObject();
            }
            catch (JsonException)
            {
                return JsonValue.Create(value.GetString());
            }
        }

        return JsonNode.Parse(value.GetRawText());
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using EventLink.Presets.Internal;

namespace EventLink.Presets;

/// <summary>
/// PostHog events as its webhook destination posts them (<c>{"event": {uuid, event, distinct_id, timestamp,
/// properties}, "person": {id, properties}}</c>), as a batch export writes them (one row with <c>person_id</c> and
/// <c>person_properties</c>), or as the capture API takes them (<c>/capture</c>, <c>/batch</c>), where <c>$identify</c>,
/// <c>$create_alias</c> and <c>$set</c>/<c>$set_once</c> also give a person version joining their ids. Each event gives the person (merged, by <c>distinct_id</c>, the <c>$anon_distinct_id</c> an
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
            .Identity("person.distinct_ids", DistinctIdKind)
            .Identity("person.properties.email")
            .Attribute("email", "person.properties.email")
            .Attribute("name", "person.properties.name")
            .AttributesFrom("person.properties")),
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

        if (TryGet(root, "batch", out var batch) && batch.ValueKind == JsonValueKind.Array)
        {
            // /batch: {"api_key", "batch": [...], "sent_at"}; each event is sent when the batch is.
            var sentAt = Text(root, "sent_at");
            foreach (var item in batch.EnumerateArray())
            {
                RouteFlat(item, sentAt, reader);
            }

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

        if (Text(root, "data") is { } data && Decode(data) is { } decoded)
        {
            // posthog-js's legacy form body: data=<base64 or JSON of one event or a list>.
            Route(decoded, reader);
            return;
        }

        if (root.ValueKind == JsonValueKind.Object && Text(root, "event") is not null)
        {
            RouteFlat(root, sentAt: null, reader);
            return;
        }

        reader.Unrecognized("not a PostHog event (a webhook payload with event and person, a capture or /batch body, or an exported event row)");
    }

    /// <summary>
    /// An event as the capture API takes it (<c>/i/v0/e</c>, <c>/capture</c>, an item of <c>/batch</c>) or as a batch
    /// export writes it: given the webhook's shape (<c>{"event": …, "person": …}</c>) so one set of selectors reads all.
    /// </summary>
    private void RouteFlat(JsonElement item, string? sentAt, PresetReader reader)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            reader.Unrecognized("a PostHog batch holds event objects");
            return;
        }

        var evt = JsonNode.Parse(item.GetRawText())!.AsObject();

        // The project key authenticates the call; it is not the person's data and is not stored.
        evt.Remove("api_key");
        evt.Remove("token");
        var properties = ParseMap(item, "properties") as JsonObject ?? [];
        evt["properties"] = properties;
        var name = PresetMessage.Text(evt, "event");
        var distinctId = PresetMessage.Text(evt, "distinct_id") ?? Scalar(properties, "distinct_id") ?? Scalar(properties, "$distinct_id");
        if (name is null || distinctId is null)
        {
            reader.Ignore("a PostHog event without an event name or a distinct_id, which PostHog itself drops: send both");
            return;
        }

        if (name == "$groupidentify")
        {
            reader.Ignore("PostHog $groupidentify sets a group's properties; the preset keeps persons and their events, not groups");
            return;
        }

        evt["distinct_id"] = distinctId;
        if (sentAt is not null && !evt.ContainsKey("sent_at"))
        {
            evt["sent_at"] = sentAt;
        }

        PresetMessage.NormalizeTime(evt, "timestamp");
        PresetMessage.NormalizeTime(evt, "sent_at");
        if (PresetMessage.Text(evt, "uuid") is null)
        {
            evt["uuid"] = PresetMessage.Id(evt, "sent_at", "offset");
        }

        if (!TrySetTime(evt, properties["$ignore_sent_at"] is JsonValue ignore && ignore.GetValueKind() == JsonValueKind.True, reader.Delivery.ReceivedAt))
        {
            reader.Ignore($"a PostHog '{name}' event without a timestamp has no time: give when it arrived (PresetDelivery.ReceivedAt), as PostHog's capture stamps it");
            return;
        }

        var result = new JsonObject { ["event"] = evt };
        if (Text(item, "person_id") is { } personId)
        {
            result["person"] = new JsonObject { ["id"] = personId, ["properties"] = ParseMap(item, "person_properties") };
        }
        else if (PersonOf(evt, name, distinctId, properties) is { } person)
        {
            result["person"] = person;
        }

        Route(JsonElement.Parse(result.ToJsonString()), reader);
    }

    /// <summary>
    /// The person an identity-graph or property call describes: <c>$identify</c> (its <c>$anon_distinct_id</c> joins the
    /// anonymous id), <c>$create_alias</c> (its <c>alias</c>), and any event carrying <c>$set</c>/<c>$set_once</c>. Each
    /// call is a version of its own, keyed by the event's uuid with <c>:person</c> after it; <c>distinct_ids</c> names every id it joins.
    /// </summary>
    private static JsonObject? PersonOf(JsonObject evt, string name, string distinctId, JsonObject properties)
    {
        var set = Map(evt, properties, "$set");
        var setOnce = Map(evt, properties, "$set_once");
        var anonymous = Scalar(properties, "$anon_distinct_id");
        var alias = name == "$create_alias" ? Scalar(properties, "alias") : null;
        if (set is null && setOnce is null && anonymous is null && alias is null && name is not ("$identify" or "$set" or "$set_once"))
        {
            return null;
        }

        // $set_once values only fill what $set leaves; across calls the schema's merge rule decides.
        var merged = new JsonObject();
        foreach (var map in new[] { setOnce, set })
        {
            foreach (var (key, value) in map ?? [])
            {
                merged[key] = value?.DeepClone();
            }
        }

        var ids = new JsonArray(distinctId);
        foreach (var id in new[] { anonymous, alias })
        {
            if (id is not null && id != distinctId)
            {
                ids.Add((JsonNode?)JsonValue.Create(id));
            }
        }

        // The event keeps the uuid as its id; the person version is keyed apart from it (one source's record ids name one record).
        return new JsonObject { ["id"] = PresetMessage.Text(evt, "uuid") is { } uuid ? $"{uuid}:person" : null, ["distinct_ids"] = ids, ["properties"] = merged };
    }

    /// <summary>
    /// PostHog's rule: without a timestamp the event happened when it arrived, less its <c>offset</c> (ms); with one and
    /// a <c>sent_at</c>, the device clock's skew is removed (arrival − (sent_at − timestamp)) unless the event's
    /// <c>$ignore_sent_at</c> property says not to (imports of history).
    /// </summary>
    private static bool TrySetTime(JsonObject evt, bool ignoreSentAt, DateTimeOffset? receivedAt)
    {
        var timestamp = PresetMessage.Time(evt, "timestamp");
        var sentAt = PresetMessage.Time(evt, "sent_at");
        if (timestamp is { } stated)
        {
            if (!ignoreSentAt && receivedAt is { } arrived && sentAt is { } sent)
            {
                evt["timestamp"] = PresetMessage.Iso(arrived - (sent - stated));
            }

            return true;
        }

        if (receivedAt is not { } received)
        {
            return false;
        }

        var offset = evt["offset"] is JsonValue o && o.TryGetValue<long>(out var ms) ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;
        evt["timestamp"] = PresetMessage.Iso(received - offset);
        return true;
    }

    private static JsonObject? Map(JsonObject evt, JsonObject properties, string name) =>
        (evt[name] ?? properties[name]) is JsonObject map && map.Count > 0 ? map : null;

    private static string? Scalar(JsonObject map, string name) => map[name] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) && text.Trim().Length > 0 => text,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.ToJsonString(),
        _ => null,
    };

    private static JsonElement? Decode(string data)
    {
        var text = data.TrimStart().StartsWith('{') || data.TrimStart().StartsWith('[') ? data : null;
        if (text is null)
        {
            try
            {
                text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException)
            {
                return null;
            }
        }

        try
        {
            return JsonElement.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
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

using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Presets;

/// <summary>
/// Zendesk event webhooks (<c>zen:event-type:…</c> with the object in <c>detail</c>) and API objects (<c>{"user": …}</c>,
/// <c>{"ticket": …}</c>, and the <c>users</c>/<c>tickets</c> pages of list endpoints and incremental exports, as backfills
/// deliver them). Users are merged (by Zendesk user id, e-mail and <c>external_id</c> as <c>zendesk_external_id</c>, or
/// as <c>user_id</c> with <see cref="PresetOptions.ExternalIdIsUserId"/>), versioned by the event's <c>time</c> or the
/// object's <c>updated_at</c>; ticket events are occurrences linked through <c>detail.requester_id</c>. An API object is
/// wrapped in the webhook's envelope (<c>type</c>, <c>time</c>, <c>detail</c>) so both shapes share one record type.
/// </summary>
internal sealed class ZendeskPreset : PresetDefinition
{
    public const string UserIdKind = "zendesk_user_id";
    public const string ExternalIdKind = "zendesk_external_id";
    public const string User = "zendesk_user";
    public const string Ticket = "zendesk_ticket";

    public override string Name => "zendesk";

    public override string DisplayName => "Zendesk";

    public override IReadOnlyDictionary<string, IdentityNormalization> IdentityKinds { get; } = new Dictionary<string, IdentityNormalization>
    {
        [UserIdKind] = IdentityNormalization.Exact,
        [ExternalIdKind] = IdentityNormalization.Exact,
    };

    public override IReadOnlyList<PresetRecordType> Types { get; } =
    [
        PresetRecordType.Merged(User, (t, o) => t
            .RecordId("detail.id")
            .OccurredAt("time", TimestampFormat.Iso8601)
            .EventName("type")
            .Identity("detail.id", UserIdKind)
            .Identity("detail.email")
            .Identity("detail.external_id", o.ExternalIdKind(ExternalIdKind))
            .Attribute("email", "detail.email")
            .Attribute("name", "detail.name")
            .Attribute("phone", "detail.phone")
            .Attribute("zendesk_role", "detail.role")),
        PresetRecordType.AppendOnly(Ticket, (t, o) => t
            .RecordId("id")
            .OccurredAt("time", TimestampFormat.Iso8601)
            .EventName("type")
            .RelatesTo("detail.requester_id", o.GetRecordTypeName(User), UserIdKind)),
    ];

    public override void Route(JsonElement root, PresetReader reader)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            RouteEach(root, reader);
            return;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            reader.Unrecognized("not a Zendesk event (type zen:event-type:… with id and detail) or API object ({\"user\": …}, {\"ticket\": …}, or a users/tickets page)");
            return;
        }

        if (Text(root, "type") is { } type && type.StartsWith("zen:event-type:", StringComparison.Ordinal))
        {
            RouteEvent(root, type, reader);
            return;
        }

        var routed = false;
        foreach (var (name, single) in new[] { ("users", false), ("user", true), ("tickets", false), ("ticket", true) })
        {
            if (!TryGet(root, name, out var value))
            {
                continue;
            }

            routed = true;
            var isUser = name.StartsWith("user", StringComparison.Ordinal);
            if (single && value.ValueKind == JsonValueKind.Object)
            {
                AddApiObject(value, isUser, reader);
            }
            else if (!single && value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in value.EnumerateArray())
                {
                    AddApiObject(item, isUser, reader);
                }
            }
        }

        if (routed)
        {
            return;
        }

        foreach (var other in new[] { "organizations", "organization", "groups", "group", "ticket_events", "ticket_metric_events" })
        {
            if (TryGet(root, other, out _))
            {
                reader.Ignore($"Zendesk {other} are not kept by the preset (it keeps users and tickets)");
                return;
            }
        }

        reader.Unrecognized("not a Zendesk event (type zen:event-type:… with id and detail) or API object ({\"user\": …}, {\"ticket\": …}, or a users/tickets page)");
    }

    private static void RouteEvent(JsonElement root, string type, PresetReader reader)
    {
        if (Text(root, "id") is null || !TryGet(root, "detail", out _))
        {
            reader.Unrecognized($"Zendesk event '{type}' has no id or detail");
        }
        else if (type.StartsWith("zen:event-type:user.", StringComparison.Ordinal))
        {
            reader.Add(User, root);
        }
        else if (type.StartsWith("zen:event-type:ticket.", StringComparison.Ordinal))
        {
            reader.Add(Ticket, root);
        }
        else
        {
            reader.Ignore($"Zendesk event '{type}' is not kept by the preset (it keeps user and ticket events)");
        }
    }

    /// <summary>
    /// An API user becomes a version of the user as of its <c>updated_at</c>; an API ticket becomes its creation (at
    /// <c>created_at</c>) and, once changed, its state at <c>updated_at</c> — both keyed by ticket and time, so reading a
    /// page again or a longer export adds nothing twice.
    /// </summary>
    private static void AddApiObject(JsonElement item, bool isUser, PresetReader reader)
    {
        var id = Text(item, "id");
        var what = isUser ? "user" : "ticket";
        var created = IsoUtc(Text(item, "created_at"));
        var updated = IsoUtc(Text(item, "updated_at")) ?? created;
        if (id is null || updated is null)
        {
            reader.Ignore($"a Zendesk {what} without id, created_at or updated_at cannot be placed in time; fetch it whole (GET /api/v2/{what}s/{{id}}) and ingest that");
            return;
        }

        if (isUser)
        {
            reader.Add(User, Envelope("zendesk:api:user", $"user:{id}:{updated}", updated, item));
            return;
        }

        if (Text(item, "requester_id") is null)
        {
            reader.Ignore($"Zendesk ticket '{id}' names no requester_id, so it belongs to no one");
            return;
        }

        if (created is not null)
        {
            reader.Add(Ticket, Envelope("zendesk:api:ticket.created", $"ticket:{id}:created", created, item));
        }

        if (created is null || updated != created)
        {
            reader.Add(Ticket, Envelope($"zendesk:api:ticket.{Text(item, "status") ?? "updated"}", $"ticket:{id}:{updated}", updated, item));
        }
    }

    private static JsonObject Envelope(string type, string id, string time, JsonElement detail) => new()
    {
        ["id"] = id,
        ["type"] = type,
        ["time"] = time,
        ["detail"] = Mutable(detail),
    };
}

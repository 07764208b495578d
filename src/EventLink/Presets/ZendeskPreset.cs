using System.Text.Json;

namespace EventLink.Presets;

/// <summary>
/// Zendesk event webhooks (<c>zen:event-type:…</c> with the object in <c>detail</c>): users are merged (by Zendesk user
/// id, e-mail and <c>external_id</c> as user id), versioned by the event's <c>time</c>; ticket events are occurrences
/// keyed by the event id, linked through <c>detail.requester_id</c>.
/// </summary>
internal sealed class ZendeskPreset : PresetDefinition
{
    public const string UserIdKind = "zendesk_user_id";
    public const string User = "zendesk_user";
    public const string Ticket = "zendesk_ticket";

    public override string Name => "zendesk";

    public override string DisplayName => "Zendesk";

    public override IReadOnlyDictionary<string, IdentityNormalization> IdentityKinds { get; } =
        new Dictionary<string, IdentityNormalization> { [UserIdKind] = IdentityNormalization.Exact };

    public override IReadOnlyList<PresetRecordType> Types { get; } =
    [
        PresetRecordType.Merged(User, (t, _) => t
            .RecordId("detail.id")
            .OccurredAt("time", TimestampFormat.Iso8601)
            .EventName("type")
            .Identity("detail.id", UserIdKind)
            .Identity("detail.email")
            .Identity("detail.external_id", EventLink.IdentityKinds.UserId)
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

        var type = Text(root, "type");
        if (type is null || !type.StartsWith("zen:event-type:", StringComparison.Ordinal) || Text(root, "id") is null || !TryGet(root, "detail", out _))
        {
            reader.Unrecognized("not a Zendesk event (type zen:event-type:… with id and detail)");
            return;
        }

        if (type.StartsWith("zen:event-type:user.", StringComparison.Ordinal))
        {
            reader.Add(User, root);
        }
        else if (type.StartsWith("zen:event-type:ticket.", StringComparison.Ordinal))
        {
            reader.Add(Ticket, root);
        }
        else
        {
            reader.Ignore($"Zendesk event '{type}' is not kept by the preset");
        }
    }
}

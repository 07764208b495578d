using System.Text.Json;

namespace EventLink.Presets;

/// <summary>
/// Intercom webhook notifications (<c>notification_event</c> with the object in <c>data.item</c>): contacts are merged
/// (by Intercom id, e-mail and <c>external_id</c> as <c>intercom_external_id</c>, or as <c>user_id</c> with <see cref="PresetOptions.ExternalIdIsUserId"/>), versioned by the notification's <c>created_at</c>;
/// conversation notifications (<c>conversation.user.created</c>, <c>conversation.admin.replied</c>, …) are occurrences
/// keyed by the notification id, linked through the conversation's first contact, then the author's e-mail.
/// </summary>
internal sealed class IntercomPreset : PresetDefinition
{
    public const string ContactIdKind = "intercom_contact_id";
    public const string ExternalIdKind = "intercom_external_id";
    public const string Contact = "intercom_contact";
    public const string Conversation = "intercom_conversation";

    public override string Name => "intercom";

    public override string DisplayName => "Intercom";

    public override IReadOnlyDictionary<string, IdentityNormalization> IdentityKinds { get; } =
        new Dictionary<string, IdentityNormalization> { [ContactIdKind] = IdentityNormalization.Exact, [ExternalIdKind] = IdentityNormalization.Exact };

    public override IReadOnlyList<PresetRecordType> Types { get; } =
    [
        PresetRecordType.Merged(Contact, (t, o) => t
            .RecordId("data.item.id")
            .OccurredAt("created_at", TimestampFormat.UnixSeconds)
            .EventName("topic")
            .Identity("data.item.id", ContactIdKind)
            .Identity("data.item.email")
            .Identity("data.item.external_id", o.ExternalIdKind(ExternalIdKind))
            .Attribute("email", "data.item.email")
            .Attribute("name", "data.item.name")
            .Attribute("phone", "data.item.phone")
            .Attribute("intercom_role", "data.item.role")),
        PresetRecordType.AppendOnly(Conversation, (t, o) => t
            .RecordId("id")
            .OccurredAt("created_at", TimestampFormat.UnixSeconds)
            .EventName("topic")
            .RelatesTo("data.item.contacts.contacts[0].id", o.GetRecordTypeName(Contact), ContactIdKind)
            .RelatesTo("data.item.contacts.contacts[0].external_id", o.GetRecordTypeName(Contact), o.ExternalIdKind(ExternalIdKind))
            .RelatesTo("data.item.source.author.email", o.GetRecordTypeName(Contact))),
    ];

    public override void Route(JsonElement root, PresetReader reader)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            RouteEach(root, reader);
            return;
        }

        if (Text(root, "type") != "notification_event" || Text(root, "id") is null ||
            !TryGet(root, "data", out var data) || !TryGet(data, "item", out var item))
        {
            reader.Unrecognized("not an Intercom webhook notification (type notification_event with data.item)");
            return;
        }

        switch (Text(item, "type"))
        {
            case "contact" or "user" or "lead":
                reader.Add(Contact, root);
                break;
            case "conversation":
                reader.Add(Conversation, root);
                break;
            default:
                reader.Ignore($"Intercom topic '{Text(root, "topic")}' is not kept by the preset");
                break;
        }
    }
}

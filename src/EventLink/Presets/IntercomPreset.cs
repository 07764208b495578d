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
            .Identity("data.item.user_id", o.ExternalIdKind(ExternalIdKind))
            .Attribute("intercom_role", "data.item.role")),
        PresetRecordType.AppendOnly(Conversation, (t, o) => t
            .RecordId("id")
            .OccurredAt("created_at", TimestampFormat.UnixSeconds)
            .EventName("topic")
            .RelatesTo("data.item.user.id", o.GetRecordTypeName(Contact), ContactIdKind)
            .RelatesTo("data.item.conversation_message.author.email", o.GetRecordTypeName(Contact))
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

        if (Text(root, "type") is "user" or "contact" or "lead" or "conversation" && Text(root, "id") is not null)
        {
            // An API object (GET /users/{id}, a page of a list, an export): read as a notification of it.
            Route(AsNotification(root), reader);
            return;
        }

        if (Text(root, "type") is { } listType && listType.EndsWith(".list", StringComparison.Ordinal))
        {
            foreach (var name in (string[])["users", "contacts", "conversations", "data"])
            {
                if (TryGet(root, name, out var page) && page.ValueKind == JsonValueKind.Array)
                {
                    RouteEach(page, reader);
                    return;
                }
            }
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

    /// <summary>
    /// Gives an API object the notification's shape. A contact is versioned by its <c>updated_at</c> (else
    /// <c>created_at</c>); a conversation is the occurrence of its creation. The notification id is made of the
    /// object's id and that time, so re-reading an unchanged object is a duplicate.
    /// </summary>
    private static JsonElement AsNotification(JsonElement item)
    {
        var version = Text(item, "type") == "conversation"
            ? Text(item, "created_at")
            : Text(item, "updated_at") ?? Text(item, "created_at");
        var notification = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "notification_event",
            ["id"] = $"api_{Text(item, "id")}_{version}",
            ["topic"] = $"{Text(item, "type")}.api_object",
            ["created_at"] = version is null ? null : System.Text.Json.Nodes.JsonValue.Create(version),
            ["data"] = new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "notification_event_data",
                ["item"] = System.Text.Json.Nodes.JsonNode.Parse(item.GetRawText()),
            },
        };
        return JsonElement.Parse(notification.ToJsonString());
    }
}

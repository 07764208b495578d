using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Presets;

/// <summary>
/// Mailchimp campaign activity by subscriber e-mail: list members (merged, by <c>email_address</c>, versioned by
/// <c>last_changed</c>) and the campaign email-activity report (<c>/reports/{campaign_id}/email-activity</c>), whose
/// per-member <c>activity</c> arrays become one occurrence per open, click or bounce, linked by the member's e-mail.
/// Mailchimp gives an activity no id of its own: campaign, member, action and time identify it, so re-reading a
/// report never duplicates anything.
/// </summary>
internal sealed class MailchimpPreset : PresetDefinition
{
    public const string Member = "mailchimp_member";
    public const string Activity = "mailchimp_email_activity";

    public override string Name => "mailchimp";

    public override string DisplayName => "Mailchimp";

    public override IReadOnlyDictionary<string, IdentityNormalization> IdentityKinds { get; } = new Dictionary<string, IdentityNormalization>();

    public override IReadOnlyList<PresetRecordType> Types { get; } =
    [
        PresetRecordType.Merged(Member, (t, _) => t
            .RecordId("id")
            .OccurredAt("last_changed", TimestampFormat.Iso8601)
            .Identity("email_address")
            .Attribute("email", "email_address")
            .Attribute("first_name", "merge_fields.FNAME")
            .Attribute("last_name", "merge_fields.LNAME")
            .Attribute("mailchimp_status", "status")),
        PresetRecordType.AppendOnly(Activity, (t, o) => t
            .RecordId("id")
            .OccurredAt("timestamp", TimestampFormat.Iso8601)
            .EventName("event")
            .RelatesTo("email_address", o.GetRecordTypeName(Member))),
    ];

    public override void Route(JsonElement root, PresetReader reader)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            RouteEach(root, reader);
            return;
        }

        if (TryGet(root, "emails", out var emails) && emails.ValueKind == JsonValueKind.Array)
        {
            RouteEach(emails, reader);
            return;
        }

        if (TryGet(root, "members", out var members) && members.ValueKind == JsonValueKind.Array)
        {
            RouteEach(members, reader);
            return;
        }

        if (Text(root, "email_address") is { } email && TryGet(root, "activity", out var activity) && activity.ValueKind == JsonValueKind.Array)
        {
            var added = 0;
            foreach (var item in activity.EnumerateArray())
            {
                var action = Text(item, "action");
                var timestamp = Text(item, "timestamp");
                if (action is null || UnixMilliseconds(timestamp) is not { } ms)
                {
                    reader.Unrecognized($"a Mailchimp activity of '{email}' has no action or timestamp");
                    continue;
                }

                var record = new JsonObject
                {
                    ["id"] = $"{Text(root, "campaign_id")}:{Text(root, "email_id") ?? email}:{action}:{ms}",
                    ["event"] = $"email {action}",
                    ["campaign_id"] = Text(root, "campaign_id"),
                    ["list_id"] = Text(root, "list_id"),
                    ["email_id"] = Text(root, "email_id"),
                    ["email_address"] = email,
                    ["action"] = action,
                    ["timestamp"] = timestamp,
                };
                Set(record, "type", Text(item, "type"));
                Set(record, "url", Text(item, "url"));
                Set(record, "ip", Text(item, "ip"));
                reader.Add(Activity, record);
                added++;
            }

            if (added == 0 && activity.GetArrayLength() == 0)
            {
                reader.Ignore($"Mailchimp member '{email}' has no activity in this report");
            }

            return;
        }

        if (Text(root, "email_address") is not null && Text(root, "id") is not null && Text(root, "last_changed") is not null)
        {
            reader.Add(Member, root);
            return;
        }

        reader.Unrecognized("not a Mailchimp list member (id, email_address, last_changed) or email-activity report (email_address, activity)");
    }
}

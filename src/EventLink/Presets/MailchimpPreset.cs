using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Presets;

/// <summary>
/// Mailchimp audiences by subscriber e-mail: list members (merged, by <c>email_address</c> and subscriber hash,
/// versioned by <c>last_changed</c>, which Mailchimp writes with or without an offset — without one it is UTC), the
/// campaign email-activity report (<c>/reports/{campaign_id}/email-activity</c>), member activity
/// (<c>/lists/{list_id}/members/{subscriber_hash}/activity</c>) and the form-encoded audience webhooks
/// (<c>type=subscribe&amp;fired_at=…&amp;data[email]=…</c>: subscribe, unsubscribe, profile, upemail, cleaned; campaign
/// notices name no person and are ignored). A webhook is a new version of the member as of <c>fired_at</c> and one
/// activity on the timeline. Every member version states the marketing consent its status implies (<c>consent</c>:
/// <c>{"marketing": true}</c> when subscribed, <c>false</c> when unsubscribed or cleaned), for
/// <see cref="EventLinkPrivacyOptions.ConsentFields"/>. Mailchimp gives an activity no id of its own: campaign, member,
/// action and time identify it, so re-reading a report never duplicates anything.
/// </summary>
internal sealed partial class MailchimpPreset : PresetDefinition
{
    public const string MemberIdKind = "mailchimp_member_id";
    public const string Member = "mailchimp_member";
    public const string Activity = "mailchimp_email_activity";
    public const string ConsentField = "consent";
    public const string MarketingPurpose = "marketing";

    public override string Name => "mailchimp";

    public override string DisplayName => "Mailchimp";

    public override IReadOnlyDictionary<string, IdentityNormalization> IdentityKinds { get; } =
        new Dictionary<string, IdentityNormalization> { [MemberIdKind] = IdentityNormalization.LowerCase };

    public override IReadOnlyList<PresetRecordType> Types { get; } =
    [
        PresetRecordType.Merged(Member, (t, _) => t
            .RecordId("id")
            .OccurredAt("last_changed", TimestampFormat.Iso8601)
            .Identity("email_address")
            .Identity("previous_email_address")
            .Identity("id", MemberIdKind)
            .Attribute("email", "email_address")
            .Attribute("first_name", "merge_fields.FNAME")
            .Attribute("last_name", "merge_fields.LNAME")
            .Attribute("mailchimp_status", "status")),
        PresetRecordType.AppendOnly(Activity, (t, o) => t
            .RecordId("id")
            .OccurredAt("timestamp", TimestampFormat.Iso8601)
            .EventName("event")
            .RelatesTo("email_address", o.GetRecordTypeName(Member))
            .RelatesTo("email_id", o.GetRecordTypeName(Member), MemberIdKind)),
    ];

    public override void Route(JsonElement root, PresetReader reader)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            RouteEach(root, reader);
            return;
        }

        if (Text(root, "type") is { } webhook && Text(root, "fired_at") is not null && TryGet(root, "data", out var data))
        {
            RouteWebhook(webhook, root, data, reader);
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

        if (TryGet(root, "activity", out var activity) && activity.ValueKind == JsonValueKind.Array &&
            (Text(root, "email_address") ?? Text(root, "email_id")) is { } who)
        {
            AddActivities(root, activity, who, reader);
            return;
        }

        if (Text(root, "email_address") is not null && Text(root, "id") is not null && Text(root, "last_changed") is not null)
        {
            AddMember(root, reader);
            return;
        }

        reader.Unrecognized("not a Mailchimp list member (id, email_address, last_changed), email-activity report or member activity (activity with email_address or email_id), or audience webhook (type, fired_at, data)");
    }

    /// <summary>A member as the API gives it: its time read as UTC when it has no offset, and the consent its status implies.</summary>
    private static void AddMember(JsonElement root, PresetReader reader)
    {
        var member = Mutable(root);
        if (IsoUtc(Text(root, "last_changed")) is not { } changed)
        {
            reader.Unrecognized($"Mailchimp member '{Text(root, "email_address")}' has a last_changed that is not a time");
            return;
        }

        member["last_changed"] = changed;
        SetConsent(member, Text(root, "status"));
        reader.Add(Member, member);
    }

    /// <summary>Campaign activity of one member: from a report (email_address) or from the member's activity (email_id, the subscriber hash).</summary>
    private static void AddActivities(JsonElement root, JsonElement activity, string who, PresetReader reader)
    {
        var added = 0;
        foreach (var item in activity.EnumerateArray())
        {
            var action = Text(item, "action") ?? Text(item, "activity_type");
            var timestamp = IsoUtc(Text(item, "timestamp") ?? Text(item, "created_at_timestamp"));
            if (action is null || timestamp is null)
            {
                reader.Unrecognized($"a Mailchimp activity of '{who}' has no action or timestamp");
                continue;
            }

            var campaign = Text(item, "campaign_id") ?? Text(root, "campaign_id");
            var record = new JsonObject
            {
                ["id"] = $"{campaign}:{Text(root, "email_id") ?? who}:{action}:{UnixMilliseconds(timestamp)}",
                ["event"] = $"email {action}",
                ["campaign_id"] = campaign,
                ["list_id"] = Text(root, "list_id"),
                ["email_id"] = Text(root, "email_id"),
                ["action"] = action,
                ["timestamp"] = timestamp,
            };
            Set(record, "email_address", Text(root, "email_address"));
            Set(record, "type", Text(item, "type"));
            Set(record, "title", Text(item, "title"));
            Set(record, "url", Text(item, "url"));
            Set(record, "ip", Text(item, "ip"));
            reader.Add(Activity, record);
            added++;
        }

        if (added == 0 && activity.GetArrayLength() == 0)
        {
            reader.Ignore($"Mailchimp member '{who}' has no activity in this report");
        }
    }

    /// <summary>Marketing consent as a member's status states it; pending, transactional and archived members state none.</summary>
    private static void SetConsent(JsonObject member, string? status)
    {
        bool? marketing = status switch
        {
            "subscribed" => true,
            "unsubscribed" or "cleaned" => false,
            _ => null,
        };
        if (marketing is { } granted)
        {
            member[ConsentField] = new JsonObject { [MarketingPurpose] = granted };
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Presets;

/// <summary>
/// Marketo REST API results (<c>{"requestId", "success", "result": […]}</c> or single items): leads are merged (by
/// Marketo lead id and e-mail, versioned by <c>updatedAt</c>), activities are occurrences keyed by
/// <c>marketoGUID</c> and linked through <c>leadId</c>. Activities of the standard types get their name
/// (<c>activityTypeName</c>, such as "Open Email") when the payload has none, for the timeline.
/// </summary>
internal sealed class MarketoPreset : PresetDefinition
{
    public const string LeadIdKind = "marketo_lead_id";
    public const string Lead = "marketo_lead";
    public const string Activity = "marketo_activity";

    // The standard activity types of every Marketo instance (GET /rest/v1/activities/types.json).
    private static readonly Dictionary<int, string> StandardTypes = new()
    {
        [1] = "Visit Webpage", [2] = "Fill Out Form", [3] = "Click Link", [6] = "Send Email", [7] = "Email Delivered",
        [8] = "Email Bounced", [9] = "Unsubscribe Email", [10] = "Open Email", [11] = "Click Email", [12] = "New Lead",
        [13] = "Change Data Value", [22] = "Change Score", [24] = "Add to List", [46] = "Interesting Moment",
        [104] = "Change Status in Progression",
    };

    public override string Name => "marketo";

    public override string DisplayName => "Marketo";

    public override IReadOnlyDictionary<string, IdentityNormalization> IdentityKinds { get; } =
        new Dictionary<string, IdentityNormalization> { [LeadIdKind] = IdentityNormalization.Exact };

    public override IReadOnlyList<PresetRecordType> Types { get; } =
    [
        PresetRecordType.Merged(Lead, (t, _) => t
            .RecordId("id")
            .OccurredAt("updatedAt", TimestampFormat.Iso8601)
            .Identity("id", LeadIdKind)
            .Identity("email")
            .Attribute("email", "email")
            .Attribute("first_name", "firstName")
            .Attribute("last_name", "lastName")
            .Attribute("phone", "phone")
            .Attribute("company", "company")),
        PresetRecordType.AppendOnly(Activity, (t, o) => t
            .RecordId("marketoGUID")
            .OccurredAt("activityDate", TimestampFormat.Iso8601)
            .EventName("activityTypeName")
            .RelatesTo("leadId", o.GetRecordTypeName(Lead), LeadIdKind)),
    ];

    public override void Route(JsonElement root, PresetReader reader)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            RouteEach(root, reader);
            return;
        }

        if (TryGet(root, "result", out var result) && result.ValueKind == JsonValueKind.Array)
        {
            RouteEach(result, reader);
            return;
        }

        if (Text(root, "activityTypeId") is { } typeId && Text(root, "marketoGUID") is not null)
        {
            if (Text(root, "activityTypeName") is null)
            {
                var named = JsonNode.Parse(root.GetRawText())!.AsObject();
                named["activityTypeName"] = int.TryParse(typeId, out var id) && StandardTypes.TryGetValue(id, out var name) ? name : $"Activity {typeId}";
                reader.Add(Activity, named);
            }
            else
            {
                reader.Add(Activity, root);
            }

            return;
        }

        if (Text(root, "id") is not null && Text(root, "updatedAt") is not null && TryGet(root, "email", out _))
        {
            reader.Add(Lead, root);
            return;
        }

        reader.Unrecognized("not a Marketo lead (id, email, updatedAt) or activity (marketoGUID, activityTypeId)");
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Presets;

/// <summary>
/// Marketo REST API results (<c>{"requestId", "success", "result": […]}</c> or single items): leads are merged (by
/// Marketo lead id and e-mail, versioned by <c>updatedAt</c>), activities are occurrences keyed by
/// <c>marketoGUID</c> — or, in older responses that have none, by the activity's own numeric <c>id</c> — and linked
/// through <c>leadId</c>. Activities of the standard types get their name (<c>activityTypeName</c>, such as "Open
/// Email", "Delete Lead") when the payload has none, and their <c>activityDate</c> is written as ISO-8601 UTC (Marketo
/// writes <c>+0000</c>). A "Merge Leads" activity (type 32) also becomes one <c>marketo_lead_merge</c> record per lead
/// merged away, which ties the surviving and the merged lead ids to one profile.
/// </summary>
internal sealed class MarketoPreset : PresetDefinition
{
    public const string LeadIdKind = "marketo_lead_id";
    public const string Lead = "marketo_lead";
    public const string Activity = "marketo_activity";
    public const string LeadMerge = "marketo_lead_merge";
    public const int MergeLeadsType = 32;
    public const int DeleteLeadType = 37;

    // The standard activity types of every Marketo instance (GET /rest/v1/activities/types.json).
    private static readonly Dictionary<int, string> StandardTypes = new()
    {
        [1] = "Visit Webpage", [2] = "Fill Out Form", [3] = "Click Link", [6] = "Send Email", [7] = "Email Delivered",
        [8] = "Email Bounced", [9] = "Unsubscribe Email", [10] = "Open Email", [11] = "Click Email", [12] = "New Lead",
        [13] = "Change Data Value", [19] = "Sync Lead to SFDC", [21] = "Convert Lead", [22] = "Change Score",
        [23] = "Change Owner", [24] = "Add to List", [25] = "Remove from List", [27] = "Email Bounced Soft",
        [MergeLeadsType] = "Merge Leads", [34] = "Add to Opportunity", [DeleteLeadType] = "Delete Lead",
        [46] = "Interesting Moment", [104] = "Change Status in Progression",
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

        // A merge names the surviving lead (leadId) and the lead merged into it: both ids are the same person from now on.
        PresetRecordType.AppendOnly(LeadMerge, (t, o) => t
            .RecordId("id")
            .OccurredAt("activityDate", TimestampFormat.Iso8601)
            .EventName("event")
            .RelatesTo("leadId", o.GetRecordTypeName(Lead), LeadIdKind)
            .RelatesTo("mergedLeadId", o.GetRecordTypeName(Lead), LeadIdKind)
            .TiesIdentities()),
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
            if (result.GetArrayLength() == 0)
            {
                reader.Ignore("an empty Marketo result page");
                return;
            }

            RouteEach(result, reader);
            return;
        }

        if (Text(root, "activityTypeId") is { } typeId && Text(root, "leadId") is not null && Text(root, "activityDate") is { } date)
        {
            AddActivity(root, typeId, date, reader);
            return;
        }

        if (Text(root, "id") is not null && Text(root, "updatedAt") is not null && TryGet(root, "email", out _))
        {
            reader.Add(Lead, root);
            return;
        }

        reader.Unrecognized("not a Marketo lead (id, email, updatedAt) or activity (leadId, activityDate, activityTypeId)");
    }

    private static void AddActivity(JsonElement root, string typeId, string date, PresetReader reader)
    {
        if (IsoUtc(date) is not { } at)
        {
            reader.Unrecognized($"Marketo activity date '{date}' is not a time");
            return;
        }

        var activity = Mutable(root);
        activity["activityDate"] = at;

        // marketoGUID is the activity's id since 2017; older responses carry only the numeric id, which Marketo keeps
        // unique too. With neither, lead, type, time and primary attribute identify it.
        var guid = Text(root, "marketoGUID") ?? Text(root, "id") ??
            StableId(Text(root, "leadId"), typeId, at, Text(root, "primaryAttributeValueId"), Text(root, "primaryAttributeValue"));
        activity["marketoGUID"] = guid;
        var type = int.TryParse(typeId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : -1;
        if (Text(root, "activityTypeName") is null)
        {
            activity["activityTypeName"] = StandardTypes.TryGetValue(type, out var name) ? name : $"Activity {typeId}";
        }

        reader.Add(Activity, activity);
        if (type == MergeLeadsType)
        {
            foreach (var merged in MergedLeadIds(root))
            {
                reader.Add(LeadMerge, new JsonObject
                {
                    ["id"] = $"{guid}:{merged}",
                    ["event"] = $"lead {merged} merged into {Text(root, "leadId")}",
                    ["leadId"] = Text(root, "leadId"),
                    ["mergedLeadId"] = merged,
                    ["activityDate"] = at,
                });
            }
        }
    }

    /// <summary>The lead ids a "Merge Leads" activity names in its "Merge IDs" attribute (a list, or text such as <c>[3456, 3457]</c>).</summary>
    private static IEnumerable<string> MergedLeadIds(JsonElement activity)
    {
        if (!TryGet(activity, "attributes", out var attributes) || attributes.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var attribute in attributes.EnumerateArray())
        {
            if (!string.Equals(Text(attribute, "name"), "Merge IDs", StringComparison.OrdinalIgnoreCase) || !TryGet(attribute, "value", out var value))
            {
                continue;
            }

            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            foreach (var part in text.Split([',', '[', ']', ' ', '"'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    yield return part;
                }
            }
        }
    }
}

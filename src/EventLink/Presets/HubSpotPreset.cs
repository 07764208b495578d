using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Presets;

/// <summary>
/// HubSpot CRM v3 objects (API responses, search pages, or what a workflow webhook posts): contacts (merged, by
/// e-mail and contact id), companies (merged accounts, by domain and company id) and deal stage changes (one record per
/// stage a deal entered, from <c>propertiesWithHistory.dealstage</c> or the current stage, linked to a person through
/// the deal's first associated contact; the associated company id is kept in the record). HubSpot's own webhook events carry only the changed property, not the object:
/// they are acknowledged and ignored — fetch the object and read that.
/// </summary>
internal sealed class HubSpotPreset : PresetDefinition
{
    public const string ContactIdKind = "hubspot_contact_id";
    public const string CompanyIdKind = "hubspot_company_id";
    public const string DomainKind = "domain";
    public const string Contact = "hubspot_contact";
    public const string Company = "hubspot_company";
    public const string DealStage = "hubspot_deal_stage";

    public override string Name => "hubspot";

    public override string DisplayName => "HubSpot";

    public override IReadOnlyDictionary<string, IdentityNormalization> IdentityKinds { get; } = new Dictionary<string, IdentityNormalization>
    {
        [ContactIdKind] = IdentityNormalization.Exact,
        [CompanyIdKind] = IdentityNormalization.Exact,
        [DomainKind] = IdentityNormalization.LowerCase,
    };

    public override IReadOnlyList<PresetRecordType> Types { get; } =
    [
        PresetRecordType.Merged(Contact, (t, _) => t
            .RecordId("id")
            .OccurredAt("updatedAt", TimestampFormat.Iso8601)
            .Identity("id", ContactIdKind)
            .Identity("properties.email")
            .Attribute("email", "properties.email")
            .Attribute("first_name", "properties.firstname")
            .Attribute("last_name", "properties.lastname")
            .Attribute("phone", "properties.phone")
            .Attribute("company", "properties.company")
            .Attribute("hubspot_lifecycle_stage", "properties.lifecyclestage")),

        // Contact and company ids are separate counters in HubSpot, so companies get a source of their own
        // (hubspot_company) to keep (source, record id) unique.
        PresetRecordType.Merged(Company, (t, _) => t
            .Entity("account")
            .RecordId("id")
            .OccurredAt("updatedAt", TimestampFormat.Iso8601)
            .Identity("id", CompanyIdKind)
            .Identity("properties.domain", DomainKind)
            .Attribute("name", "properties.name")
            .Attribute("domain", "properties.domain")
            .Attribute("industry", "properties.industry"), sourceSuffix: "_company"),
        PresetRecordType.AppendOnly(DealStage, (t, o) => t
            .RecordId("id")
            .OccurredAt("changed_at", TimestampFormat.Iso8601)
            .EventName("event")
            .RelatesTo("contact_id", o.GetRecordTypeName(Contact), ContactIdKind)),
    ];

    public override void Route(JsonElement root, PresetReader reader)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            RouteEach(root, reader);
            return;
        }

        if (TryGet(root, "results", out var page) && page.ValueKind == JsonValueKind.Array)
        {
            RouteEach(page, reader);
            return;
        }

        if (Text(root, "subscriptionType") is { } subscription)
        {
            reader.Ignore($"HubSpot webhook event '{subscription}' carries no object; fetch the object (with its associations) and ingest that");
            return;
        }

        if (Text(root, "id") is null || !TryGet(root, "properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            reader.Unrecognized("not a HubSpot CRM object (an object with id and properties)");
            return;
        }

        if (Text(properties, "dealstage") is not null || TryGet(root, "propertiesWithHistory", out _))
        {
            AddStageChanges(root, properties, reader);
        }
        else if (Text(properties, "email") is not null || Text(properties, "firstname") is not null || Text(properties, "lastname") is not null)
        {
            reader.Add(Contact, root);
        }
        else if (Text(properties, "domain") is not null)
        {
            reader.Add(Company, root);
        }
        else
        {
            reader.Unrecognized("a HubSpot object that is neither a contact (email, firstname, lastname), a company (domain) nor a deal (dealstage)");
        }
    }

    private static void AddStageChanges(JsonElement deal, JsonElement properties, PresetReader reader)
    {
        var dealId = Text(deal, "id")!;
        var contact = FirstAssociation(deal, "contacts");
        var company = FirstAssociation(deal, "companies");
        var added = false;
        if (TryGet(deal, "propertiesWithHistory", out var history) && TryGet(history, "dealstage", out var stages) && stages.ValueKind == JsonValueKind.Array)
        {
            foreach (var change in stages.EnumerateArray())
            {
                added |= Add(Text(change, "value"), Text(change, "timestamp"), Text(change, "sourceType"));
            }
        }

        if (!added)
        {
            var stage = Text(properties, "dealstage");
            var entered = stage is null ? null : Text(properties, "hs_date_entered_" + stage);
            added = Add(stage, entered ?? Text(properties, "hs_lastmodifieddate") ?? Text(deal, "updatedAt"), null);
        }

        if (!added)
        {
            reader.Unrecognized($"HubSpot deal '{dealId}' has no stage with a time");
        }

        bool Add(string? stage, string? at, string? sourceType)
        {
            if (stage is null || UnixMilliseconds(at) is not { } ms)
            {
                return false;
            }

            // A stage change has no id of its own in HubSpot: deal, stage and time identify it, so a replay or the
            // same change read from the history and from the current stage is one record.
            var record = new JsonObject
            {
                ["id"] = $"{dealId}:{stage}:{ms}",
                ["event"] = $"deal stage → {stage}",
                ["deal_id"] = dealId,
                ["stage"] = stage,
                ["changed_at"] = Iso(ms),
            };
            Set(record, "deal_name", Text(properties, "dealname"));
            Set(record, "pipeline", Text(properties, "pipeline"));
            Set(record, "amount", Text(properties, "amount"));
            Set(record, "source_type", sourceType);
            Set(record, "contact_id", contact);
            Set(record, "company_id", company);
            reader.Add(DealStage, record);
            return true;
        }
    }

    private static string? FirstAssociation(JsonElement deal, string kind) =>
        TryGet(deal, "associations", out var associations) && TryGet(associations, kind, out var list) &&
        TryGet(list, "results", out var results) && results.ValueKind == JsonValueKind.Array && results.GetArrayLength() > 0
            ? Text(results[0], "id")
            : null;
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Presets;

/// <summary>
/// HubSpot CRM objects: v3 objects (API responses, search and list pages, or what a workflow webhook posts), with or
/// without <c>propertiesWithHistory</c> and <c>associations</c>, and the legacy v1 contacts and v2 companies whose
/// properties are <c>{"value": …}</c> objects (read as the v3 shape). Contacts are merged (by e-mail and contact id)
/// and members of the account of their associated company (<c>associations.companies</c>, else
/// <c>associatedcompanyid</c>); companies are merged accounts (by domain and company id); deals become one record per
/// stage the deal entered, timed by <c>propertiesWithHistory.dealstage</c> or <c>hs_date_entered_&lt;stage&gt;</c> —
/// never by a modification date, so re-reading a deal after an unrelated edit adds nothing — and linked to the deal's
/// first associated contact (the company id is kept in the record; the deal shows on the company's account timeline
/// through the contact's membership). HubSpot's own webhook events (<c>subscriptionType</c> or
/// <c>eventType</c>) carry only the changed property, not the object: they are acknowledged and ignored.
/// </summary>
internal sealed partial class HubSpotPreset : PresetDefinition
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
        PresetRecordType.Merged(Contact, (t, o) => t
            .RecordId("id")
            .OccurredAt("updatedAt", TimestampFormat.Iso8601)
            .Identity("id", ContactIdKind)
            .Identity("properties.email")
            .Attribute("email", "properties.email")
            .Attribute("first_name", "properties.firstname")
            .Attribute("last_name", "properties.lastname")
            .Attribute("phone", "properties.phone")
            .Attribute("company", "properties.company")
            .Attribute("hubspot_lifecycle_stage", "properties.lifecyclestage")
            .MemberOf("associations.companies.results[0].id", o.GetRecordTypeName(Company), CompanyIdKind)
            .MemberOf("properties.associatedcompanyid", o.GetRecordTypeName(Company), CompanyIdKind)),

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

    private static readonly string[] ContactProperties = ["email", "firstname", "lastname"];
    private static readonly string[] CompanyProperties = ["domain", "name"];
    private static readonly string[] DealProperties = ["dealstage", "dealname", "pipeline"];

    public override void Route(JsonElement root, PresetReader reader)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            RouteEach(root, reader);
            return;
        }

        foreach (var page in new[] { "results", "contacts", "companies", "deals" })
        {
            if (TryGet(root, page, out var items) && items.ValueKind == JsonValueKind.Array)
            {
                if (items.GetArrayLength() == 0)
                {
                    reader.Ignore($"an empty HubSpot {page} page");
                }

                RouteEach(items, reader);
                return;
            }
        }

        if ((Text(root, "subscriptionType") ?? Text(root, "eventType")) is { } subscription)
        {
            reader.Ignore($"HubSpot webhook event '{subscription}' carries no object; fetch the object (GET /crm/v3/objects/<type>/<objectId>?associations=companies,contacts&propertiesWithHistory=dealstage) and ingest that");
            return;
        }

        if (TryGet(root, "properties", out var properties) && properties.ValueKind == JsonValueKind.Object &&
            (Text(root, "vid") ?? Text(root, "canonical-vid") ?? Text(root, "companyId") ?? Text(root, "dealId")) is not null)
        {
            Route(Legacy(root, properties), reader);
            return;
        }

        if (Text(root, "id") is not { } id || properties.ValueKind != JsonValueKind.Object)
        {
            reader.Unrecognized("not a HubSpot CRM object (an object with id and properties), a legacy v1/v2 object (vid or companyId with properties) or a webhook event (subscriptionType or eventType)");
            return;
        }

        TryGet(root, "propertiesWithHistory", out var history);
        if (Has(properties, history, DealProperties))
        {
            AddStageChanges(root, properties, history, reader);
        }
        else if (Has(properties, history, ContactProperties))
        {
            reader.Add(Contact, root);
        }
        else if (Has(properties, history, CompanyProperties))
        {
            reader.Add(Company, root);
        }
        else
        {
            reader.Ignore($"HubSpot object '{id}' has none of the properties that tell a contact (email, firstname, lastname), a company (domain, name) or a deal (dealstage, dealname, pipeline) apart; request them in properties=");
        }
    }

    /// <summary>Whether the object names one of the properties, in its properties or its history (even with a null value).</summary>
    private static bool Has(JsonElement properties, JsonElement history, string[] names)
    {
        foreach (var name in names)
        {
            if (properties.TryGetProperty(name, out _) || TryGet(history, name, out _))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A v1 contact or v2 company (<c>properties.x.value</c>, times in unix milliseconds) as the v3 object it is.</summary>
    private static JsonElement Legacy(JsonElement root, JsonElement properties)
    {
        var flat = new JsonObject();
        foreach (var property in properties.EnumerateObject())
        {
            if (Text(property.Value, "value") is { } value)
            {
                flat[property.Name] = value;
            }
        }

        var isContact = Text(root, "vid") is not null || Text(root, "canonical-vid") is not null;
        if (isContact && Text(flat, "email") is null && PrimaryEmail(root) is { } email)
        {
            // v1 lists carry the address only in the identity profiles.
            flat["email"] = email;
        }

        var modified = Text(flat, isContact ? "lastmodifieddate" : "hs_lastmodifieddate") ?? Text(flat, "createdate");
        var v3 = new JsonObject
        {
            ["id"] = Text(root, "canonical-vid") ?? Text(root, "vid") ?? Text(root, "companyId") ?? Text(root, "dealId"),
            ["properties"] = flat,
            ["legacy"] = isContact ? "contacts/v1" : "v2",
        };
        Set(v3, "updatedAt", IsoUtc(modified));
        Set(v3, "portalId", Text(root, "portal-id") ?? Text(root, "portalId"));
        return JsonDocument.Parse(v3.ToJsonString()).RootElement.Clone();
    }

    private static string? Text(JsonObject node, string name) => node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string? PrimaryEmail(JsonElement contact)
    {
        if (!TryGet(contact, "identity-profiles", out var profiles) || profiles.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        string? first = null;
        foreach (var profile in profiles.EnumerateArray())
        {
            if (!TryGet(profile, "identities", out var identities) || identities.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var identity in identities.EnumerateArray())
            {
                if (Text(identity, "type") != "EMAIL")
                {
                    continue;
                }

                if (TryGet(identity, "is-primary", out var primary) && primary.ValueKind == JsonValueKind.True)
                {
                    return Text(identity, "value");
                }

                first ??= Text(identity, "value");
            }
        }

        return first;
    }
}

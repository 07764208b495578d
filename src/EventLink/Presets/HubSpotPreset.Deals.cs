using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Presets;

/// <summary>HubSpot deals: one record per stage a deal entered, timed by when it entered it.</summary>
internal sealed partial class HubSpotPreset
{
    private static void AddStageChanges(JsonElement deal, JsonElement properties, JsonElement history, PresetReader reader)
    {
        var dealId = Text(deal, "id")!;
        var contact = FirstAssociation(deal, "contacts");
        var company = FirstAssociation(deal, "companies") ?? Text(properties, "associatedcompanyid");
        var added = 0;
        if (TryGet(history, "dealstage", out var stages) && stages.ValueKind == JsonValueKind.Array)
        {
            foreach (var change in stages.EnumerateArray())
            {
                added += Add(Text(change, "value"), Text(change, "timestamp"), Text(change, "sourceType")) ? 1 : 0;
            }
        }

        if (added > 0)
        {
            return;
        }

        // Without the history, the current stage is timed by the date the deal entered it. A modification date is no
        // such time: any unrelated edit moves it, and each re-read would add the same stage again.
        var stage = Text(properties, "dealstage");
        if (stage is null)
        {
            reader.Ignore($"HubSpot deal '{dealId}' is in no stage (dealstage is null): there is nothing to put on a timeline until it enters one");
        }
        else if (!Add(stage, Text(properties, "hs_date_entered_" + stage), null))
        {
            reader.Ignore($"HubSpot deal '{dealId}' is in stage '{stage}' but carries no time it entered it; request propertiesWithHistory=dealstage (or the property hs_date_entered_{stage}) and ingest that");
        }

        bool Add(string? stage, string? at, string? sourceType)
        {
            if (stage is null || IsoUtc(at) is not { } entered)
            {
                return false;
            }

            // A stage change has no id of its own in HubSpot: deal, stage and time identify it, so a replay or the
            // same change read from the history and from the entry date is one record.
            var record = new JsonObject
            {
                ["id"] = $"{dealId}:{stage}:{UnixMilliseconds(entered)}",
                ["event"] = $"deal stage → {stage}",
                ["deal_id"] = dealId,
                ["stage"] = stage,
                ["changed_at"] = entered,
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

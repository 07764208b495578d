using System.Text;
using System.Text.Json;

namespace EventLink.Testing;

/// <summary>Explanations of where a record went and why, for failure messages.</summary>
public sealed partial class EventLinkTestHost
{
    /// <summary>
    /// Explains where a record went: its ingest outcome, the value each identity or relation field held, which
    /// profile holds that value now, and the merges that formed that profile.
    /// </summary>
    /// <param name="source">The source.</param>
    /// <param name="recordId">The source's record id.</param>
    /// <returns>The explanation, several indented lines.</returns>
    public async Task<string> ExplainAsync(string source, string recordId)
    {
        var text = new StringBuilder();
        if (!TryGetIngested(source, recordId, out var record, out var result))
        {
            text.AppendLine($"  {source}/{recordId} was never ingested through this host.");
            return text.ToString();
        }

        text.AppendLine($"  ingest outcome: {result.Outcome}{(result.Reason == IngestReason.None ? string.Empty : $" ({result.Reason})")}{(result.Message is null ? string.Empty : $": {result.Message}")}");
        if (!EventLink.Schema.TryGetRecordType(record.RecordType, out var type))
        {
            return text.ToString();
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(record.Utf8Payload);
        }
        catch (JsonException)
        {
            return text.ToString();
        }

        using (document)
        {
            var fields = type.Kind == RecordKind.AppendOnly
                ? type.Relations.Select(r => (Label: $"relation '{r.Field}' → {r.TargetName} by {r.IdentityKind.Name}", r.Field, Kind: r.IdentityKind.Name))
                : type.Identities.Select(i => (Label: $"identity '{i.Field}' ({i.Kind.Name})", i.Field, Kind: i.Kind.Name));
            foreach (var (label, field, kind) in fields)
            {
                text.Append($"  {label}: ");
                if (!field.TrySelect(document.RootElement, out var value))
                {
                    text.AppendLine("missing");
                    continue;
                }

                var raw = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                if (!EventLink.Schema.TryNormalize(kind, raw, out var key))
                {
                    text.AppendLine($"'{raw}' is not a usable {kind} (malformed or blocked)");
                    continue;
                }

                var holder = await EventLink.FindProfileAsync(kind, raw).ConfigureAwait(false);
                text.AppendLine(holder is null ? $"'{raw}' → {key} → no profile holds it" : $"'{raw}' → {key} → profile {Describe(holder)}");
            }
        }

        if (result.ProfileId is { } id && await EventLink.GetProfileAsync(id).ConfigureAwait(false) is { } profile)
        {
            if (profile.Id != id)
            {
                text.AppendLine($"  its profile {id} was merged into {profile.Id}");
            }

            foreach (var merge in profile.Merges)
            {
                text.AppendLine($"  merge: {merge.MergedId} into {merge.SurvivorId} through {merge.Identity} ({merge.Source}/{merge.RecordType}/{merge.RecordId})");
            }
        }

        return text.ToString();
    }
}

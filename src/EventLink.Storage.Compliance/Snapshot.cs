using System.Text;

namespace EventLink.Storage.Compliance;

/// <summary>Renders the whole observable state of a tenant as text, so two states can be compared in one assertion.</summary>
public static class Snapshot
{
    /// <summary>
    /// The state without anything that depends on arrival order (profile ids, creation and ingest times, merge history):
    /// profiles named by their smallest identity, their identities and attributes with provenance (the record that brought
    /// each and when it occurred), every event's link, every timeline, the quarantine and coverage.
    /// </summary>
    public static async Task<string> CanonicalAsync(IEventLink link)
    {
        var text = new StringBuilder();
        var names = new Dictionary<Guid, string>();
        var profiles = new List<Profile>();
        await foreach (var profile in link.GetProfilesAsync())
        {
            profiles.Add(profile);
            names[profile.Id] = profile.Identities.Count > 0 ? profile.Identities[0].Key.ToString() : "(no identity)";
        }

        foreach (var profile in profiles.OrderBy(p => names[p.Id], StringComparer.Ordinal))
        {
            text.AppendLine($"profile {names[profile.Id]} [{profile.Entity}]");
            foreach (var identity in profile.Identities)
            {
                text.AppendLine($"  identity {identity.Key} <- {identity.Source}/{identity.RecordType}/{identity.RecordId} @ {identity.FirstSeenAt:O}");
            }

            foreach (var attribute in profile.Attributes)
            {
                text.AppendLine($"  {attribute.Name} = {attribute.ValueJson} <- {attribute.Source}/{attribute.RecordType}/{attribute.RecordId} @ {attribute.ObservedAt:O}");
            }

            foreach (var record in profile.Records)
            {
                text.AppendLine($"  record {record.Source}/{record.RecordType}/{record.RecordId} @ {record.OccurredAt:O}");
            }

            await foreach (var e in link.GetTimelineAsync(profile.Id))
            {
                text.AppendLine($"  timeline {e.OccurredAt:O} {e.Source} {e.EventName} {e.RecordId}");
            }
        }

        await foreach (var q in link.GetQuarantineAsync())
        {
            text.AppendLine($"quarantine {q.RecordType} {q.Source}/{q.RecordId} {q.Reason}: {q.Message}");
        }

        foreach (var c in (await link.GetCoverageAsync()).RecordTypes)
        {
            text.AppendLine($"coverage {c}");
        }

        await foreach (var r in link.GetRejectionsAsync())
        {
            text.AppendLine($"rejection {r.Source}/{r.RecordType}/{r.Key} {r.Reason}: {r.Message}");
        }

        return text.ToString();
    }

    /// <summary>The complete state, ids, times and merge history included.</summary>
    public static async Task<string> ExactAsync(IEventLink link)
    {
        var text = new StringBuilder(await CanonicalAsync(link));
        await foreach (var profile in link.GetProfilesAsync())
        {
            text.AppendLine($"profile {profile.Id} created {profile.CreatedAt:O}");
            foreach (var identity in profile.Identities)
            {
                text.AppendLine($"  identity {identity}");
            }

            foreach (var merge in profile.Merges)
            {
                text.AppendLine($"  merge {merge}");
            }

            await foreach (var e in link.GetTimelineAsync(profile.Id))
            {
                text.AppendLine($"  event {e.Source}/{e.RecordId} ingested {e.IngestedAt:O} payload {e.PayloadJson}");
            }
        }

        return text.ToString();
    }
}

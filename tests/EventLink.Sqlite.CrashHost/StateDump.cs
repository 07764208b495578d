using System.Globalization;

namespace EventLink.Sqlite.CrashHost;

/// <summary>
/// A canonical text form of everything EventLink answers about a tenant, leaving out what legitimately differs
/// between two runs over the same input (profile ids, and the clock: created, ingested and merged times).
/// Two stores hold the same state when their dumps are equal.
/// </summary>
public static class StateDump
{
    public static async Task<List<string>> CaptureAsync(IEventLink link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        var profiles = new List<(string Key, List<string> Lines)>();
        await foreach (var profile in link.GetProfilesAsync(cancellationToken))
        {
            var lines = new List<string> { $"profile {profile.Entity}" };
            lines.AddRange(profile.Identities.Select(i => $"  identity {i.Key} from {i.Source}/{i.RecordType}/{i.RecordId} at {Time(i.FirstSeenAt)}"));
            lines.AddRange(profile.Attributes.Select(a => $"  attribute {a.Name}={a.ValueJson} from {a.Source}/{a.RecordType}/{a.RecordId} at {Time(a.ObservedAt)}"));
            lines.AddRange(profile.Records.Select(r => $"  record {r.Source}/{r.RecordType}/{r.RecordId} at {Time(r.OccurredAt)}"));
            // Not the identity a merge went through: that depends on which profile survived, and ties between
            // profiles created at the same instant are broken by their (random) ids.
            lines.AddRange(profile.Merges.Select(m => $"  merge by {m.Source}/{m.RecordType}/{m.RecordId}").Order(StringComparer.Ordinal));
            await foreach (var e in link.GetTimelineAsync(profile.Id, cancellationToken: cancellationToken))
            {
                lines.Add($"  event {Time(e.OccurredAt)} {e.Source}/{e.RecordType}/{e.RecordId} {e.EventName} {e.PayloadJson}");
            }

            var key = profile.Identities.Count > 0 ? profile.Identities[0].Key.ToString() : string.Join('|', lines);
            profiles.Add((key, lines));
        }

        var dump = new List<string>();
        foreach (var (_, lines) in profiles.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            dump.AddRange(lines);
        }

        await foreach (var q in link.GetQuarantineAsync(cancellationToken: cancellationToken))
        {
            dump.Add($"quarantine {q.RecordType} {q.Source}/{q.RecordId} at {Time(q.OccurredAt)} {q.Reason}: {q.Message}");
        }

        await foreach (var r in link.GetRejectionsAsync(cancellationToken))
        {
            dump.Add($"rejection {r.RecordType} {r.Source}/{r.Key} {r.Reason}: {r.Message}");
        }

        var coverage = await link.GetCoverageAsync(cancellationToken);
        dump.AddRange(coverage.RecordTypes.Select(c => $"coverage {c.RecordType} total={c.Total} linked={c.Linked} quarantined={c.Quarantined} rejected={c.Rejected} profiles={c.DistinctProfiles}"));
        return dump;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}

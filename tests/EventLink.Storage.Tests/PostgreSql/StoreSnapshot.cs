using System.Globalization;

namespace EventLink.Storage.Tests;

/// <summary>
/// Everything an <see cref="IEventLink"/> answers, rendered as text without store-assigned ids, so that two stores
/// (or a concurrent and a sequential run) can be compared line by line.
/// </summary>
public sealed record StoreSnapshot(
    IReadOnlyList<string> Profiles,
    IReadOnlyList<string> Quarantine,
    IReadOnlyList<string> Rejections,
    IReadOnlyList<string> Coverage,
    int LinkedEvents,
    int DistinctLinkedEvents)
{
    /// <summary>
    /// Reads a snapshot. <paramref name="orderIndependent"/> leaves out what legitimately depends on arrival order
    /// (a profile's entity, which record first brought an identity, the merge history).
    /// </summary>
    public static async Task<StoreSnapshot> ReadAsync(IEventLink link, bool orderIndependent)
    {
        var profiles = new List<string>();
        var linked = new List<string>();
        await foreach (var profile in link.GetProfilesAsync())
        {
            var lines = new List<string>();
            if (!orderIndependent)
            {
                lines.Add($"entity {profile.Entity} created {T(profile.CreatedAt)}");
            }

            lines.AddRange(profile.Identities.Select(i => orderIndependent
                ? $"identity {i.Key}"
                : $"identity {i.Key} from {i.Source}/{i.RecordType}/{i.RecordId} at {T(i.FirstSeenAt)}"));
            lines.AddRange(profile.Attributes.Select(a => $"attribute {a.Name}={a.ValueJson} from {a.Source}/{a.RecordType}/{a.RecordId} at {T(a.ObservedAt)}"));
            lines.AddRange(profile.Records.Select(r => $"record {r.Source}/{r.RecordType}/{r.RecordId} at {T(r.OccurredAt)}"));
            if (!orderIndependent)
            {
                lines.AddRange(profile.Merges.Select(m => $"merge via {m.Identity} by {m.Source}/{m.RecordType}/{m.RecordId} at {T(m.MergedAt)}"));
            }

            await foreach (var e in link.GetTimelineAsync(profile.Id))
            {
                e.ProfileId.Should().Be(profile.Id);
                linked.Add($"{e.Source}/{e.RecordId}");
                lines.Add($"event {T(e.OccurredAt)} {e.Source}/{e.RecordType}/{e.RecordId} {e.EventName} ingested {T(e.IngestedAt)} {e.PayloadJson}");
            }

            profiles.Add(string.Join("\n", lines));
        }

        profiles.Sort(StringComparer.Ordinal);

        var quarantine = new List<string>();
        await foreach (var q in link.GetQuarantineAsync())
        {
            quarantine.Add($"{q.RecordType} {q.Source}/{q.RecordId} {T(q.OccurredAt)} {T(q.IngestedAt)} {q.Reason}: {q.Message} {q.PayloadJson}");
        }

        var rejections = new List<string>();
        await foreach (var r in link.GetRejectionsAsync())
        {
            rejections.Add($"{r.RecordType} {r.Source} {r.Key} {r.Reason}: {r.Message} {T(r.RejectedAt)}");
        }

        var coverage = (await link.GetCoverageAsync()).RecordTypes
            .Select(c => $"{c.RecordType} total {c.Total} linked {c.Linked} quarantined {c.Quarantined} rejected {c.Rejected} profiles {c.DistinctProfiles}")
            .ToList();
        return new StoreSnapshot(profiles, quarantine, rejections, coverage, linked.Count, linked.Distinct().Count());
    }

    /// <summary>Asserts that two snapshots are the same, naming the first difference.</summary>
    public void ShouldEqual(StoreSnapshot expected)
    {
        Profiles.Should().Equal(expected.Profiles);
        Quarantine.Should().Equal(expected.Quarantine);
        Rejections.Should().Equal(expected.Rejections);
        Coverage.Should().Equal(expected.Coverage);
        LinkedEvents.Should().Be(expected.LinkedEvents);
        DistinctLinkedEvents.Should().Be(expected.DistinctLinkedEvents);
    }

    private static string T(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}

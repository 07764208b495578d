using EventLink.Samples.Quickstart.Data;

namespace EventLink.Samples.Quickstart.Output;

/// <summary>Writes the quickstart's findings as plain-text sections and tables.</summary>
internal sealed class Report(TextWriter writer)
{
    private static readonly IngestOutcome[] s_outcomes = Enum.GetValues<IngestOutcome>();

    public void Title(string text)
    {
        writer.WriteLine(text);
        writer.WriteLine(new string('=', text.Length));
    }

    public void Section(string title)
    {
        writer.WriteLine();
        writer.WriteLine(title);
        writer.WriteLine();
    }

    public void Line(string text = "") => writer.WriteLine(text);

    /// <summary>Outcomes per source and record type, with a totals row.</summary>
    public void IngestSummary(IReadOnlyList<Delivery> deliveries, IReadOnlyList<IngestResult> results)
    {
        var kinds = deliveries.CountBy(d => d.Kind).ToDictionary();
        Line($"{deliveries.Count} deliveries: {Count(kinds, DeliveryKind.OnTime)} on time, {Count(kinds, DeliveryKind.Late)} late, " +
             $"{Count(kinds, DeliveryKind.Redelivery)} redelivered, {Count(kinds, DeliveryKind.Broken)} broken.");
        Line();

        var table = new TextTable([Column.Left("Source"), Column.Left("Record type"), .. s_outcomes.Select(o => Column.Right(o.ToString()))]);
        foreach (var group in results.GroupBy(r => (r.Source, r.RecordType)).OrderBy(g => g.Key.Source).ThenBy(g => g.Key.RecordType))
        {
            var counts = group.CountBy(r => r.Outcome).ToDictionary();
            table.AddRow([group.Key.Source, group.Key.RecordType, .. s_outcomes.Select(o => Cell(Count(counts, o)))]);
        }

        var totals = results.CountBy(r => r.Outcome).ToDictionary();
        table.AddRule().AddRow(["all", $"{results.Count} records", .. s_outcomes.Select(o => Count(totals, o).ToString())]);
        table.WriteTo(writer);
    }

    public void Profile(Profile profile)
    {
        Line($"Profile {profile.Id} ({profile.Entity}), built from {Plural(profile.Records.Count, "record")}:");
        foreach (var record in profile.Records)
        {
            Line($"  {record.Source} {record.RecordType} {record.RecordId}, version of {Date(record.OccurredAt)}");
        }

        Section("  Identities");
        var identities = new TextTable(Column.Left("Kind"), Column.Left("Value"), Column.Left("First seen in"));
        foreach (var identity in profile.Identities)
        {
            identities.AddRow(identity.Kind, identity.Value, $"{identity.Source} {identity.RecordType} {identity.RecordId} ({Date(identity.FirstSeenAt)})");
        }

        identities.WriteTo(writer, "    ");

        Section("  Attributes (each with the record that won it)");
        var attributes = new TextTable(Column.Left("Attribute"), Column.Left("Value"), Column.Left("Won by"));
        foreach (var attribute in profile.Attributes)
        {
            attributes.AddRow(attribute.Name, attribute.ValueJson, $"← {attribute.Source} {attribute.RecordType} {attribute.RecordId} ({Date(attribute.ObservedAt)})");
        }

        attributes.WriteTo(writer, "    ");

        if (profile.Merges.Count > 0)
        {
            Section("  Merge history");
            foreach (var merge in profile.Merges)
            {
                Line($"    {merge.MergedId} was merged into {merge.SurvivorId}");
                Line($"    because {merge.Source} {merge.RecordType} {merge.RecordId} carries {merge.Identity.Kind} {merge.Identity.Value}, which the merged profile held.");
            }
        }
    }

    public void Timeline(IReadOnlyList<TimelineEvent> events)
    {
        var table = new TextTable(Column.Left("Occurred (UTC)"), Column.Left("Source"), Column.Left("Event"), Column.Left("Linked via"), Column.Left("Detail"));
        foreach (var e in events)
        {
            table.AddRow(e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm"), e.Source, e.EventName, EventDetails.Via(e), EventDetails.Describe(e));
        }

        table.WriteTo(writer);
    }

    public void Coverage(CoverageReport coverage)
    {
        var table = new TextTable(
            Column.Left("Record type"), Column.Right("Total"), Column.Right("Linked"), Column.Right("Quarantined"),
            Column.Right("Rejected"), Column.Right("% linked"), Column.Right("Profiles"));
        foreach (var type in coverage.RecordTypes)
        {
            table.AddRow(
                type.RecordType, type.Total.ToString(), type.Linked.ToString(), type.Quarantined.ToString(),
                type.Rejected.ToString(), $"{type.LinkedPercent:0.0}%", type.DistinctProfiles.ToString());
        }

        table.WriteTo(writer);
    }

    public void Quarantine(IReadOnlyList<QuarantinedRecord> quarantine, int quarantinedOnArrival)
    {
        Line($"{quarantinedOnArrival} records matched no profile when they arrived; " +
             $"{quarantinedOnArrival - quarantine.Count} of them linked on their own once the profile appeared.");
        Line($"Quarantine size now: {quarantine.Count}");
        Line();
        var table = new TextTable(Column.Left("Source"), Column.Left("Record"), Column.Left("Occurred"), Column.Left("Waiting because"));
        foreach (var record in quarantine.OrderBy(r => r.OccurredAt))
        {
            table.AddRow(record.Source, $"{record.RecordType} {record.RecordId}", Date(record.OccurredAt), record.Message);
        }

        table.WriteTo(writer);
    }

    private static int Count<TKey>(Dictionary<TKey, int> counts, TKey key)
        where TKey : notnull => counts.GetValueOrDefault(key);

    private static string Cell(int count) => count == 0 ? "." : count.ToString();

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd");

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}

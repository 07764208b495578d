namespace EventLink;

/// <summary>How well records link to profiles, per record type.</summary>
/// <param name="RecordTypes">The figures per record type, ordered by name.</param>
public sealed record CoverageReport(IReadOnlyList<RecordTypeCoverage> RecordTypes)
{
    /// <summary>Gets the append-only records per record type and event name, under their new names where an event rename applies.</summary>
    public IReadOnlyList<EventNameCoverage> EventNames { get; init; } = [];

    /// <summary>Gets the figures of one record type.</summary>
    /// <param name="recordType">The record type.</param>
    /// <returns>The figures (all zero when nothing of that type was seen).</returns>
    public RecordTypeCoverage this[string recordType] =>
        RecordTypes.FirstOrDefault(r => r.RecordType == recordType) ?? new RecordTypeCoverage(recordType, 0, 0, 0, 0, 0);
}

/// <summary>Coverage of one record type.</summary>
/// <param name="RecordType">The record type.</param>
/// <param name="Total">Records stored (linked plus quarantined).</param>
/// <param name="Linked">Records linked to a profile.</param>
/// <param name="Quarantined">Records in quarantine.</param>
/// <param name="Rejected">Distinct records rejected (replays of the same bad record count once).</param>
/// <param name="DistinctProfiles">Distinct profiles the linked records belong to.</param>
/// <param name="Conflicts">Identities records of this type asserted that were left out of their profile (see <see cref="IEventLink.GetConflictsAsync"/>).</param>
public sealed record RecordTypeCoverage(string RecordType, long Total, long Linked, long Quarantined, long Rejected, long DistinctProfiles, long Conflicts = 0)
{
    /// <summary>Gets the distinct records not stored because they belong to an erased person (replays count once).</summary>
    public long Suppressed { get; init; }

    /// <summary>Gets the distinct records a transformation filtered out on purpose (not counted as received).</summary>
    public long Filtered { get; init; }

    /// <summary>Gets the share of the records received (stored or rejected) that are linked, in percent, rounded to two decimals; 100 when none were received.</summary>
    public double LinkedPercent => Total + Rejected == 0 ? 100d : Math.Round(100d * Linked / (Total + Rejected), 2);
}

using EventLink.Internal;

namespace EventLink.Coverage.Internal;

/// <summary>The coverage report: per record type, how much links, waits or was turned away; erasure and data quality add their figures.</summary>
internal sealed class CoverageQueries(EventLinkCore core)
{
    public async ValueTask<CoverageReport> GetCoverageAsync(string tenant, CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var counts = await core.Store.GetCoverageCountsAsync(tenant, cancellationToken).ConfigureAwait(false);
        var byType = counts.ToDictionary(c => c.RecordType, StringComparer.Ordinal);
        var conflicts = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var conflict in core.Store.ReadConflictsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            conflicts[conflict.RecordType] = conflicts.GetValueOrDefault(conflict.RecordType) + 1;
        }

        var names = core.Schema.RecordTypes.Keys.Union(byType.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var rows = names.Select(name => byType.TryGetValue(name, out var c)
                ? new RecordTypeCoverage(name, c.Linked + c.Quarantined, c.Linked, c.Quarantined, c.Rejected, c.DistinctProfiles, conflicts.GetValueOrDefault(name))
                : new RecordTypeCoverage(name, 0, 0, 0, 0, 0, conflicts.GetValueOrDefault(name)))
            .ToList();

        // Erasure (suppressed records) and data quality (filtered records, the breakdown by renamed event name).
        var report = await core.Erasure.AddSuppressedAsync(tenant, rows, cancellationToken).ConfigureAwait(false);
        return await core.QualityQueries.AddQualityCoverageAsync(tenant, new CoverageReport(report), cancellationToken).ConfigureAwait(false);
    }
}

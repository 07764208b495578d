using EventLink.Storage;

namespace EventLink.PostgreSql;

/// <summary>Reads: they take no lock, and a read of several tables sees one snapshot.</summary>
public sealed partial class PostgreSqlEventLinkStore
{
    /// <inheritdoc />
    public override ValueTask<Guid?> FindProfileIdAsync(string tenant, IdentityKey key, CancellationToken cancellationToken = default) =>
        _profileQueries.FindProfileIdAsync(tenant, key, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<StoredProfile?> GetProfileAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default) =>
        _profileQueries.GetProfileAsync(tenant, profileId, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<Guid?> ResolveProfileIdAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default) =>
        _profileQueries.ResolveProfileIdAsync(tenant, profileId, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<StoredProfile> ReadProfilesAsync(string tenant, CancellationToken cancellationToken = default) =>
        _profileQueries.ReadProfilesAsync(tenant, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<EventRow> ReadTimelineAsync(string tenant, Guid profileId, TimelineQuery query, CancellationToken cancellationToken = default) =>
        _profileQueries.ReadTimelineAsync(tenant, profileId, query, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<EventRow> ReadEventsAsync(string tenant, CancellationToken cancellationToken = default) =>
        _profileQueries.ReadEventsAsync(tenant, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<QuarantineEntry> ReadQuarantineAsync(string tenant, string? recordType, CancellationToken cancellationToken = default) =>
        _profileQueries.ReadQuarantineAsync(tenant, recordType, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<RejectionRow> ReadRejectionsAsync(string tenant, CancellationToken cancellationToken = default) =>
        _profileQueries.ReadRejectionsAsync(tenant, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<CoverageCounts>> GetCoverageCountsAsync(string tenant, CancellationToken cancellationToken = default) =>
        _profileQueries.GetCoverageCountsAsync(tenant, cancellationToken);
}

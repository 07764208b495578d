using EventLink.Storage;

namespace EventLink.PostgreSql;

/// <summary>Data-quality reads; they take no lock.</summary>
public sealed partial class PostgreSqlEventLinkStore
{
    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<QualityNoteCount>> GetQualityNoteCountsAsync(string tenant, CancellationToken cancellationToken = default) =>
        _qualityQueries.GetQualityNoteCountsAsync(tenant, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<FieldObservationRow> ReadFieldObservationsAsync(string tenant, CancellationToken cancellationToken = default) =>
        _qualityQueries.ReadFieldObservationsAsync(tenant, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<HourlyCountRow> ReadHourlyCountsAsync(string tenant, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _qualityQueries.ReadHourlyCountsAsync(tenant, from, to, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<EventNameCountRow>> CountEventsByNameAsync(string tenant, DateTimeOffset? occurredBefore, CancellationToken cancellationToken = default) =>
        _qualityQueries.CountEventsByNameAsync(tenant, occurredBefore, cancellationToken);
}

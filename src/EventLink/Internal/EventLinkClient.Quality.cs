namespace EventLink.Internal;

/// <summary>Data-quality queries, on the tenant of the call.</summary>
internal sealed partial class EventLinkClient
{
    public ValueTask<SchemaDriftReport> GetSchemaDriftAsync(CancellationToken cancellationToken = default) =>
        _core.QualityQueries.GetSchemaDriftAsync(Tenant, cancellationToken);

    public ValueTask<AnomalyReport> GetAnomaliesAsync(TimeSpan window, CancellationToken cancellationToken = default) =>
        _core.QualityQueries.GetAnomaliesAsync(Tenant, window, cancellationToken);

    public ValueTask<IReadOnlyList<ContractViolationCount>> GetContractViolationsAsync(CancellationToken cancellationToken = default) =>
        _core.QualityQueries.GetContractViolationsAsync(Tenant, cancellationToken);
}

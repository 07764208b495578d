namespace EventLink;

/// <summary>Data-quality queries (see <see cref="DataQualityOptions"/>).</summary>
public partial interface IEventLink
{
    /// <summary>Reports the observed shape of every source's records (field path → JSON types, counts, first and last seen) and the changes found in it.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The report.</returns>
    ValueTask<SchemaDriftReport> GetSchemaDriftAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Judges the hourly arrivals of every source and record type over the last whole hours of <paramref name="window"/>
    /// against a band learned from the same hour of the trailing days (see <see cref="AnomalyOptions"/>), and reports
    /// the hours outside it and the sources gone silent.
    /// </summary>
    /// <param name="window">How far back to judge, such as one day.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is shorter than an hour or longer than 90 days.</exception>
    ValueTask<AnomalyReport> GetAnomaliesAsync(TimeSpan window, CancellationToken cancellationToken = default);

    /// <summary>Counts, per record type, contract and rule, the distinct records that broke a contract (whatever its policy).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts, ordered by record type, contract, path and rule.</returns>
    ValueTask<IReadOnlyList<ContractViolationCount>> GetContractViolationsAsync(CancellationToken cancellationToken = default);
}

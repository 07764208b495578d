namespace EventLink.Storage;

/// <summary>Data-quality reads.</summary>
public abstract partial class EventLinkStore
{
    /// <summary>Counts the data-quality notes of a tenant per record type, kind and rule.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts, ordered by record type, kind and rule.</returns>
    public abstract ValueTask<IReadOnlyList<QualityNoteCount>> GetQualityNoteCountsAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>Streams the field observations of a tenant, ordered by source, record type, path and JSON type.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The observations.</returns>
    public abstract IAsyncEnumerable<FieldObservationRow> ReadFieldObservationsAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>Streams the hourly arrival counts of a tenant with <paramref name="from"/> ≤ hour &lt; <paramref name="to"/>, ordered by source, record type and hour.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="from">The first hour.</param>
    /// <param name="to">The end (exclusive).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts (hours without arrivals have no row).</returns>
    public abstract IAsyncEnumerable<HourlyCountRow> ReadHourlyCountsAsync(string tenant, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Counts the stored events of a tenant per record type and stored event name.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="occurredBefore">Only events that occurred before this time, when given.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts, ordered by record type and event name.</returns>
    public abstract ValueTask<IReadOnlyList<EventNameCountRow>> CountEventsByNameAsync(string tenant, DateTimeOffset? occurredBefore, CancellationToken cancellationToken = default);
}

/// <summary>Data-quality writes, part of the session's atomic unit.</summary>
public abstract partial class EventLinkStoreSession
{
    /// <summary>Adds a data-quality note unless one with the same source, record type, key, kind and rule exists.</summary>
    /// <param name="note">The note.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask AddQualityNoteAsync(QualityNoteRow note, CancellationToken cancellationToken = default);

    /// <summary>
    /// Merges field observations into the stored ones (keyed by source, record type, path and JSON type): counts add up,
    /// first seen keeps the earliest, last seen the latest.
    /// </summary>
    /// <param name="rows">The observations of one batch, each key once.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>For each row, in order, whether its key was new.</returns>
    public abstract ValueTask<IReadOnlyList<bool>> ObserveFieldsAsync(IReadOnlyList<FieldObservationRow> rows, CancellationToken cancellationToken = default);

    /// <summary>Adds hourly arrival counts to the stored ones (keyed by source, record type and hour).</summary>
    /// <param name="rows">The counts of one batch, each key once.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask AddHourlyCountsAsync(IReadOnlyList<HourlyCountRow> rows, CancellationToken cancellationToken = default);
}

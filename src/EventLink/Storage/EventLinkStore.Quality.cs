namespace EventLink.Storage;

/// <summary>Data-quality reads (<see cref="StoreCapabilities.DataQuality"/>).</summary>
public abstract partial class EventLinkStore
{
    /// <summary>Counts the data-quality notes of a tenant per record type, kind and rule.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts, ordered by record type, kind and rule.</returns>
    /// <remarks>Without <see cref="StoreCapabilities.DataQuality"/> no note is kept (contracts and transformations need the capability): the default returns none.</remarks>
    public virtual ValueTask<IReadOnlyList<QualityNoteCount>> GetQualityNoteCountsAsync(string tenant, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<QualityNoteCount>>([]);

    /// <summary>Streams the field observations of a tenant, ordered by source, record type, path and JSON type.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The observations.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.DataQuality"/>.</exception>
    public virtual IAsyncEnumerable<FieldObservationRow> ReadFieldObservationsAsync(string tenant, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.DataQuality);

    /// <summary>Streams the hourly arrival counts of a tenant with <paramref name="from"/> ≤ hour &lt; <paramref name="to"/>, ordered by source, record type and hour.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="from">The first hour.</param>
    /// <param name="to">The end (exclusive).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts (hours without arrivals have no row).</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.DataQuality"/>.</exception>
    public virtual IAsyncEnumerable<HourlyCountRow> ReadHourlyCountsAsync(string tenant, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.DataQuality);

    /// <summary>Counts the stored events of a tenant per record type and stored event name.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="occurredBefore">Only events that occurred before this time, when given.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts, ordered by record type and event name.</returns>
    /// <remarks>Part of the coverage report, so every store answers it: the default counts what <see cref="ReadEventsAsync"/> returns; stores override it with one aggregate query.</remarks>
    public virtual ValueTask<IReadOnlyList<EventNameCountRow>> CountEventsByNameAsync(string tenant, DateTimeOffset? occurredBefore, CancellationToken cancellationToken = default) =>
        CountEventsByNameFromEventsAsync(tenant, occurredBefore, cancellationToken);

    private async ValueTask<IReadOnlyList<EventNameCountRow>> CountEventsByNameFromEventsAsync(string tenant, DateTimeOffset? occurredBefore, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<(string RecordType, string EventName), (long Linked, long Quarantined)>();
        await foreach (var row in ReadEventsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            if (occurredBefore is null || row.OccurredAt < occurredBefore)
            {
                var (linked, quarantined) = counts.GetValueOrDefault((row.RecordType, row.EventName));
                counts[(row.RecordType, row.EventName)] = row.ProfileId is null ? (linked, quarantined + 1) : (linked + 1, quarantined);
            }
        }

        return [.. counts
            .Select(p => new EventNameCountRow(p.Key.RecordType, p.Key.EventName, p.Value.Linked, p.Value.Quarantined))
            .OrderBy(r => r.RecordType, StringComparer.Ordinal)
            .ThenBy(r => r.EventName, StringComparer.Ordinal)];
    }
}

/// <summary>Data-quality writes, part of the session's atomic unit (<see cref="StoreCapabilities.DataQuality"/>).</summary>
public abstract partial class EventLinkStoreSession
{
    /// <summary>Adds a data-quality note unless one with the same source, record type, key, kind and rule exists.</summary>
    /// <param name="note">The note.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.DataQuality"/>.</exception>
    public virtual ValueTask AddQualityNoteAsync(QualityNoteRow note, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.DataQuality);

    /// <summary>
    /// Merges field observations into the stored ones (keyed by source, record type, path and JSON type): counts add up,
    /// first seen keeps the earliest, last seen the latest.
    /// </summary>
    /// <param name="rows">The observations of one batch, each key once.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>For each row, in order, whether its key was new.</returns>
    /// <remarks>Without <see cref="StoreCapabilities.DataQuality"/> the default keeps nothing and reports no key as new.</remarks>
    public virtual ValueTask<IReadOnlyList<bool>> ObserveFieldsAsync(IReadOnlyList<FieldObservationRow> rows, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<bool>>(new bool[(rows ?? throw new ArgumentNullException(nameof(rows))).Count]);

    /// <summary>Adds hourly arrival counts to the stored ones (keyed by source, record type and hour).</summary>
    /// <param name="rows">The counts of one batch, each key once.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    /// <remarks>Without <see cref="StoreCapabilities.DataQuality"/> the default keeps nothing.</remarks>
    public virtual ValueTask AddHourlyCountsAsync(IReadOnlyList<HourlyCountRow> rows, CancellationToken cancellationToken = default) =>
        ValueTask.CompletedTask;
}

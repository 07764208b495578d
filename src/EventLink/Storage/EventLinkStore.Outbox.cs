namespace EventLink.Storage;

/// <summary>
/// The change log (outbox), sync progress and dead letters (<see cref="StoreCapabilities.Destinations"/>); suppression
/// counts (<see cref="StoreCapabilities.Erasure"/>).
/// </summary>
public abstract partial class EventLinkStore
{
    /// <summary>Reads change-log entries after a sequence, in sequence order.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="afterSequence">Only entries with a greater sequence.</param>
    /// <param name="limit">The most entries to return.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Destinations"/>.</exception>
    public virtual ValueTask<IReadOnlyList<ChangeRow>> ReadChangesAsync(string tenant, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Destinations);

    /// <summary>Reads a sync's progress.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="sync">The sync's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The progress, or <see langword="null"/> when the sync never ran.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Destinations"/>.</exception>
    public virtual ValueTask<SyncStateRow?> GetSyncStateAsync(string tenant, string sync, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Destinations);

    /// <summary>Saves a sync's progress durably and, atomically with it, a dead letter when given.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="state">The progress.</param>
    /// <param name="deadLetter">An entry given up on, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Destinations"/>.</exception>
    public virtual ValueTask SaveSyncStateAsync(string tenant, SyncStateRow state, DeadLetterRow? deadLetter, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Destinations);

    /// <summary>Reads a sync's dead letters, ordered by sequence.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="sync">The sync's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The dead letters.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Destinations"/>.</exception>
    public virtual ValueTask<IReadOnlyList<DeadLetterRow>> ReadDeadLettersAsync(string tenant, string sync, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Destinations);

    /// <summary>Removes a dead letter (after it was delivered on retry).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="sync">The sync's name.</param>
    /// <param name="sequence">The entry.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Destinations"/>.</exception>
    public virtual ValueTask RemoveDeadLetterAsync(string tenant, string sync, long sequence, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Destinations);

    /// <summary>Counts suppressed records (distinct by source and record id) per record type.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts by record type.</returns>
    /// <remarks>Part of <see cref="StoreCapabilities.Erasure"/>: without it no record is suppressed, and the default returns no counts.</remarks>
    public virtual ValueTask<IReadOnlyDictionary<string, long>> GetSuppressionCountsAsync(string tenant, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>());
}

/// <summary>
/// Change-log appends (<see cref="StoreCapabilities.Destinations"/>); tombstones, suppressions and erasure
/// (<see cref="StoreCapabilities.Erasure"/>), inside the session's transaction.
/// </summary>
public abstract partial class EventLinkStoreSession
{
    /// <summary>Appends an entry to the tenant's change log; the store assigns its sequence (growing, never reused).</summary>
    /// <param name="change">The entry (its <see cref="ChangeRow.Sequence"/> is ignored).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Destinations"/>.</exception>
    public virtual ValueTask AppendChangeAsync(ChangeRow change, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Destinations);

    /// <summary>Reads the tenant's tombstones: SHA-256 hashes (lower-case hex) of <c>kind:normalised value</c> of erased identities.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The hashes.</returns>
    /// <remarks>Part of <see cref="StoreCapabilities.Erasure"/>: without it nobody is erased, and the default returns no hashes.</remarks>
    public virtual ValueTask<IReadOnlySet<string>> ReadTombstonesAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlySet<string>>(new HashSet<string>());

    /// <summary>Notes a suppressed record unless one with the same source and record id is noted.</summary>
    /// <param name="suppression">The note.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Erasure"/>.</exception>
    public virtual ValueTask AddSuppressionAsync(SuppressionRow suppression, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Erasure);

    /// <summary>
    /// Erases a profile and identities: deletes the profile and every profile merged into it, their merge rows,
    /// identities, merged source records, attributes, events (and their waits), the quarantined events waiting
    /// for one of <paramref name="identities"/> (and the waits for them), and every change-log entry and dead
    /// letter about those profiles; then stores <paramref name="tombstones"/> and appends <paramref name="notice"/>.
    /// </summary>
    /// <param name="profileId">The (surviving) profile, or <see langword="null"/> to erase identities no profile holds.</param>
    /// <param name="identities">The identities to erase (those of the profile, and any given).</param>
    /// <param name="tombstones">The hashes to keep.</param>
    /// <param name="notice">The erasure notice to append to the change log, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What was deleted.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Erasure"/>.</exception>
    public virtual ValueTask<ErasureCounts> ForgetAsync(Guid? profileId, IReadOnlyList<IdentityKey> identities, IReadOnlyList<string> tombstones, ChangeRow? notice, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Erasure);
}

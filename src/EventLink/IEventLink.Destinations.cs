namespace EventLink;

/// <summary>Syncs to destinations, dead letters and erasure.</summary>
public partial interface IEventLink
{
    /// <summary>
    /// Runs one sync once for the current tenant: delivers the pending changes in order until all are done or one
    /// fails (it is then retried with backoff on a later run, and dead-lettered after
    /// <see cref="EventLinkSyncOptions.MaxAttempts"/> failures). Progress is durable after each item, so an
    /// acknowledged delivery is never repeated. Runs of the same sync in this process take turns.
    /// </summary>
    /// <param name="syncName">The sync's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What the run did.</returns>
    /// <exception cref="ArgumentException">No sync has that name.</exception>
    ValueTask<SyncRunResult> RunSyncOnceAsync(string syncName, CancellationToken cancellationToken = default);

    /// <summary>Lists a sync's dead letters, ordered by change sequence.</summary>
    /// <param name="syncName">The sync's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The dead letters.</returns>
    ValueTask<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string syncName, CancellationToken cancellationToken = default);

    /// <summary>Tries each dead letter of a sync once more; those delivered leave the list.</summary>
    /// <param name="syncName">The sync's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What the retry did (delivered, withheld, failed).</returns>
    /// <exception cref="ArgumentException">No sync has that name.</exception>
    ValueTask<SyncRunResult> RetryDeadLettersAsync(string syncName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases a person: deletes the profile (and those merged into it), identities, attributes, source records,
    /// events, the quarantined events waiting for its identities and pending outbox items, keeps only hashed
    /// identities as tombstones (so a replay of the same records is <see cref="IngestOutcome.Suppressed"/>), and
    /// queues an erasure notice for destinations that accept one.
    /// </summary>
    /// <param name="profileId">The profile id (a merged-away id erases its survivor).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What was erased (all zero when no such profile exists).</returns>
    ValueTask<ErasureResult> ForgetAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Erases the person holding an identity, as <see cref="ForgetAsync(Guid, CancellationToken)"/>; when no profile holds it, the identity is still tombstoned and quarantined events waiting for it are deleted.</summary>
    /// <param name="identityKind">The identity kind, such as <see cref="IdentityKinds.Email"/>.</param>
    /// <param name="value">The raw value.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What was erased.</returns>
    /// <exception cref="ArgumentException">The identity kind is not in the schema.</exception>
    ValueTask<ErasureResult> ForgetAsync(string identityKind, string value, CancellationToken cancellationToken = default);
}

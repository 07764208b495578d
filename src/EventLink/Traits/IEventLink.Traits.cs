namespace EventLink;

/// <summary>Computed traits, audiences and triggers (configured with <c>AddTraits</c>).</summary>
public partial interface IEventLink
{
    /// <summary>Gets a profile's computed traits (kept incrementally at ingest) and audiences.</summary>
    /// <param name="profileId">The profile id (a merged-away id reads its survivor).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The computed profile, or <see langword="null"/> when there is no such profile.</returns>
    ValueTask<ComputedProfile?> GetComputedAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Computes a profile's traits exactly from its whole event history, now, without storing anything.</summary>
    /// <param name="profileId">The profile id (a merged-away id reads its survivor).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The traits, ordered as defined, or <see langword="null"/> when there is no such profile.</returns>
    ValueTask<IReadOnlyList<ComputedTrait>?> ComputeTraitsFromHistoryAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Recomputes a profile's traits from its history, stores them and re-evaluates its audiences (recording transitions).</summary>
    /// <param name="profileId">The profile id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The computed profile, or <see langword="null"/> when there is no such profile.</returns>
    ValueTask<ComputedProfile?> RecomputeTraitsAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Evaluates the profiles whose trait windows expire or whose audience waits end by now (<see cref="TimeProvider"/>), and only those.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many profiles were evaluated and how many transitions they made.</returns>
    ValueTask<TraitsRefreshResult> RefreshTraitsAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams an audience's members, ordered by profile id.</summary>
    /// <param name="audience">The audience's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The members.</returns>
    /// <exception cref="ArgumentException">No audience has that name.</exception>
    IAsyncEnumerable<AudienceMembership> GetAudienceMembersAsync(string audience, CancellationToken cancellationToken = default);

    /// <summary>Streams the trigger log after a sequence, in order; save the last <see cref="TriggerNotification.Sequence"/> handled and resume after it.</summary>
    /// <param name="afterSequence">Only notifications with a greater sequence (0 for all).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The notifications stored so far.</returns>
    IAsyncEnumerable<TriggerNotification> ReadTriggersAsync(long afterSequence = 0, CancellationToken cancellationToken = default);
}

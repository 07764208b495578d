namespace EventLink.Storage;

/// <summary>Computed traits, audience memberships and the trigger log: reads.</summary>
public abstract partial class EventLinkStore
{
    /// <summary>Reads what is computed about a profile.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="profileId">The (surviving) profile.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The state, <see cref="ComputedStateRow.Empty"/> when nothing is stored.</returns>
    public abstract ValueTask<ComputedStateRow> ReadComputedStateAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Streams an audience's members, ordered by profile id.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="audience">The audience's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The members.</returns>
    public abstract IAsyncEnumerable<AudienceMemberRow> ReadAudienceMembersAsync(string tenant, string audience, CancellationToken cancellationToken = default);

    /// <summary>Reads trigger-log entries after a sequence, in sequence order.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="afterSequence">Only entries with a greater sequence.</param>
    /// <param name="limit">The most entries to return.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entries.</returns>
    public abstract ValueTask<IReadOnlyList<TriggerRow>> ReadTriggersAsync(string tenant, long afterSequence, int limit, CancellationToken cancellationToken = default);
}

/// <summary>Computed traits, audience memberships and the trigger log: writes inside the session's transaction.</summary>
public abstract partial class EventLinkStoreSession
{
    /// <summary>Reads what is computed about a profile.</summary>
    /// <param name="profileId">The profile.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The state, <see cref="ComputedStateRow.Empty"/> when nothing is stored.</returns>
    public abstract ValueTask<ComputedStateRow> GetComputedStateAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Replaces everything computed about a profile (its trait states, memberships and due time); <see cref="ComputedStateRow.Empty"/> deletes it.</summary>
    /// <param name="profileId">The profile.</param>
    /// <param name="state">The new state.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask SaveComputedStateAsync(Guid profileId, ComputedStateRow state, CancellationToken cancellationToken = default);

    /// <summary>Appends an entry to the tenant's trigger log; the store assigns its sequence (growing, never reused).</summary>
    /// <param name="trigger">The entry (its <see cref="TriggerRow.Sequence"/> is ignored).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask AppendTriggerAsync(TriggerRow trigger, CancellationToken cancellationToken = default);

    /// <summary>Reads the profiles whose due time is at or before <paramref name="now"/>, earliest first (then by id).</summary>
    /// <param name="now">The time.</param>
    /// <param name="limit">The most profiles to return.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The profiles.</returns>
    public abstract ValueTask<IReadOnlyList<Guid>> GetDueProfilesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes everything computed about a profile and every profile merged into it, and their trigger-log entries (erasure).</summary>
    /// <param name="profileId">The (surviving) profile.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many trigger-log entries were deleted.</returns>
    public abstract ValueTask<long> ForgetComputedAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Reads the profile an event is linked to.</summary>
    /// <param name="eventId">The event's store id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The profile, or <see langword="null"/> while the event is quarantined (or unknown).</returns>
    public abstract ValueTask<Guid?> GetEventProfileAsync(long eventId, CancellationToken cancellationToken = default);
}

namespace EventLink.Storage;

/// <summary>Computed traits, audience memberships and the trigger log: reads (<see cref="StoreCapabilities.Traits"/>).</summary>
public abstract partial class EventLinkStore
{
    /// <summary>Reads what is computed about a profile.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="profileId">The (surviving) profile.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The state, <see cref="ComputedStateRow.Empty"/> when nothing is stored.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Traits"/>.</exception>
    public virtual ValueTask<ComputedStateRow> ReadComputedStateAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Traits);

    /// <summary>Streams an audience's members, ordered by profile id.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="audience">The audience's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The members.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Traits"/>.</exception>
    public virtual IAsyncEnumerable<AudienceMemberRow> ReadAudienceMembersAsync(string tenant, string audience, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Traits);

    /// <summary>Reads trigger-log entries after a sequence, in sequence order.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="afterSequence">Only entries with a greater sequence.</param>
    /// <param name="limit">The most entries to return.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Traits"/>.</exception>
    public virtual ValueTask<IReadOnlyList<TriggerRow>> ReadTriggersAsync(string tenant, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Traits);
}

/// <summary>Computed traits, audience memberships and the trigger log: writes inside the session's transaction (<see cref="StoreCapabilities.Traits"/>).</summary>
public abstract partial class EventLinkStoreSession
{
    /// <summary>Reads what is computed about a profile.</summary>
    /// <param name="profileId">The profile.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The state, <see cref="ComputedStateRow.Empty"/> when nothing is stored.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Traits"/>.</exception>
    public virtual ValueTask<ComputedStateRow> GetComputedStateAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Traits);

    /// <summary>Replaces everything computed about a profile (its trait states, memberships and due time); <see cref="ComputedStateRow.Empty"/> deletes it.</summary>
    /// <param name="profileId">The profile.</param>
    /// <param name="state">The new state.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Traits"/>.</exception>
    public virtual ValueTask SaveComputedStateAsync(Guid profileId, ComputedStateRow state, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Traits);

    /// <summary>
    /// Replaces everything computed about a profile, as <see cref="SaveComputedStateAsync"/> does, knowing what the
    /// caller read (or last wrote) for it: a store may write only what differs, such as the memberships that changed and
    /// no longer the trait rows of <paramref name="previous"/> once the state is packed (<see cref="ComputedStateRow.State"/>).
    /// </summary>
    /// <param name="profileId">The profile.</param>
    /// <param name="previous">
    /// What is stored for the profile now, as the caller read or last wrote it in a committed unit of work: its trait
    /// rows, memberships and due time. The engine does not keep the packed state it wrote (opaque to stores), so
    /// <see cref="ComputedStateRow.State"/> of <paramref name="previous"/> is <see langword="null"/>.
    /// </param>
    /// <param name="state">The new state.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Traits"/>.</exception>
    /// <remarks>The default replaces everything with <see cref="SaveComputedStateAsync"/>.</remarks>
    public virtual ValueTask UpdateComputedStateAsync(Guid profileId, ComputedStateRow previous, ComputedStateRow state, CancellationToken cancellationToken = default) =>
        SaveComputedStateAsync(profileId, state, cancellationToken);

    /// <summary>Appends an entry to the tenant's trigger log; the store assigns its sequence (growing, never reused).</summary>
    /// <param name="trigger">The entry (its <see cref="TriggerRow.Sequence"/> is ignored).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Traits"/>.</exception>
    public virtual ValueTask AppendTriggerAsync(TriggerRow trigger, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Traits);

    /// <summary>Reads the profiles whose due time is at or before <paramref name="now"/>, earliest first (then by id).</summary>
    /// <param name="now">The time.</param>
    /// <param name="limit">The most profiles to return.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The profiles.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Traits"/>.</exception>
    public virtual ValueTask<IReadOnlyList<Guid>> GetDueProfilesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Traits);

    /// <summary>Deletes everything computed about a profile and every profile merged into it, and their trigger-log entries (erasure).</summary>
    /// <param name="profileId">The (surviving) profile.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many trigger-log entries were deleted.</returns>
    /// <remarks>Erasure calls it whether traits are configured or not; without <see cref="StoreCapabilities.Traits"/> nothing is computed, and the default deletes nothing.</remarks>
    public virtual ValueTask<long> ForgetComputedAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(0L);

    /// <summary>Reads the profile an event is linked to.</summary>
    /// <param name="eventId">The event's store id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The profile, or <see langword="null"/> while the event is quarantined (or unknown).</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.Traits"/>.</exception>
    public virtual ValueTask<Guid?> GetEventProfileAsync(long eventId, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.Traits);
}

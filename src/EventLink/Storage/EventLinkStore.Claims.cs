namespace EventLink.Storage;

/// <summary>
/// The claims of a session: what every merged record (and every event that claims identities) records and reads, so
/// the engine can recompute the profiles of the component it touched. Part of the required core.
/// </summary>
public abstract partial class EventLinkStoreSession
{
    /// <summary>
    /// Records a claim: inserts it, or keeps the earlier of the stored and given <see cref="ClaimState.FirstOccurredAt"/>
    /// and adds identities it did not assert before (identities are never removed from a claim).
    /// </summary>
    /// <param name="key">The claim.</param>
    /// <param name="recordType">Its record type.</param>
    /// <param name="occurredAt">When this version occurred.</param>
    /// <param name="identities">The usable identities this version asserts.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask UpsertClaimAsync(ClaimKey key, string recordType, DateTimeOffset occurredAt, IReadOnlyList<IdentityKey> identities, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a claim with its identities (ordered) and current profile: for a <see cref="ClaimKind.Record"/> the
    /// source record's profile, for an <see cref="ClaimKind.Event"/> the event's profile and id.
    /// </summary>
    /// <param name="key">The claim.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The claim, or <see langword="null"/>.</returns>
    public abstract ValueTask<ClaimState?> GetClaimAsync(ClaimKey key, CancellationToken cancellationToken = default);

    /// <summary>Reads every claim asserting an identity, ordered by key.</summary>
    /// <param name="identity">The identity.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The claims.</returns>
    public abstract ValueTask<IReadOnlyList<ClaimKey>> GetClaimsByIdentityAsync(IdentityKey identity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads every claim asserting each of several identities, as <see cref="GetClaimsByIdentityAsync(IdentityKey, CancellationToken)"/>
    /// does for one: a store that pays per statement reads them all at once. The default reads them one by one.
    /// </summary>
    /// <param name="identities">The identities.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>For each identity, at its index, its claims ordered by key.</returns>
    public virtual async ValueTask<IReadOnlyList<IReadOnlyList<ClaimKey>>> GetClaimsByIdentitiesAsync(IReadOnlyList<IdentityKey> identities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identities);
        var claims = new IReadOnlyList<ClaimKey>[identities.Count];
        for (var i = 0; i < claims.Length; i++)
        {
            claims[i] = await GetClaimsByIdentityAsync(identities[i], cancellationToken).ConfigureAwait(false);
        }

        return claims;
    }

    /// <summary>Inserts an identity row, or moves an existing one to another profile (replacing its provenance).</summary>
    /// <param name="identity">The row.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask SetIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets several identity rows, each as <see cref="SetIdentityAsync"/> does (their keys are distinct): a store that
    /// pays per statement writes them at once. The default sets them one by one.
    /// </summary>
    /// <param name="identities">The rows.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public virtual async ValueTask SetIdentitiesAsync(IReadOnlyList<IdentityRow> identities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identities);
        foreach (var identity in identities)
        {
            await SetIdentityAsync(identity, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes an identity row (no profile holds the identity any more); does nothing when there is none.</summary>
    /// <param name="key">The identity.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask RemoveIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default);

    /// <summary>Reads the events linked to a profile, ordered by id.</summary>
    /// <param name="profileId">The profile.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The events.</returns>
    public abstract ValueTask<IReadOnlyList<EventRow>> GetEventsOfProfileAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Puts an event (back) in quarantine: no profile, link index -1, the given reason and message.</summary>
    /// <param name="eventId">The event.</param>
    /// <param name="reason">The reason.</param>
    /// <param name="message">The readable explanation.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask UnlinkEventAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default);

    /// <summary>Appends a history entry to a profile without moving anything (used for splits: <see cref="MergeRow.MergedId"/> is the profile split off).</summary>
    /// <param name="entry">The entry, with <see cref="MergeRow.Kind"/> set.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask AddHistoryAsync(MergeRow entry, CancellationToken cancellationToken = default);
}

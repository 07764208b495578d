namespace EventLink.Storage;

/// <summary>The identity graph: claims, conflicts, unmerge rules and memberships.</summary>
public abstract partial class EventLinkStore
{
    /// <summary>Streams the identity conflicts of a tenant, ordered by claim (source, record id, kind) then identity.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conflicts.</returns>
    public abstract IAsyncEnumerable<ConflictRow> ReadConflictsAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>Reads the claim of a record or event (identities and current profile), or <see langword="null"/>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="key">The claim.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The claim.</returns>
    public abstract ValueTask<ClaimState?> GetClaimAsync(string tenant, ClaimKey key, CancellationToken cancellationToken = default);

    /// <summary>Reads the person identities that are members of any of the given account identities, ordered.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="accounts">The account identities.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The members' identities, distinct and ordered.</returns>
    public abstract ValueTask<IReadOnlyList<IdentityKey>> GetMembersAsync(string tenant, IReadOnlyList<IdentityKey> accounts, CancellationToken cancellationToken = default);

    /// <summary>Reads the account identities a person identity is a member of, ordered.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="members">The person's identities.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The accounts' identities, distinct and ordered.</returns>
    public abstract ValueTask<IReadOnlyList<IdentityKey>> GetAccountsAsync(string tenant, IReadOnlyList<IdentityKey> members, CancellationToken cancellationToken = default);

    /// <summary>Reads one event by source and record id (linked or quarantined), or <see langword="null"/>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="source">The source.</param>
    /// <param name="recordId">The source record id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The event.</returns>
    public abstract ValueTask<EventRow?> GetEventAsync(string tenant, string source, string recordId, CancellationToken cancellationToken = default);

    /// <summary>Reads the stored version of a merged source record, or <see langword="null"/>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="source">The source.</param>
    /// <param name="recordId">The source record id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record.</returns>
    public abstract ValueTask<SourceRecordRow?> GetSourceRecordAsync(string tenant, string source, string recordId, CancellationToken cancellationToken = default);

    /// <summary>Reads the identity row of a normalised identity (its holder and provenance), or <see langword="null"/>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="key">The identity.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The row.</returns>
    public abstract ValueTask<IdentityRow?> GetIdentityAsync(string tenant, IdentityKey key, CancellationToken cancellationToken = default);
}

/// <summary>The identity graph primitives of a session.</summary>
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

    /// <summary>Reads the identity row of a normalised identity, or <see langword="null"/>.</summary>
    /// <param name="key">The identity.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The row.</returns>
    public abstract ValueTask<IdentityRow?> GetIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default);

    /// <summary>Inserts an identity row, or moves an existing one to another profile (replacing its provenance).</summary>
    /// <param name="identity">The row.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask SetIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default);

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

    /// <summary>Replaces the conflicts recorded for a set of claims (deletes those of the claims, inserts the given ones).</summary>
    /// <param name="claims">The claims whose conflicts are replaced.</param>
    /// <param name="conflicts">The new conflicts (each of one of those claims).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask ReplaceConflictsAsync(IReadOnlyList<ClaimKey> claims, IReadOnlyList<ConflictRow> conflicts, CancellationToken cancellationToken = default);

    /// <summary>Reads the identities kept apart by unmerge rules, ordered.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The identities.</returns>
    public abstract ValueTask<IReadOnlyList<IdentityKey>> GetUnmergeRulesAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds an unmerge rule for an identity (nothing when it exists).</summary>
    /// <param name="identity">The identity to keep apart.</param>
    /// <param name="createdAt">When the rule was made.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask AddUnmergeRuleAsync(IdentityKey identity, DateTimeOffset createdAt, CancellationToken cancellationToken = default);

    /// <summary>Records a membership (nothing when the same member, account, source and record id exist).</summary>
    /// <param name="membership">The membership.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask AddMembershipAsync(MembershipRow membership, CancellationToken cancellationToken = default);

    /// <summary>Appends a history entry to a profile without moving anything (used for splits: <see cref="MergeRow.MergedId"/> is the profile split off).</summary>
    /// <param name="entry">The entry, with <see cref="MergeRow.Kind"/> set.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask AddHistoryAsync(MergeRow entry, CancellationToken cancellationToken = default);
}

namespace EventLink.Storage;

/// <summary>
/// The identity graph capability (<see cref="StoreCapabilities.IdentityGraph"/>): conflicts, unmerge rules,
/// memberships and the explain-style reads.
/// </summary>
public abstract partial class EventLinkStore
{
    /// <summary>Streams the identity conflicts of a tenant, ordered by claim (source, record id, kind) then identity.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conflicts.</returns>
    /// <remarks>Without <see cref="StoreCapabilities.IdentityGraph"/> no conflict is kept: the default returns none.</remarks>
    public virtual IAsyncEnumerable<ConflictRow> ReadConflictsAsync(string tenant, CancellationToken cancellationToken = default) =>
        AsyncEnumerable.Empty<ConflictRow>();

    /// <summary>Reads the claim of a record or event (identities and current profile), or <see langword="null"/>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="key">The claim.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The claim.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.IdentityGraph"/>.</exception>
    public virtual ValueTask<ClaimState?> GetClaimAsync(string tenant, ClaimKey key, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.IdentityGraph);

    /// <summary>Reads the person identities that are members of any of the given account identities, ordered.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="accounts">The account identities.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The members' identities, distinct and ordered.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.IdentityGraph"/>.</exception>
    public virtual ValueTask<IReadOnlyList<IdentityKey>> GetMembersAsync(string tenant, IReadOnlyList<IdentityKey> accounts, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.IdentityGraph);

    /// <summary>Reads the account identities a person identity is a member of, ordered.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="members">The person's identities.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The accounts' identities, distinct and ordered.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.IdentityGraph"/>.</exception>
    public virtual ValueTask<IReadOnlyList<IdentityKey>> GetAccountsAsync(string tenant, IReadOnlyList<IdentityKey> members, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.IdentityGraph);

    /// <summary>Reads one event by source and record id (linked or quarantined), or <see langword="null"/>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="source">The source.</param>
    /// <param name="recordId">The source record id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The event.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.IdentityGraph"/>.</exception>
    public virtual ValueTask<EventRow?> GetEventAsync(string tenant, string source, string recordId, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.IdentityGraph);

    /// <summary>Reads the stored version of a merged source record, or <see langword="null"/>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="source">The source.</param>
    /// <param name="recordId">The source record id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.IdentityGraph"/>.</exception>
    public virtual ValueTask<SourceRecordRow?> GetSourceRecordAsync(string tenant, string source, string recordId, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.IdentityGraph);

    /// <summary>Reads the identity row of a normalised identity (its holder and provenance), or <see langword="null"/>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="key">The identity.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The row.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.IdentityGraph"/>.</exception>
    public virtual ValueTask<IdentityRow?> GetIdentityAsync(string tenant, IdentityKey key, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.IdentityGraph);
}

/// <summary>The identity graph capability of a session (<see cref="StoreCapabilities.IdentityGraph"/>).</summary>
public abstract partial class EventLinkStoreSession
{
    /// <summary>Reads the identity row of a normalised identity, or <see langword="null"/>.</summary>
    /// <param name="key">The identity.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The row.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.IdentityGraph"/>.</exception>
    public virtual ValueTask<IdentityRow?> GetIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.IdentityGraph);

    /// <summary>Replaces the conflicts recorded for a set of claims (deletes those of the claims, inserts the given ones).</summary>
    /// <param name="claims">The claims whose conflicts are replaced.</param>
    /// <param name="conflicts">The new conflicts (each of one of those claims).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    /// <remarks>Without <see cref="StoreCapabilities.IdentityGraph"/> the default keeps no conflicts.</remarks>
    public virtual ValueTask ReplaceConflictsAsync(IReadOnlyList<ClaimKey> claims, IReadOnlyList<ConflictRow> conflicts, CancellationToken cancellationToken = default) =>
        ValueTask.CompletedTask;

    /// <summary>Reads the identities kept apart by unmerge rules, ordered.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The identities.</returns>
    /// <remarks>Without <see cref="StoreCapabilities.IdentityGraph"/> no rule can be added: the default returns none.</remarks>
    public virtual ValueTask<IReadOnlyList<IdentityKey>> GetUnmergeRulesAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<IdentityKey>>([]);

    /// <summary>Adds an unmerge rule for an identity (nothing when it exists).</summary>
    /// <param name="identity">The identity to keep apart.</param>
    /// <param name="createdAt">When the rule was made.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.IdentityGraph"/>.</exception>
    public virtual ValueTask AddUnmergeRuleAsync(IdentityKey identity, DateTimeOffset createdAt, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.IdentityGraph);

    /// <summary>Records a membership (nothing when the same member, account, source and record id exist).</summary>
    /// <param name="membership">The membership.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.IdentityGraph"/>.</exception>
    public virtual ValueTask AddMembershipAsync(MembershipRow membership, CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.IdentityGraph);
}

namespace EventLink.Storage;

/// <summary>
/// Identity changes since a version: what lets a process bring its cached identity index up to date after another
/// process wrote the tenant, instead of reading every identity again.
/// </summary>
public abstract partial class EventLinkStoreSession
{
    /// <summary>
    /// Streams the identities of the tenant that changed after <paramref name="sinceVersion"/> (up to
    /// <see cref="Version"/>): each with the profile holding it now, or with <see langword="null"/> when it was
    /// removed. Applied in order to an index that reflected <paramref name="sinceVersion"/>, they yield the index
    /// at <see cref="Version"/>; a key may appear more than once (the last occurrence wins).
    /// </summary>
    /// <remarks>
    /// A store that tracks changes records, with every identity it inserts, updates or deletes, the version the
    /// session's commit produces; it can do so because a store lets one session per tenant write at a time (see
    /// <see cref="EventLinkStore.BeginAsync(string, CancellationToken)"/>) and a commit that changed something grows the version by one.
    /// The default, for stores that track nothing, returns <see langword="null"/>.
    /// </remarks>
    /// <param name="sinceVersion">The version the caller's index reflects; at most <see cref="Version"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The changes, or <see langword="null"/> when the store cannot tell them (it does not track changes, it dropped
    /// the record of removals older than a retention window, or an erasure reset it): the caller then reads the
    /// whole index with <see cref="ReadIdentityIndexAsync"/>.
    /// </returns>
    public virtual IAsyncEnumerable<IdentityChange>? ReadIdentityChangesAsync(long sinceVersion, CancellationToken cancellationToken = default) => null;
}

/// <summary>An identity whose holder changed: the profile holding it now, or none when it was removed.</summary>
/// <param name="Key">The normalised identity.</param>
/// <param name="ProfileId">The profile holding it, or <see langword="null"/> when no profile holds it any more.</param>
public readonly record struct IdentityChange(IdentityKey Key, Guid? ProfileId);

/// <summary>What the stores share about recording identity changes.</summary>
internal static class IdentityChangeLog
{
    /// <summary>
    /// How many versions a store keeps the record of a removed identity for. A process whose index is older than
    /// that reads the whole index again; removals are rare (a record changing its identities, an unmerge), so the
    /// window costs little room while covering hours of busy ingestion.
    /// </summary>
    public const long RemovalRetention = 10_000;
}

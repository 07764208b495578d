namespace EventLink.Storage;

/// <summary>Per-tenant maintenance: erasing every row a tenant owns (<see cref="StoreCapabilities.TenantMaintenance"/>).</summary>
public abstract partial class EventLinkStoreSession
{
    /// <summary>
    /// Deletes every row of the session's tenant in every table the store keeps (profiles, identities, records,
    /// attributes, events, waits, merge history, rejections, the identity graph, the change log, sync progress,
    /// dead letters, tombstones, suppressions, data-quality notes, …). Only the tenant's registration and change
    /// version stay, so the version keeps growing and every cached identity index of the tenant is rebuilt.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many rows were deleted.</returns>
    /// <exception cref="NotSupportedException">The store does not support <see cref="StoreCapabilities.TenantMaintenance"/>.</exception>
    public virtual ValueTask<TenantErasureCounts> EraseTenantAsync(CancellationToken cancellationToken = default) =>
        throw StoreCapabilityGuard.NotSupported(this, StoreCapabilities.TenantMaintenance);
}

/// <summary>What a store deleted when it erased a tenant.</summary>
/// <param name="Profiles">Profile rows deleted (merged-away profiles included).</param>
/// <param name="Events">Event rows deleted (linked and quarantined).</param>
/// <param name="Rows">Rows deleted in all tables together.</param>
public sealed record TenantErasureCounts(long Profiles, long Events, long Rows);

namespace EventLink;

/// <summary>What <see cref="IEventLink.EraseTenantAsync"/> deleted.</summary>
/// <param name="Tenant">The tenant that was erased.</param>
/// <param name="Profiles">Profiles deleted (merged-away profiles included).</param>
/// <param name="Events">Events deleted, linked and quarantined.</param>
/// <param name="Rows">Rows deleted in all of the store's tables together (a store-specific measure of the work done).</param>
public sealed record TenantErasureResult(string Tenant, long Profiles, long Events, long Rows);

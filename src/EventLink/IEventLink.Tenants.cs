namespace EventLink;

/// <summary>Per-tenant operations: erase or export everything a tenant owns.</summary>
public partial interface IEventLink
{
    /// <summary>
    /// Deletes everything the current tenant (<see cref="Tenant"/>) owns, in one atomic unit: profiles, identities,
    /// attributes, records, events, the quarantine, merge history, rejections, the identity graph, the change log
    /// (outbox), sync progress, dead letters, erasure tombstones and data-quality notes. Other tenants are untouched.
    /// Choose the tenant with <see cref="ForTenant"/> (<c>link.ForTenant("acme").EraseTenantAsync()</c>), so that
    /// erasing never depends on an ambient tenant by accident in code that means another.
    /// </summary>
    /// <remarks>
    /// The tenant stays registered with its change version, so every process's cached identity index of the tenant is
    /// rebuilt on its next use; the tenant can ingest again afterwards and starts empty. No erasure notice is queued
    /// to destinations (the change log itself is deleted).
    /// </remarks>
    /// <param name="cancellationToken">Cancels the operation; nothing is deleted when it is cancelled before the commit.</param>
    /// <returns>What was deleted.</returns>
    ValueTask<TenantErasureResult> EraseTenantAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams everything the current tenant (<see cref="Tenant"/>) owns as JSON Lines: one JSON object per line,
    /// each with a <c>type</c> field — a <c>tenant</c> header first, then one <c>profile</c> line per live profile
    /// (with identities, attributes, records and merge history), one <c>event</c> line per stored event (linked or
    /// quarantined), one <c>quarantine</c> line per quarantined record, one <c>rejection</c> line per rejection note and
    /// one <c>conflict</c> line per identity conflict. The format is described in docs/tenants.md.
    /// </summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The lines, without line terminators.</returns>
    IAsyncEnumerable<string> ExportTenantAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the current tenant's data to <paramref name="destination"/> as UTF-8 JSON Lines (each line ended by
    /// <c>\n</c>), as <see cref="ExportTenantAsync(CancellationToken)"/> streams them. The stream is flushed, not closed.
    /// </summary>
    /// <param name="destination">A writable stream.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>The number of lines written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not writable.</exception>
    ValueTask<long> ExportTenantAsync(Stream destination, CancellationToken cancellationToken = default);
}

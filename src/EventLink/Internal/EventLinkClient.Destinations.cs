namespace EventLink.Internal;

/// <summary>Syncs and erasure, on the tenant of the call.</summary>
internal sealed partial class EventLinkClient
{
    public ValueTask<SyncRunResult> RunSyncOnceAsync(string syncName, CancellationToken cancellationToken = default) =>
        _core.Syncs.RunSyncOnceAsync(Tenant, syncName, cancellationToken);

    public async ValueTask<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string syncName, CancellationToken cancellationToken = default)
    {
        var rows = await _core.Syncs.GetDeadLettersAsync(Tenant, syncName, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(d => new DeadLetter(d.Sync, d.Sequence, d.ProfileId, d.IdempotencyKey, d.Attempts, d.LastError, d.DeadAt))];
    }

    public ValueTask<SyncRunResult> RetryDeadLettersAsync(string syncName, CancellationToken cancellationToken = default) =>
        _core.Syncs.RetryDeadLettersAsync(Tenant, syncName, cancellationToken);

    public ValueTask<ErasureResult> ForgetAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        _core.Erasure.ForgetProfileAsync(Tenant, profileId, cancellationToken);

    public ValueTask<ErasureResult> ForgetAsync(string identityKind, string value, CancellationToken cancellationToken = default) =>
        _core.Erasure.ForgetIdentityAsync(Tenant, identityKind, value, cancellationToken);
}

namespace EventLink.Internal;

/// <summary>Computed traits, audiences and triggers of the tenant in use.</summary>
internal sealed partial class EventLinkClient
{
    public ValueTask<ComputedProfile?> GetComputedAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        _core.TraitQueries.GetComputedAsync(Tenant, profileId, cancellationToken);

    public ValueTask<IReadOnlyList<ComputedTrait>?> ComputeTraitsFromHistoryAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        _core.TraitQueries.ComputeTraitsFromHistoryAsync(Tenant, profileId, cancellationToken);

    public ValueTask<ComputedProfile?> RecomputeTraitsAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        _core.TraitQueries.RecomputeTraitsAsync(Tenant, profileId, cancellationToken);

    public ValueTask<TraitsRefreshResult> RefreshTraitsAsync(CancellationToken cancellationToken = default) =>
        _core.TraitQueries.RefreshTraitsAsync(Tenant, cancellationToken);

    public IAsyncEnumerable<AudienceMembership> GetAudienceMembersAsync(string audience, CancellationToken cancellationToken = default) =>
        _core.TraitQueries.GetAudienceMembersAsync(Tenant, audience, cancellationToken);

    public IAsyncEnumerable<TriggerNotification> ReadTriggersAsync(long afterSequence = 0, CancellationToken cancellationToken = default) =>
        _core.TraitQueries.ReadTriggersAsync(Tenant, afterSequence, cancellationToken);
}

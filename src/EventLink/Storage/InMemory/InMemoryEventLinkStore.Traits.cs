using System.Runtime.CompilerServices;

namespace EventLink.Storage.InMemory;

/// <summary>Computed traits, audience memberships and the trigger log of the in-memory store.</summary>
public sealed partial class InMemoryEventLinkStore
{
    /// <inheritdoc />
    public override ValueTask<ComputedStateRow> ReadComputedStateAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default) =>
        WithTenantAsync(tenant, state => state.Computed.TryGetValue(profileId, out var row) ? row : ComputedStateRow.Empty, cancellationToken);

    /// <inheritdoc />
    public override async IAsyncEnumerable<AudienceMemberRow> ReadAudienceMembersAsync(string tenant, string audience, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var members = await WithTenantAsync(tenant, state => state.Computed
            .SelectMany(c => c.Value.Audiences.Where(a => a.Audience == audience))
            .OrderBy(a => a.ProfileId)
            .ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var member in members)
        {
            yield return member;
        }
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<TriggerRow>> ReadTriggersAsync(string tenant, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        WithTenantAsync<IReadOnlyList<TriggerRow>>(tenant, state => state.Triggers
            .Where(t => t.Sequence > afterSequence)
            .Take(Math.Max(0, limit))
            .Select(t => t.Row.Sequence == t.Sequence ? t.Row : t.Row with { Sequence = t.Sequence })
            .ToList(), cancellationToken);
}

using EventLink.Storage;

namespace EventLink.PostgreSql;

/// <summary>Computed traits, audience memberships and the trigger log: reads.</summary>
public sealed partial class PostgreSqlEventLinkStore
{
    /// <inheritdoc />
    public override ValueTask<ComputedStateRow> ReadComputedStateAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default) =>
        _traitsQueries.ReadComputedStateAsync(tenant, profileId, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<AudienceMemberRow> ReadAudienceMembersAsync(string tenant, string audience, CancellationToken cancellationToken = default) =>
        _traitsQueries.ReadAudienceMembersAsync(tenant, audience, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<TriggerRow>> ReadTriggersAsync(string tenant, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        _traitsQueries.ReadTriggersAsync(tenant, afterSequence, limit, cancellationToken);
}

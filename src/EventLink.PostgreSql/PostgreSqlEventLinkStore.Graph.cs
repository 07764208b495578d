using EventLink.Storage;

namespace EventLink.PostgreSql;

/// <summary>The identity graph's reads: they take no lock, and a read of several tables sees one snapshot.</summary>
public sealed partial class PostgreSqlEventLinkStore
{
    /// <inheritdoc />
    public override IAsyncEnumerable<ConflictRow> ReadConflictsAsync(string tenant, CancellationToken cancellationToken = default) =>
        _graphQueries.ReadConflictsAsync(tenant, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<ClaimState?> GetClaimAsync(string tenant, ClaimKey key, CancellationToken cancellationToken = default) =>
        _graphQueries.GetClaimAsync(tenant, key, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<IdentityKey>> GetMembersAsync(string tenant, IReadOnlyList<IdentityKey> accounts, CancellationToken cancellationToken = default) =>
        _graphQueries.GetMembersAsync(tenant, accounts, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<IdentityKey>> GetAccountsAsync(string tenant, IReadOnlyList<IdentityKey> members, CancellationToken cancellationToken = default) =>
        _graphQueries.GetAccountsAsync(tenant, members, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<EventRow?> GetEventAsync(string tenant, string source, string recordId, CancellationToken cancellationToken = default) =>
        _graphQueries.GetEventAsync(tenant, source, recordId, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<SourceRecordRow?> GetSourceRecordAsync(string tenant, string source, string recordId, CancellationToken cancellationToken = default) =>
        _graphQueries.GetSourceRecordAsync(tenant, source, recordId, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IdentityRow?> GetIdentityAsync(string tenant, IdentityKey key, CancellationToken cancellationToken = default) =>
        _graphQueries.GetIdentityAsync(tenant, key, cancellationToken);
}

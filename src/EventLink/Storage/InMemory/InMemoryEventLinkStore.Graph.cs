using System.Runtime.CompilerServices;

namespace EventLink.Storage.InMemory;

/// <summary>The identity graph reads of the in-memory store.</summary>
public sealed partial class InMemoryEventLinkStore
{
    /// <inheritdoc />
    public override async IAsyncEnumerable<ConflictRow> ReadConflictsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var rows = await WithTenantAsync(tenant, state => state.Conflicts
            .OrderBy(p => p.Key)
            .SelectMany(p => p.Value.OrderBy(c => c.Identity))
            .ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            yield return row;
        }
    }

    /// <inheritdoc />
    public override ValueTask<ClaimState?> GetClaimAsync(string tenant, ClaimKey key, CancellationToken cancellationToken = default) =>
        WithTenantAsync(tenant, state => ReadClaim(state, key), cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<IdentityKey>> GetMembersAsync(string tenant, IReadOnlyList<IdentityKey> accounts, CancellationToken cancellationToken = default) =>
        WithTenantAsync(tenant, state => (IReadOnlyList<IdentityKey>)state.Memberships
            .Where(m => accounts.Contains(m.Account))
            .Select(m => m.Member)
            .Distinct()
            .Order()
            .ToList(), cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<IdentityKey>> GetAccountsAsync(string tenant, IReadOnlyList<IdentityKey> members, CancellationToken cancellationToken = default) =>
        WithTenantAsync(tenant, state => (IReadOnlyList<IdentityKey>)state.Memberships
            .Where(m => members.Contains(m.Member))
            .Select(m => m.Account)
            .Distinct()
            .Order()
            .ToList(), cancellationToken);

    /// <inheritdoc />
    public override ValueTask<EventRow?> GetEventAsync(string tenant, string source, string recordId, CancellationToken cancellationToken = default) =>
        WithTenantAsync(tenant, state => state.EventKeys.TryGetValue(new RecordKey(source, recordId), out var id) ? state.Events[id] : null, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<SourceRecordRow?> GetSourceRecordAsync(string tenant, string source, string recordId, CancellationToken cancellationToken = default) =>
        WithTenantAsync(tenant, state => state.SourceRecords.TryGetValue(new RecordKey(source, recordId), out var row) ? row : null, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IdentityRow?> GetIdentityAsync(string tenant, IdentityKey key, CancellationToken cancellationToken = default) =>
        WithTenantAsync(tenant, state => state.Identities.TryGetValue(key, out var row) ? row : null, cancellationToken);

    internal static ClaimState? ReadClaim(InMemoryTenant state, ClaimKey key)
    {
        if (!state.Claims.TryGetValue(key, out var claim))
        {
            return null;
        }

        Guid? profile = null;
        long? eventId = null;
        if (key.Kind == ClaimKind.Record)
        {
            profile = state.SourceRecords.TryGetValue(new RecordKey(key.Source, key.RecordId), out var record) ? record.ProfileId : null;
        }
        else if (state.EventKeys.TryGetValue(new RecordKey(key.Source, key.RecordId), out var id))
        {
            eventId = id;
            profile = state.Events[id].ProfileId;
        }

        return new ClaimState(key, claim.RecordType, claim.FirstOccurredAt, claim.Identities.ToList(), profile, eventId);
    }
}

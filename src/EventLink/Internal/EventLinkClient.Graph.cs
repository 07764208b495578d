namespace EventLink.Internal;

/// <summary>The identity graph calls, on the caller's tenant.</summary>
internal sealed partial class EventLinkClient
{
    public IAsyncEnumerable<IdentityConflict> GetConflictsAsync(CancellationToken cancellationToken = default) =>
        _core.GetConflictsAsync(Tenant, cancellationToken);

    public ValueTask<RecordExplanation?> ExplainAsync(string source, string recordId, CancellationToken cancellationToken = default) =>
        _core.ExplainAsync(Tenant, source, recordId, cancellationToken);

    public ValueTask<UnmergeResult> UnmergeAsync(string identityKind, string value, CancellationToken cancellationToken = default) =>
        _core.UnmergeAsync(Tenant, identityKind, value, cancellationToken);

    public ValueTask<IdentityRulesPreview> PreviewIdentityRulesAsync(Action<EventLinkSchemaOptions> change, CancellationToken cancellationToken = default) =>
        _core.PreviewIdentityRulesAsync(Tenant, change, cancellationToken);

    public IAsyncEnumerable<TimelineEvent> GetAccountTimelineAsync(Guid accountId, TimelineQuery? query = null, CancellationToken cancellationToken = default) =>
        _core.GetAccountTimelineAsync(Tenant, accountId, query, cancellationToken);

    public IAsyncEnumerable<Profile> GetAccountMembersAsync(Guid accountId, CancellationToken cancellationToken = default) =>
        _core.GetAccountMembersAsync(Tenant, accountId, cancellationToken);
}

namespace EventLink.Internal;

/// <summary>The identity graph calls, on the caller's tenant.</summary>
internal sealed partial class EventLinkClient
{
    public IAsyncEnumerable<IdentityConflict> GetConflictsAsync(CancellationToken cancellationToken = default) =>
        _core.GraphQueries.GetConflictsAsync(Tenant, cancellationToken);

    public ValueTask<RecordExplanation?> ExplainAsync(string source, string recordId, CancellationToken cancellationToken = default) =>
        _core.GraphQueries.ExplainAsync(Tenant, source, recordId, cancellationToken);

    public ValueTask<UnmergeResult> UnmergeAsync(string identityKind, string value, CancellationToken cancellationToken = default) =>
        _core.GraphQueries.UnmergeAsync(Tenant, identityKind, value, cancellationToken);

    public ValueTask<IdentityRulesPreview> PreviewIdentityRulesAsync(Action<EventLinkSchemaOptions> change, CancellationToken cancellationToken = default) =>
        _core.GraphQueries.PreviewIdentityRulesAsync(Tenant, change, cancellationToken);

    public IAsyncEnumerable<TimelineEvent> GetAccountTimelineAsync(Guid accountId, TimelineQuery? query = null, CancellationToken cancellationToken = default) =>
        _core.GraphQueries.GetAccountTimelineAsync(Tenant, accountId, query, cancellationToken);

    public IAsyncEnumerable<Profile> GetAccountMembersAsync(Guid accountId, CancellationToken cancellationToken = default) =>
        _core.GraphQueries.GetAccountMembersAsync(Tenant, accountId, cancellationToken);
}

namespace EventLink;

/// <summary>The identity graph: conflicts, explanations, unmerge, rule previews and account timelines.</summary>
public partial interface IEventLink
{
    /// <summary>Streams the identities left out of profiles because applying them would break a limit or an unmerge rule.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conflicts, ordered by record then identity.</returns>
    IAsyncEnumerable<IdentityConflict> GetConflictsAsync(CancellationToken cancellationToken = default);

    /// <summary>Explains why a record is where it is: the relation field and identity that linked it, the record that brought that identity, and the merges that formed the profile.</summary>
    /// <param name="source">The record's source.</param>
    /// <param name="recordId">The source record id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The explanation, or <see langword="null"/> when no such record is stored.</returns>
    ValueTask<RecordExplanation?> ExplainAsync(string source, string recordId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Splits an identity, and the records that carry it, off its profile into a profile of their own, and keeps it apart
    /// from now on: events re-link, each side's attributes come from its own records, and the split is recorded in history.
    /// </summary>
    /// <param name="identityKind">The identity kind.</param>
    /// <param name="value">The raw value.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Where the identity was and is.</returns>
    ValueTask<UnmergeResult> UnmergeAsync(string identityKind, string value, CancellationToken cancellationToken = default);

    /// <summary>Reports which profiles would merge, split or change under changed identity rules (priorities, limits, blocked values), changing nothing.</summary>
    /// <param name="change">Changes a copy of the schema options.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The changes the new rules would make.</returns>
    ValueTask<IdentityRulesPreview> PreviewIdentityRulesAsync(Action<EventLinkSchemaOptions> change, CancellationToken cancellationToken = default);

    /// <summary>Streams the timeline of an account: its own events and those of every member, across all sources, in occurred-at order.</summary>
    /// <param name="accountId">The account's profile id.</param>
    /// <param name="query">An optional window and filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The events.</returns>
    IAsyncEnumerable<TimelineEvent> GetAccountTimelineAsync(Guid accountId, TimelineQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Streams the member profiles of an account, ordered by id.</summary>
    /// <param name="accountId">The account's profile id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The members.</returns>
    IAsyncEnumerable<Profile> GetAccountMembersAsync(Guid accountId, CancellationToken cancellationToken = default);
}

namespace EventLink;

/// <summary>
/// Ingests records from any source, links them to unified profiles, and answers profile, timeline, quarantine
/// and coverage questions. Thread-safe. Calls act on the ambient tenant (see <see cref="ITenantAccessor"/>,
/// else <see cref="EventLinkOptions.DefaultTenant"/>) unless made through <see cref="ForTenant"/>.
/// Disposing an instance built by <see cref="EventLinkBuilder.Build"/> releases its store; disposing one
/// resolved from a service provider, or a <see cref="ForTenant"/> view, does nothing (the container owns it).
/// Both <see cref="IAsyncDisposable.DisposeAsync"/> and <see cref="IDisposable.Dispose"/> release it, so a container
/// disposed synchronously releases EventLink too.
/// </summary>
public partial interface IEventLink : IAsyncDisposable, IDisposable
{
    /// <summary>Gets the schema in use.</summary>
    EventLinkSchema Schema { get; }

    /// <summary>Gets the tenant this instance acts on now.</summary>
    string Tenant { get; }

    /// <summary>Returns a view of EventLink that acts on one tenant, whatever the ambient tenant is.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <returns>The view.</returns>
    IEventLink ForTenant(string tenant);

    /// <summary>Ingests one record durably; bad data never throws but comes back as <see cref="IngestOutcome.Rejected"/>.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What ingesting the record did.</returns>
    ValueTask<IngestResult> IngestAsync(IngestRecord record, CancellationToken cancellationToken = default);

    /// <summary>Ingests a batch atomically: when the call returns, every accepted record is stored.</summary>
    /// <param name="records">The records.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One result per record, in order.</returns>
    ValueTask<IReadOnlyList<IngestResult>> IngestAsync(IEnumerable<IngestRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Ingests a stream in batches of <see cref="EventLinkOptions.BatchSize"/>; each result is yielded once its batch is stored.</summary>
    /// <param name="records">The records.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One result per record, in order.</returns>
    IAsyncEnumerable<IngestResult> IngestAsync(IAsyncEnumerable<IngestRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Gets a profile by id; an id that was merged away finds the profile it became part of.</summary>
    /// <param name="profileId">The profile id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The profile, or <see langword="null"/>.</returns>
    ValueTask<Profile?> GetProfileAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Finds a profile by an identity, normalised as its kind says (so <c>" Ada@Example.COM "</c> finds <c>ada@example.com</c>).</summary>
    /// <param name="identityKind">The identity kind, such as <see cref="IdentityKinds.Email"/>.</param>
    /// <param name="value">The raw value.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The profile, or <see langword="null"/>.</returns>
    ValueTask<Profile?> FindProfileAsync(string identityKind, string value, CancellationToken cancellationToken = default);

    /// <summary>Streams every live profile, ordered by id.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The profiles.</returns>
    IAsyncEnumerable<Profile> GetProfilesAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams a profile's events across all sources, ordered by occurred-at, then source, then record id.</summary>
    /// <param name="profileId">The profile id (a merged-away id reads its survivor's timeline).</param>
    /// <param name="query">An optional window and filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The events.</returns>
    IAsyncEnumerable<TimelineEvent> GetTimelineAsync(Guid profileId, TimelineQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Streams the quarantine, ordered by record type, source and record id.</summary>
    /// <param name="recordType">Only this record type, when given.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The quarantined records.</returns>
    IAsyncEnumerable<QuarantinedRecord> GetQuarantineAsync(string? recordType = null, CancellationToken cancellationToken = default);

    /// <summary>Re-reads every quarantined record with the current schema and links those that now match.</summary>
    /// <param name="recordType">Only this record type, when given.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many were examined, linked and left.</returns>
    ValueTask<QuarantineReplayResult> ReplayQuarantineAsync(string? recordType = null, CancellationToken cancellationToken = default);

    /// <summary>Streams the rejection notes (one per distinct bad record), ordered by record type, source and key.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The notes.</returns>
    IAsyncEnumerable<RejectedRecord> GetRejectionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Reports, per record type, how many records are linked, quarantined and rejected, and how many distinct profiles they reach.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The report.</returns>
    ValueTask<CoverageReport> GetCoverageAsync(CancellationToken cancellationToken = default);
}

/// <summary>Supplies the ambient tenant, for example from the current HTTP request.</summary>
public interface ITenantAccessor
{
    /// <summary>Gets the current tenant, or <see langword="null"/> for the default one.</summary>
    string? CurrentTenant { get; }
}

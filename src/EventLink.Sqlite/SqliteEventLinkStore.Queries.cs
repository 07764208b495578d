using EventLink.Sqlite.Destinations.Internal;
using EventLink.Sqlite.IdentityGraph.Internal;
using EventLink.Sqlite.Profiles.Internal;
using EventLink.Sqlite.Quality.Internal;
using EventLink.Sqlite.Quarantine.Internal;
using EventLink.Sqlite.Timeline.Internal;
using EventLink.Sqlite.Traits.Internal;
using EventLink.Storage;

namespace EventLink.Sqlite;

/// <summary>
/// Queries: each feature's live in its folder (<c>Profiles/</c>, <c>Timeline/</c>, <c>IdentityGraph/</c>…); the store
/// forwards to them. Each runs on its own pooled connection, in a read transaction (one consistent snapshot).
/// </summary>
public sealed partial class SqliteEventLinkStore
{
    private SqliteProfileQueries? _profiles;
    private SqliteTimelineQueries? _timeline;
    private SqliteQuarantineQueries? _quarantine;
    private SqliteGraphQueries? _graph;
    private SqliteDestinationQueries? _destinations;
    private SqliteQualityQueries? _quality;
    private SqliteTraitQueries? _traits;

    private SqliteProfileQueries Profiles => _profiles ??= new SqliteProfileQueries(this);

    private SqliteTimelineQueries Timeline => _timeline ??= new SqliteTimelineQueries(this);

    private SqliteQuarantineQueries Quarantine => _quarantine ??= new SqliteQuarantineQueries(this);

    private SqliteGraphQueries Graph => _graph ??= new SqliteGraphQueries(this);

    private SqliteDestinationQueries Destinations => _destinations ??= new SqliteDestinationQueries(this);

    private SqliteQualityQueries Quality => _quality ??= new SqliteQualityQueries(this);

    private SqliteTraitQueries Traits => _traits ??= new SqliteTraitQueries(this);

    /// <inheritdoc />
    public override ValueTask<Guid?> FindProfileIdAsync(string tenant, IdentityKey key, CancellationToken cancellationToken = default) =>
        Profiles.FindProfileIdAsync(tenant, key, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<StoredProfile?> GetProfileAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default) =>
        Profiles.GetProfileAsync(tenant, profileId, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<Guid?> ResolveProfileIdAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default) =>
        Profiles.ResolveProfileIdAsync(tenant, profileId, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<StoredProfile> ReadProfilesAsync(string tenant, CancellationToken cancellationToken = default) =>
        Profiles.ReadProfilesAsync(tenant, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<EventRow> ReadTimelineAsync(string tenant, Guid profileId, TimelineQuery query, CancellationToken cancellationToken = default) =>
        Timeline.ReadTimelineAsync(tenant, profileId, query, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<EventRow> ReadEventsAsync(string tenant, CancellationToken cancellationToken = default) =>
        Timeline.ReadEventsAsync(tenant, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<QuarantineEntry> ReadQuarantineAsync(string tenant, string? recordType, CancellationToken cancellationToken = default) =>
        Quarantine.ReadQuarantineAsync(tenant, recordType, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<RejectionRow> ReadRejectionsAsync(string tenant, CancellationToken cancellationToken = default) =>
        Quarantine.ReadRejectionsAsync(tenant, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<CoverageCounts>> GetCoverageCountsAsync(string tenant, CancellationToken cancellationToken = default) =>
        Quarantine.GetCoverageCountsAsync(tenant, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<ConflictRow> ReadConflictsAsync(string tenant, CancellationToken cancellationToken = default) =>
        Graph.ReadConflictsAsync(tenant, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<ClaimState?> GetClaimAsync(string tenant, ClaimKey key, CancellationToken cancellationToken = default) =>
        Graph.GetClaimAsync(tenant, key, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<IdentityKey>> GetMembersAsync(string tenant, IReadOnlyList<IdentityKey> accounts, CancellationToken cancellationToken = default) =>
        Graph.GetMembersAsync(tenant, accounts, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<IdentityKey>> GetAccountsAsync(string tenant, IReadOnlyList<IdentityKey> members, CancellationToken cancellationToken = default) =>
        Graph.GetAccountsAsync(tenant, members, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<EventRow?> GetEventAsync(string tenant, string source, string recordId, CancellationToken cancellationToken = default) =>
        Graph.GetEventAsync(tenant, source, recordId, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<SourceRecordRow?> GetSourceRecordAsync(string tenant, string source, string recordId, CancellationToken cancellationToken = default) =>
        Graph.GetSourceRecordAsync(tenant, source, recordId, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IdentityRow?> GetIdentityAsync(string tenant, IdentityKey key, CancellationToken cancellationToken = default) =>
        Graph.GetIdentityAsync(tenant, key, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<ChangeRow>> ReadChangesAsync(string tenant, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        Destinations.ReadChangesAsync(tenant, afterSequence, limit, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<SyncStateRow?> GetSyncStateAsync(string tenant, string sync, CancellationToken cancellationToken = default) =>
        Destinations.GetSyncStateAsync(tenant, sync, cancellationToken);

    /// <inheritdoc />
    public override ValueTask SaveSyncStateAsync(string tenant, SyncStateRow state, DeadLetterRow? deadLetter, CancellationToken cancellationToken = default) =>
        Destinations.SaveSyncStateAsync(tenant, state, deadLetter, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<DeadLetterRow>> ReadDeadLettersAsync(string tenant, string sync, CancellationToken cancellationToken = default) =>
        Destinations.ReadDeadLettersAsync(tenant, sync, cancellationToken);

    /// <inheritdoc />
    public override ValueTask RemoveDeadLetterAsync(string tenant, string sync, long sequence, CancellationToken cancellationToken = default) =>
        Destinations.RemoveDeadLetterAsync(tenant, sync, sequence, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyDictionary<string, long>> GetSuppressionCountsAsync(string tenant, CancellationToken cancellationToken = default) =>
        Destinations.GetSuppressionCountsAsync(tenant, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<QualityNoteCount>> GetQualityNoteCountsAsync(string tenant, CancellationToken cancellationToken = default) =>
        Quality.GetQualityNoteCountsAsync(tenant, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<FieldObservationRow> ReadFieldObservationsAsync(string tenant, CancellationToken cancellationToken = default) =>
        Quality.ReadFieldObservationsAsync(tenant, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<HourlyCountRow> ReadHourlyCountsAsync(string tenant, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Quality.ReadHourlyCountsAsync(tenant, from, to, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<EventNameCountRow>> CountEventsByNameAsync(string tenant, DateTimeOffset? occurredBefore, CancellationToken cancellationToken = default) =>
        Quality.CountEventsByNameAsync(tenant, occurredBefore, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<ComputedStateRow> ReadComputedStateAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default) =>
        Traits.ReadComputedStateAsync(tenant, profileId, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<AudienceMemberRow> ReadAudienceMembersAsync(string tenant, string audience, CancellationToken cancellationToken = default) =>
        Traits.ReadAudienceMembersAsync(tenant, audience, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<TriggerRow>> ReadTriggersAsync(string tenant, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        Traits.ReadTriggersAsync(tenant, afterSequence, limit, cancellationToken);
}

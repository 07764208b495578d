using EventLink.Sqlite.Destinations.Internal;
using EventLink.Sqlite.Identity.Internal;
using EventLink.Sqlite.IdentityGraph.Internal;
using EventLink.Sqlite.Privacy.Internal;
using EventLink.Sqlite.Quality.Internal;
using EventLink.Sqlite.Tenants.Internal;
using EventLink.Sqlite.Traits.Internal;
using EventLink.Storage;

namespace EventLink.Sqlite.Internal;

/// <summary>
/// The session's optional capabilities: each forwards to its feature's class, created on first use and sharing the
/// session's transaction through <see cref="SqliteSessionContext"/>.
/// </summary>
internal sealed partial class SqliteStoreSession
{
    private SqliteGraphWrites? _graph;
    private SqliteDestinationWrites? _destinations;
    private SqlitePrivacyWrites? _privacy;
    private SqliteQualityWrites? _quality;
    private SqliteTenantWrites? _tenants;
    private SqliteTraitWrites? _traits;

    private SqliteGraphWrites Graph => _graph ??= new SqliteGraphWrites(_context);

    private SqliteDestinationWrites Destinations => _destinations ??= new SqliteDestinationWrites(_context);

    private SqlitePrivacyWrites Privacy => _privacy ??= new SqlitePrivacyWrites(_context);

    private SqliteQualityWrites Quality => _quality ??= new SqliteQualityWrites(_context);

    private SqliteTenantWrites Tenants => _tenants ??= new SqliteTenantWrites(_context);

    private SqliteTraitWrites Traits => _traits ??= new SqliteTraitWrites(_context);

    // The identity graph: claims, identities, conflicts, unmerge rules, memberships, merges and history.
    public override ValueTask UpsertClaimAsync(ClaimKey key, string recordType, DateTimeOffset occurredAt, IReadOnlyList<IdentityKey> identities, CancellationToken cancellationToken = default) =>
        Graph.UpsertClaimAsync(key, recordType, occurredAt, identities, cancellationToken);

    public override ValueTask<ClaimState?> GetClaimAsync(ClaimKey key, CancellationToken cancellationToken = default) =>
        Graph.GetClaimAsync(key, cancellationToken);

    public override ValueTask<IReadOnlyList<ClaimKey>> GetClaimsByIdentityAsync(IdentityKey identity, CancellationToken cancellationToken = default) =>
        Graph.GetClaimsByIdentityAsync(identity, cancellationToken);

    public override ValueTask<IReadOnlyList<IReadOnlyList<ClaimKey>>> GetClaimsByIdentitiesAsync(IReadOnlyList<IdentityKey> identities, CancellationToken cancellationToken = default) =>
        Graph.GetClaimsByIdentitiesAsync(identities, cancellationToken);

    public override ValueTask SetIdentitiesAsync(IReadOnlyList<IdentityRow> identities, CancellationToken cancellationToken = default) =>
        Graph.SetIdentitiesAsync(identities, cancellationToken);

    public override ValueTask<IdentityRow?> GetIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default) =>
        Graph.GetIdentityAsync(key, cancellationToken);

    public override ValueTask SetIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default) =>
        Graph.SetIdentityAsync(identity, cancellationToken);

    public override ValueTask RemoveIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default) =>
        Graph.RemoveIdentityAsync(key, cancellationToken);

    public override ValueTask<IReadOnlyList<EventRow>> GetEventsOfProfileAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        Graph.GetEventsOfProfileAsync(profileId, cancellationToken);

    public override ValueTask UnlinkEventAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default) =>
        Graph.UnlinkEventAsync(eventId, reason, message, cancellationToken);

    public override ValueTask ReplaceConflictsAsync(IReadOnlyList<ClaimKey> claims, IReadOnlyList<ConflictRow> conflicts, CancellationToken cancellationToken = default) =>
        Graph.ReplaceConflictsAsync(claims, conflicts, cancellationToken);

    public override ValueTask<IReadOnlyList<IdentityKey>> GetUnmergeRulesAsync(CancellationToken cancellationToken = default) =>
        Graph.GetUnmergeRulesAsync(cancellationToken);

    public override ValueTask AddUnmergeRuleAsync(IdentityKey identity, DateTimeOffset createdAt, CancellationToken cancellationToken = default) =>
        Graph.AddUnmergeRuleAsync(identity, createdAt, cancellationToken);

    public override ValueTask AddMembershipAsync(MembershipRow membership, CancellationToken cancellationToken = default) =>
        Graph.AddMembershipAsync(membership, cancellationToken);

    public override ValueTask AddHistoryAsync(MergeRow entry, CancellationToken cancellationToken = default) =>
        Graph.AddHistoryAsync(entry, cancellationToken);

    public override ValueTask MergeProfilesAsync(MergeRow merge, CancellationToken cancellationToken = default) =>
        Graph.MergeProfilesAsync(merge, cancellationToken);

    // The identity log.
    public override IAsyncEnumerable<IdentityChange>? ReadIdentityChangesAsync(long sinceVersion, CancellationToken cancellationToken = default) =>
        _context.IdentityLog.ReadIdentityChangesAsync(sinceVersion, cancellationToken);

    // The change log, sync progress and dead letters.
    public override ValueTask AppendChangeAsync(ChangeRow change, CancellationToken cancellationToken = default) =>
        Destinations.AppendChangeAsync(change, cancellationToken);

    internal void SaveSyncState(SyncStateRow state, DeadLetterRow? deadLetter) => Destinations.SaveSyncState(state, deadLetter);

    internal void RemoveDeadLetter(string sync, long sequence) => Destinations.RemoveDeadLetter(sync, sequence);

    // Tombstones, suppressions and erasure.
    public override ValueTask<IReadOnlySet<string>> ReadTombstonesAsync(CancellationToken cancellationToken = default) =>
        Privacy.ReadTombstonesAsync(cancellationToken);

    public override ValueTask AddSuppressionAsync(SuppressionRow suppression, CancellationToken cancellationToken = default) =>
        Privacy.AddSuppressionAsync(suppression, cancellationToken);

    public override ValueTask<ErasureCounts> ForgetAsync(Guid? profileId, IReadOnlyList<IdentityKey> identities, IReadOnlyList<string> tombstones, ChangeRow? notice, CancellationToken cancellationToken = default) =>
        Privacy.ForgetAsync(profileId, identities, tombstones, notice, cancellationToken);

    // Data quality.
    public override ValueTask AddQualityNoteAsync(QualityNoteRow note, CancellationToken cancellationToken = default) =>
        Quality.AddQualityNoteAsync(note, cancellationToken);

    public override ValueTask<IReadOnlyList<bool>> ObserveFieldsAsync(IReadOnlyList<FieldObservationRow> rows, CancellationToken cancellationToken = default) =>
        Quality.ObserveFieldsAsync(rows, cancellationToken);

    public override ValueTask AddHourlyCountsAsync(IReadOnlyList<HourlyCountRow> rows, CancellationToken cancellationToken = default) =>
        Quality.AddHourlyCountsAsync(rows, cancellationToken);

    // Tenant erasure.
    public override ValueTask<TenantErasureCounts> EraseTenantAsync(CancellationToken cancellationToken = default) =>
        Tenants.EraseTenantAsync(cancellationToken);

    // Computed traits, audiences and triggers.
    public override ValueTask<ComputedStateRow> GetComputedStateAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        Traits.GetComputedStateAsync(profileId, cancellationToken);

    public override ValueTask SaveComputedStateAsync(Guid profileId, ComputedStateRow state, CancellationToken cancellationToken = default) =>
        Traits.SaveComputedStateAsync(profileId, state, cancellationToken);

    public override ValueTask UpdateComputedStateAsync(Guid profileId, ComputedStateRow previous, ComputedStateRow state, CancellationToken cancellationToken = default) =>
        Traits.UpdateComputedStateAsync(profileId, previous, state, cancellationToken);

    public override ValueTask AppendTriggerAsync(TriggerRow trigger, CancellationToken cancellationToken = default) =>
        Traits.AppendTriggerAsync(trigger, cancellationToken);

    public override ValueTask<IReadOnlyList<Guid>> GetDueProfilesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        Traits.GetDueProfilesAsync(now, limit, cancellationToken);

    public override ValueTask<long> ForgetComputedAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        Traits.ForgetComputedAsync(profileId, cancellationToken);

    // The event's row or its late link (see SqliteEventLinks).
    public override ValueTask<Guid?> GetEventProfileAsync(long eventId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _context.Command(SqliteEventLinks.ProfileOfEvent, "$event");
        command.Parameters[1].Value = eventId;
        return ValueTask.FromResult(command.ExecuteScalar() is byte[] blob ? new Guid(blob, bigEndian: true) : (Guid?)null);
    }
}

using EventLink.PostgreSql.Destinations.Internal;
using EventLink.PostgreSql.IdentityGraph.Internal;
using EventLink.PostgreSql.Quality.Internal;
using EventLink.PostgreSql.Tenants.Internal;
using EventLink.PostgreSql.Traits.Internal;
using EventLink.Storage;
using Npgsql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// A session of the PostgreSQL store: one connection and one transaction that holds the tenant's advisory lock,
/// exclusively (writers that may change profiles and identities take turns across processes) or shared (append-only
/// sessions write side by side). Every statement is prepared (Npgsql keeps prepared statements per physical
/// connection, so a pooled connection prepares each one once).
/// </summary>
/// <remarks>
/// The session holds the session-wide state (<see cref="PostgreSqlSessionContext"/>: the connection, the working set,
/// the write buffers and the deferred writes) and forwards each store primitive to the class of its feature.
/// </remarks>
internal sealed class PostgreSqlStoreSession : EventLinkStoreSession
{
    private readonly PostgreSqlSessionContext _context;
    private readonly bool _appendOnly;
    private readonly PostgreSqlSessionProfiles _profiles;
    private readonly PostgreSqlSessionEvents _events;
    private readonly PostgreSqlSessionGraph _graph;
    private readonly PostgreSqlSessionIdentityLog _identityLog;
    private readonly PostgreSqlSessionOutbox _outbox;
    private readonly PostgreSqlSessionQuality _quality;
    private readonly PostgreSqlSessionTraits _traits;
    private readonly PostgreSqlSessionTenants _tenants;
    private bool _committed;

    private PostgreSqlStoreSession(PostgreSqlSessionContext context, int bulkThreshold, long identityLogFrom, bool appendOnly)
    {
        _context = context;
        _appendOnly = appendOnly;
        _identityLog = new PostgreSqlSessionIdentityLog(context, identityLogFrom);
        _profiles = new PostgreSqlSessionProfiles(context);
        _events = new PostgreSqlSessionEvents(context, bulkThreshold);
        _graph = new PostgreSqlSessionGraph(context);
        _outbox = new PostgreSqlSessionOutbox(context, _identityLog);
        _quality = new PostgreSqlSessionQuality(context);
        _traits = new PostgreSqlSessionTraits(context);
        _tenants = new PostgreSqlSessionTenants(context, _identityLog);
    }

    public override long Version => _context.Version;

    public override bool Prefetches => true;

    public static async ValueTask<PostgreSqlStoreSession> BeginAsync(NpgsqlDataSource dataSource, PostgreSqlSql sql, string tenant, int bulkThreshold, StoreSessionMode mode, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

            // The lock is held until commit or rollback; each later statement (read committed) sees everything the
            // previous holder committed. Append-only sessions share it: they change nothing another one reads.
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    // Row-level security: the tenant this transaction may see (defence in depth; every statement also filters by tenant).
                    BatchCommand(PostgreSqlRowSecurity.SetTenantLocal, Text(tenant)),
                    BatchCommand(mode == StoreSessionMode.AppendOnly ? sql.LockShared : sql.Lock, Text(tenant), Text(sql.Schema)),
                    BatchCommand(sql.EnsureTenant, Text(tenant)),
                },
            };
            await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
            long version, identityLogFrom;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) ||
                    !await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) ||
                    !await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"The tenant row of '{tenant}' is missing.");
                }

                version = reader.GetInt64(0);
                identityLogFrom = reader.GetInt64(1);
            }

            return new PostgreSqlStoreSession(new PostgreSqlSessionContext(sql, tenant, connection, transaction, version), bulkThreshold, identityLogFrom, mode == StoreSessionMode.AppendOnly);
        }
        catch
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override ValueTask PrefetchAsync(BatchReadSet reads, CancellationToken cancellationToken = default) =>
        _context.Cache.PrefetchAsync(reads, cancellationToken);

    public override ValueTask UpsertClaimAsync(ClaimKey key, string recordType, DateTimeOffset occurredAt, IReadOnlyList<IdentityKey> identities, CancellationToken cancellationToken = default) =>
        _graph.UpsertClaimAsync(key, recordType, occurredAt, identities, cancellationToken);

    public override ValueTask<ClaimState?> GetClaimAsync(ClaimKey key, CancellationToken cancellationToken = default) =>
        _graph.GetClaimAsync(key, cancellationToken);

    public override ValueTask<IReadOnlyList<ClaimKey>> GetClaimsByIdentityAsync(IdentityKey identity, CancellationToken cancellationToken = default) =>
        _graph.GetClaimsByIdentityAsync(identity, cancellationToken);

    public override ValueTask<IdentityRow?> GetIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default) =>
        _graph.GetIdentityAsync(key, cancellationToken);

    public override ValueTask SetIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default) =>
        _graph.SetIdentityAsync(identity, cancellationToken);

    public override ValueTask RemoveIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default) =>
        _graph.RemoveIdentityAsync(key, cancellationToken);

    public override ValueTask<IReadOnlyList<EventRow>> GetEventsOfProfileAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        _graph.GetEventsOfProfileAsync(profileId, cancellationToken);

    public override ValueTask UnlinkEventAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default) =>
        _graph.UnlinkEventAsync(eventId, reason, message, cancellationToken);

    public override ValueTask ReplaceConflictsAsync(IReadOnlyList<ClaimKey> claims, IReadOnlyList<ConflictRow> conflicts, CancellationToken cancellationToken = default) =>
        _graph.ReplaceConflictsAsync(claims, conflicts, cancellationToken);

    public override ValueTask<IReadOnlyList<IdentityKey>> GetUnmergeRulesAsync(CancellationToken cancellationToken = default) =>
        _graph.GetUnmergeRulesAsync(cancellationToken);

    public override ValueTask AddUnmergeRuleAsync(IdentityKey identity, DateTimeOffset createdAt, CancellationToken cancellationToken = default) =>
        _graph.AddUnmergeRuleAsync(identity, createdAt, cancellationToken);

    public override ValueTask AddMembershipAsync(MembershipRow membership, CancellationToken cancellationToken = default) =>
        _graph.AddMembershipAsync(membership, cancellationToken);

    public override ValueTask AddHistoryAsync(MergeRow entry, CancellationToken cancellationToken = default) =>
        _graph.AddHistoryAsync(entry, cancellationToken);

    public override ValueTask MergeProfilesAsync(MergeRow merge, CancellationToken cancellationToken = default) =>
        _graph.MergeProfilesAsync(merge, cancellationToken);

    public override IAsyncEnumerable<IdentityChange>? ReadIdentityChangesAsync(long sinceVersion, CancellationToken cancellationToken = default) =>
        _identityLog.ReadIdentityChangesAsync(sinceVersion, cancellationToken);

    public override ValueTask AppendChangeAsync(ChangeRow change, CancellationToken cancellationToken = default) =>
        _outbox.AppendChangeAsync(change, cancellationToken);

    public override ValueTask<IReadOnlySet<string>> ReadTombstonesAsync(CancellationToken cancellationToken = default) =>
        _outbox.ReadTombstonesAsync(cancellationToken);

    public override ValueTask AddSuppressionAsync(SuppressionRow suppression, CancellationToken cancellationToken = default) =>
        _outbox.AddSuppressionAsync(suppression, cancellationToken);

    public override ValueTask<ErasureCounts> ForgetAsync(Guid? profileId, IReadOnlyList<IdentityKey> identities, IReadOnlyList<string> tombstones, ChangeRow? notice, CancellationToken cancellationToken = default) =>
        _outbox.ForgetAsync(profileId, identities, tombstones, notice, cancellationToken);

    public override ValueTask AddQualityNoteAsync(QualityNoteRow note, CancellationToken cancellationToken = default) =>
        _quality.AddQualityNoteAsync(note, cancellationToken);

    public override ValueTask<IReadOnlyList<bool>> ObserveFieldsAsync(IReadOnlyList<FieldObservationRow> rows, CancellationToken cancellationToken = default) =>
        _quality.ObserveFieldsAsync(rows, cancellationToken);

    public override ValueTask AddHourlyCountsAsync(IReadOnlyList<HourlyCountRow> rows, CancellationToken cancellationToken = default) =>
        _quality.AddHourlyCountsAsync(rows, cancellationToken);

    public override ValueTask<TenantErasureCounts> EraseTenantAsync(CancellationToken cancellationToken = default) =>
        _tenants.EraseTenantAsync(cancellationToken);

    public override ValueTask<ComputedStateRow> GetComputedStateAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        _traits.GetComputedStateAsync(profileId, cancellationToken);

    public override ValueTask SaveComputedStateAsync(Guid profileId, ComputedStateRow state, CancellationToken cancellationToken = default) =>
        _traits.SaveComputedStateAsync(profileId, state, cancellationToken);

    public override ValueTask AppendTriggerAsync(TriggerRow trigger, CancellationToken cancellationToken = default) =>
        _traits.AppendTriggerAsync(trigger, cancellationToken);

    public override ValueTask<IReadOnlyList<Guid>> GetDueProfilesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        _traits.GetDueProfilesAsync(now, limit, cancellationToken);

    public override ValueTask<long> ForgetComputedAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        _traits.ForgetComputedAsync(profileId, cancellationToken);

    public override ValueTask<Guid?> GetEventProfileAsync(long eventId, CancellationToken cancellationToken = default) =>
        _traits.GetEventProfileAsync(eventId, cancellationToken);

    public override ValueTask<IReadOnlyList<long?>> TryInsertEventsAsync(IReadOnlyList<EventRow> rows, CancellationToken cancellationToken = default) =>
        _events.TryInsertEventsAsync(rows, base.TryInsertEventsAsync, cancellationToken);

    public override ValueTask<long?> TryInsertEventAsync(EventRow row, CancellationToken cancellationToken = default) =>
        _events.TryInsertEventAsync(row, cancellationToken);

    public override ValueTask<IReadOnlyList<string?>> GetEventRecordTypesAsync(IReadOnlyList<(string Source, string RecordId)> keys, CancellationToken cancellationToken = default) =>
        _events.GetEventRecordTypesAsync(keys, cancellationToken);

    public override ValueTask SetWaitsAsync(long eventId, IReadOnlyList<EventWait> waits, CancellationToken cancellationToken = default) =>
        _events.SetWaitsAsync(eventId, waits, cancellationToken);

    public override ValueTask<IReadOnlyList<PendingLink>> GetWaitsAsync(IdentityKey key, CancellationToken cancellationToken = default) =>
        _events.GetWaitsAsync(key, cancellationToken);

    public override ValueTask LinkEventAsync(long eventId, Guid profileId, int relationIndex, CancellationToken cancellationToken = default) =>
        _events.LinkEventAsync(eventId, profileId, relationIndex, cancellationToken);

    public override ValueTask SetQuarantineAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default) =>
        _events.SetQuarantineAsync(eventId, reason, message, cancellationToken);

    public override IAsyncEnumerable<KeyValuePair<IdentityKey, Guid>> ReadIdentityIndexAsync(CancellationToken cancellationToken = default) =>
        _profiles.ReadIdentityIndexAsync(cancellationToken);

    public override ValueTask<ProfileRow?> GetProfileAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        _profiles.GetProfileAsync(profileId, cancellationToken);

    public override ValueTask CreateProfileAsync(ProfileRow profile, CancellationToken cancellationToken = default) =>
        _profiles.CreateProfileAsync(profile, cancellationToken);

    public override ValueTask AddIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default) =>
        _profiles.AddIdentityAsync(identity, cancellationToken);

    public override ValueTask<IReadOnlyList<IdentityRow>> GetIdentitiesAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        _profiles.GetIdentitiesAsync(profileId, cancellationToken);

    public override ValueTask<SourceRecordRow?> GetSourceRecordAsync(string source, string recordId, CancellationToken cancellationToken = default) =>
        _profiles.GetSourceRecordAsync(source, recordId, cancellationToken);

    public override ValueTask UpsertSourceRecordAsync(SourceRecordRow record, CancellationToken cancellationToken = default) =>
        _profiles.UpsertSourceRecordAsync(record, cancellationToken);

    public override ValueTask<IReadOnlyList<SourceRecordRow>> GetSourceRecordsAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        _profiles.GetSourceRecordsAsync(profileId, cancellationToken);

    public override ValueTask ReplaceAttributesAsync(Guid profileId, IReadOnlyList<AttributeRow> attributes, CancellationToken cancellationToken = default) =>
        _profiles.ReplaceAttributesAsync(profileId, attributes, cancellationToken);

    public override ValueTask AddRejectionAsync(RejectionRow rejection, CancellationToken cancellationToken = default) =>
        _profiles.AddRejectionAsync(rejection, cancellationToken);

    public override async ValueTask<long> CommitAsync(CancellationToken cancellationToken = default)
    {
        var transaction = _context.Transaction ?? throw new ObjectDisposedException(nameof(PostgreSqlStoreSession));
        if (_committed)
        {
            throw new InvalidOperationException("The session is already committed.");
        }

        await _context.FlushAsync(cancellationToken).ConfigureAwait(false);
        var version = Version;

        // An append-only session changed no identity: the version (what other processes' indexes follow) stays.
        if (_context.Dirty && !_appendOnly)
        {
            await _identityLog.CompactIdentityLogAsync(cancellationToken).ConfigureAwait(false);
            await using var command = await _context.PrepareAsync(_context.Sql.BumpVersion, cancellationToken, Text(_context.Tenant)).ConfigureAwait(false);
            version = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The tenant row of '{_context.Tenant}' is missing."));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _committed = true;
        return version;
    }

    public override ValueTask DisposeAsync() => _context.DisposeAsync();
}

using EventLink.PostgreSql.Internal;
using EventLink.Storage;
using Npgsql;
using static EventLink.PostgreSql.IdentityGraph.Internal.PostgreSqlGraphSql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.IdentityGraph.Internal;

/// <summary>
/// The identity graph primitives of a PostgreSQL session. A change counts (bumps the tenant's version at commit)
/// only when it changes a row, as in the in-memory store.
/// </summary>
internal sealed class PostgreSqlSessionGraph(PostgreSqlSessionContext context)
{
    private readonly PostgreSqlSessionContext _context = context;

    private PostgreSqlGraphSql Graph => _context.Sql.Graph;

    public ValueTask UpsertClaimAsync(ClaimKey key, string recordType, DateTimeOffset occurredAt, IReadOnlyList<IdentityKey> identities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recordType);
        ArgumentNullException.ThrowIfNull(identities);
        _context.Cache.CacheClaim(key, recordType, occurredAt, identities);
        _context.Buffers.AddClaim(key, recordType, TimestampReader.Normalize(occurredAt), identities);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<ClaimState?> GetClaimAsync(ClaimKey key, CancellationToken cancellationToken = default)
    {
        if (_context.Cache.TryGetCachedClaim(key, out var cached))
        {
            return cached;
        }

        await _context.FlushAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = Graph.ClaimBatch(_context.Connection, _context.Transaction, _context.Tenant, key);
        await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return await ReadClaimAsync(batch, key, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<ClaimKey>> GetClaimsByIdentityAsync(IdentityKey identity, CancellationToken cancellationToken = default)
    {
        if (_context.Cache.TryGetClaimsByIdentity(identity, out var cached))
        {
            return cached;
        }

        var keys = new List<ClaimKey>();
        await using var command = await _context.PrepareAsync(Graph.GetClaimsByIdentity, cancellationToken, Text(_context.Tenant), Text(identity.Kind), Text(identity.Value)).ConfigureAwait(false);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                keys.Add(new ClaimKey((ClaimKind)reader.GetInt16(2), reader.GetString(0), reader.GetString(1)));
            }
        }

        keys.Sort();
        return keys;
    }

    public async ValueTask<IdentityRow?> GetIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        await using var command = await _context.PrepareAsync(Graph.GetIdentity, cancellationToken, Text(_context.Tenant), Text(key.Kind), Text(key.Value)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadIdentity(reader) : null;
    }

    public ValueTask SetIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);

        // As the in-memory store: setting an identity counts as a change even when it moves it nowhere.
        _context.Cache.CacheIdentity(identity);
        _context.Buffers.AddIdentity(identity);
        return ValueTask.CompletedTask;
    }

    public async ValueTask RemoveIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        _context.Cache.ForgetIdentity(key);
        await using var command = await _context.PrepareAsync(Graph.RemoveIdentity, cancellationToken, Text(_context.Tenant), Text(key.Kind), Text(key.Value), Long(_context.ChangedVersion)).ConfigureAwait(false);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
            _context.Dirty = true;
            _context.RemovalsLogged = true;
        }
    }

    public ValueTask<IReadOnlyList<EventRow>> GetEventsOfProfileAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        // Read after a merge, whose statements are deferred: they go in the same round trip.
        _context.ReadAfterDeferredAsync<IReadOnlyList<EventRow>>(
            Graph.GetEventsOfProfile,
            [Text(_context.Tenant), Uuid(profileId)],
            async (reader, cancellationToken) =>
            {
                var rows = new List<EventRow>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(ReadEvent(reader));
                }

                return rows;
            },
            cancellationToken);

    public ValueTask UnlinkEventAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        _context.Cache.Events.SetLinkIndex(eventId, -1);
        return _context.Defer(BatchCommand(Graph.UnlinkEvent, Text(_context.Tenant), Long(eventId), Reason(reason), Text(message)), counted: false, cancellationToken, seal: false);
    }

    public ValueTask ReplaceConflictsAsync(IReadOnlyList<ClaimKey> claims, IReadOnlyList<ConflictRow> conflicts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(conflicts);
        foreach (var conflict in conflicts)
        {
            ArgumentNullException.ThrowIfNull(conflict, nameof(conflicts));
        }

        if (claims.Count > 0 || conflicts.Count > 0)
        {
            _context.Buffers.ReplaceConflicts(claims, conflicts);
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<IReadOnlyList<IdentityKey>> GetUnmergeRulesAsync(CancellationToken cancellationToken = default)
    {
        await using var command = await _context.PrepareAsync(Graph.GetUnmergeRules, cancellationToken, Text(_context.Tenant)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadIdentityKeysAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask AddUnmergeRuleAsync(IdentityKey identity, DateTimeOffset createdAt, CancellationToken cancellationToken = default) =>
        _context.ExecuteCountedAsync(Graph.AddUnmergeRule, cancellationToken, Text(_context.Tenant), Text(identity.Kind), Text(identity.Value), Timestamp(createdAt));

    public ValueTask AddMembershipAsync(MembershipRow membership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        _context.Buffers.AddMembership(membership);
        return ValueTask.CompletedTask;
    }

    public async ValueTask AddHistoryAsync(MergeRow entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var batch = new NpgsqlBatch(_context.Connection, _context.Transaction) { BatchCommands = { InsertHistoryCommand(entry) } };
        await _context.ExecuteAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask MergeProfilesAsync(MergeRow merge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(merge);

        _context.Cache.CacheMerge(merge.MergedId, merge.SurvivorId);
        await using var batch = new NpgsqlBatch(_context.Connection, _context.Transaction);
        batch.BatchCommands.Add(BatchCommand(_context.Sql.MergeIdentities, Text(_context.Tenant), Uuid(merge.MergedId), Uuid(merge.SurvivorId), Long(_context.ChangedVersion)));
        foreach (var sql in _context.Sql.MergeStatements)
        {
            batch.BatchCommands.Add(BatchCommand(sql, Text(_context.Tenant), Uuid(merge.MergedId), Uuid(merge.SurvivorId)));
        }

        batch.BatchCommands.Add(InsertHistoryCommand(merge));
        await _context.ExecuteAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The statement appending an entry (a merge or a split) to the history of its survivor.</summary>
    private NpgsqlBatchCommand InsertHistoryCommand(MergeRow entry) => BatchCommand(
        _context.Sql.InsertMerge,
        Text(_context.Tenant),
        Uuid(entry.SurvivorId),
        Uuid(entry.MergedId),
        Text(entry.Identity.Kind),
        Text(entry.Identity.Value),
        Text(entry.Source),
        Text(entry.RecordType),
        Text(entry.RecordId),
        Timestamp(entry.MergedAt),
        Smallint((short)entry.Kind));
}

using EventLink.Storage;
using Npgsql;
using static EventLink.PostgreSql.Internal.PostgreSqlGraphSql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// The identity graph primitives of a PostgreSQL session. A change counts (bumps the tenant's version at commit)
/// only when it changes a row, as in the in-memory store.
/// </summary>
internal sealed partial class PostgreSqlStoreSession
{
    private PostgreSqlGraphSql Graph => _sql.Graph;

    public override ValueTask UpsertClaimAsync(ClaimKey key, string recordType, DateTimeOffset occurredAt, IReadOnlyList<IdentityKey> identities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recordType);
        ArgumentNullException.ThrowIfNull(identities);
        CacheClaim(key, recordType, occurredAt, identities);
        BufferClaim(key, recordType, TimestampReader.Normalize(occurredAt), identities);
        return ValueTask.CompletedTask;
    }

    public override async ValueTask<ClaimState?> GetClaimAsync(ClaimKey key, CancellationToken cancellationToken = default)
    {
        if (TryGetCachedClaim(key, out var cached))
        {
            return cached;
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = Graph.ClaimBatch(Connection, _transaction, _tenant, key);
        await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return await ReadClaimAsync(batch, key, cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask<IReadOnlyList<ClaimKey>> GetClaimsByIdentityAsync(IdentityKey identity, CancellationToken cancellationToken = default)
    {
        if (_claimsByIdentity.TryGetValue(identity, out var cached))
        {
            return [.. cached];
        }

        var keys = new List<ClaimKey>();
        await using var command = await PrepareAsync(Graph.GetClaimsByIdentity, cancellationToken, Text(_tenant), Text(identity.Kind), Text(identity.Value)).ConfigureAwait(false);
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

    public override async ValueTask<IdentityRow?> GetIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        await using var command = await PrepareAsync(Graph.GetIdentity, cancellationToken, Text(_tenant), Text(key.Kind), Text(key.Value)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadIdentity(reader) : null;
    }

    public override ValueTask SetIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);

        // As the in-memory store: setting an identity counts as a change even when it moves it nowhere.
        BufferIdentity(identity);
        return ValueTask.CompletedTask;
    }

    public override async ValueTask RemoveIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        await using var command = await PrepareAsync(Graph.RemoveIdentity, cancellationToken, Text(_tenant), Text(key.Kind), Text(key.Value), Long(ChangedVersion)).ConfigureAwait(false);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
            _dirty = true;
            _removalsLogged = true;
        }
    }

    public override async ValueTask<IReadOnlyList<EventRow>> GetEventsOfProfileAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        var rows = new List<EventRow>();
        await using var command = await PrepareAsync(Graph.GetEventsOfProfile, cancellationToken, Text(_tenant), Uuid(profileId)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ReadEvent(reader));
        }

        return rows;
    }

    public override ValueTask UnlinkEventAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_linkIndex.ContainsKey(eventId))
        {
            _linkIndex[eventId] = -1;
        }

        return Defer(BatchCommand(Graph.UnlinkEvent, Text(_tenant), Long(eventId), Reason(reason), Text(message)), counted: false, cancellationToken, seal: false);
    }

    public override ValueTask ReplaceConflictsAsync(IReadOnlyList<ClaimKey> claims, IReadOnlyList<ConflictRow> conflicts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(conflicts);
        foreach (var conflict in conflicts)
        {
            ArgumentNullException.ThrowIfNull(conflict, nameof(conflicts));
        }

        if (claims.Count > 0 || conflicts.Count > 0)
        {
            BufferConflicts(claims, conflicts);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The statements deleting the conflicts of some claims, then inserting conflicts (in order).</summary>
    private IEnumerable<NpgsqlBatchCommand> ConflictCommands(IReadOnlyList<ClaimKey> claims, IReadOnlyList<ConflictRow> conflicts)
    {
        if (claims.Count > 0)
        {
            yield return BatchCommand(
                Graph.DeleteConflicts,
                Text(_tenant),
                TextArray([.. claims.Select(c => c.Source)]),
                TextArray([.. claims.Select(c => c.RecordId)]),
                SmallintArray([.. claims.Select(c => (short)c.Kind)]));
        }

        if (conflicts.Count > 0)
        {
            yield return BatchCommand(
                Graph.InsertConflicts,
                Text(_tenant),
                TextArray([.. conflicts.Select(c => c.Claim.Source)]),
                TextArray([.. conflicts.Select(c => c.Claim.RecordId)]),
                SmallintArray([.. conflicts.Select(c => (short)c.Claim.Kind)]),
                TextArray([.. conflicts.Select(c => c.RecordType)]),
                TextArray([.. conflicts.Select(c => c.Identity.Kind)]),
                TextArray([.. conflicts.Select(c => c.Identity.Value)]),
                SmallintArray([.. conflicts.Select(c => (short)c.Reason)]),
                SmallintArray([.. conflicts.Select(c => c.Other is { } other ? (short)other.Kind : (short)-1)]),
                NullableTextArray([.. conflicts.Select(c => c.Other?.Source)]),
                NullableTextArray([.. conflicts.Select(c => c.Other?.RecordId)]));
        }
    }

    public override async ValueTask<IReadOnlyList<IdentityKey>> GetUnmergeRulesAsync(CancellationToken cancellationToken = default)
    {
        await using var command = await PrepareAsync(Graph.GetUnmergeRules, cancellationToken, Text(_tenant)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadIdentityKeysAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    public override ValueTask AddUnmergeRuleAsync(IdentityKey identity, DateTimeOffset createdAt, CancellationToken cancellationToken = default) =>
        ExecuteCountedAsync(Graph.AddUnmergeRule, cancellationToken, Text(_tenant), Text(identity.Kind), Text(identity.Value), Timestamp(createdAt));

    public override ValueTask AddMembershipAsync(MembershipRow membership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        _membershipWrites.Add(membership);
        _buffered = true;
        return ValueTask.CompletedTask;
    }

    public override async ValueTask AddHistoryAsync(MergeRow entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var batch = new NpgsqlBatch(Connection, _transaction) { BatchCommands = { InsertHistoryCommand(entry) } };
        await ExecuteAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Defers a statement that counts as a change only when it changes a row.</summary>
    private ValueTask ExecuteCountedAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters) =>
        Defer(BatchCommand(sql, parameters), counted: true, cancellationToken);
}

using EventLink.Sqlite.Internal;
using EventLink.Storage;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.IdentityGraph.Internal;

/// <summary>
/// The identity graph primitives of a SQLite session. A change counts (bumps the tenant's version at commit) only
/// when it changes a row, as in the in-memory store.
/// </summary>
internal sealed class SqliteGraphWrites(SqliteSessionContext context)
{
    public ValueTask UpsertClaimAsync(ClaimKey key, string recordType, DateTimeOffset occurredAt, IReadOnlyList<IdentityKey> identities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recordType);
        ArgumentNullException.ThrowIfNull(identities);
        cancellationToken.ThrowIfCancellationRequested();
        var upsert = context.Statement(SqliteGraphSql.UpsertClaim, SqliteGraphSql.UpsertClaimParameters);
        upsert.Set(1, key.Source);
        upsert.Set(2, key.RecordId);
        upsert.Set(3, (int)key.Kind);
        upsert.Set(4, recordType);
        upsert.Set(5, ToMicros(occurredAt));

        // A new claim's id is the connection's last inserted row id, which only an insert moves (a RETURNING clause
        // would cost the statement as much again); a claim updated or left as it was is looked up.
        var lastInserted = upsert.LastInsertedRowId;
        if (upsert.Execute() > 0)
        {
            context.MarkDirty();
        }

        if (identities.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        long claimId;
        if (upsert.LastInsertedRowId is var inserted && inserted != lastInserted)
        {
            claimId = inserted;
        }
        else
        {
            var find = context.Command(SqliteGraphSql.FindClaimId, "$source", "$record", "$kind");
            find.Parameters[1].Value = key.Source;
            find.Parameters[2].Value = key.RecordId;
            find.Parameters[3].Value = (int)key.Kind;
            claimId = (long)(find.ExecuteScalar() ?? throw new InvalidOperationException($"The claim {key} was not stored."));
        }

        var statement = SqliteGraphSql.AddClaimIdentities;
        for (var start = 0; start < identities.Count; start += SqliteMultiRow.MaxRows)
        {
            var rows = Math.Min(SqliteMultiRow.MaxRows, identities.Count - start);
            var add = statement.Statement(context, identities, start, rows);
            add.Set(1, claimId);

            context.Write(add);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<ClaimState?> GetClaimAsync(ClaimKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(SqliteGraphSql.ReadClaim(context, key));
    }

    public ValueTask<IReadOnlyList<ClaimKey>> GetClaimsByIdentityAsync(IdentityKey identity, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = context.Command(SqliteGraphSql.GetClaimsByIdentity, "$kind", "$value");
        command.Parameters[1].Value = identity.Kind;
        command.Parameters[2].Value = identity.Value;
        return ValueTask.FromResult<IReadOnlyList<ClaimKey>>(SqliteGraphSql.ReadClaimKeys(command));
    }

    public ValueTask<IReadOnlyList<IReadOnlyList<ClaimKey>>> GetClaimsByIdentitiesAsync(IReadOnlyList<IdentityKey> identities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identities);
        cancellationToken.ThrowIfCancellationRequested();
        var claims = new List<ClaimKey>[identities.Count];
        for (var i = 0; i < claims.Length; i++)
        {
            claims[i] = [];
        }

        var statement = SqliteGraphSql.GetClaimsByIdentities;
        for (var start = 0; start < identities.Count; start += SqliteMultiRow.MaxRows)
        {
            var rows = Math.Min(SqliteMultiRow.MaxRows, identities.Count - start);
            using var reader = statement.Statement(context, identities, start, rows).Query();
            while (reader.Read())
            {
                claims[start + reader.GetInt32(0)].Add(new ClaimKey((ClaimKind)reader.GetInt32(3), reader.GetString(1), reader.GetString(2)));
            }
        }

        foreach (var list in claims)
        {
            list.Sort();
        }

        return ValueTask.FromResult<IReadOnlyList<IReadOnlyList<ClaimKey>>>(claims);
    }

    public ValueTask SetIdentitiesAsync(IReadOnlyList<IdentityRow> identities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identities);
        cancellationToken.ThrowIfCancellationRequested();
        for (var start = 0; start < identities.Count; start += SqliteMultiRow.MaxRows)
        {
            // Rows that exist (a merge's, a provenance that moved) make the insert fail, undone; the upsert then sets them.
            var rows = Math.Min(SqliteMultiRow.MaxRows, identities.Count - start);
            if (!BindIdentities(SqliteGraphSql.InsertIdentities, identities, start, rows).TryExecute())
            {
                BindIdentities(SqliteGraphSql.SetIdentities, identities, start, rows).Execute();
            }
        }

        // As one by one: setting an identity counts as a change even when it moves it nowhere.
        if (identities.Count > 0)
        {
            context.MarkDirty();
        }

        return ValueTask.CompletedTask;
    }

    private SqliteRawStatement BindIdentities(SqliteMultiRow statement, IReadOnlyList<IdentityRow> identities, int start, int rows)
    {
        var command = statement.Statement(context, rows);
        command.Set(1, context.ChangedVersion);
        for (var i = 0; i < rows; i++)
        {
            var identity = identities[start + i];
            ArgumentNullException.ThrowIfNull(identity, nameof(identities));
            var at = statement.FirstRowParameter + (i * statement.ColumnCount);
            command.Set(at, identity.Key.Kind);
            command.Set(at + 1, identity.Key.Value);
            command.Set(at + 2, context.Session.ProfileBlob(identity.ProfileId));
            command.Set(at + 3, identity.Source);
            command.Set(at + 4, identity.RecordType);
            command.Set(at + 5, identity.RecordId);
            command.Set(at + 6, ToMicros(identity.FirstSeenAt));
        }

        return command;
    }

    public ValueTask<IdentityRow?> GetIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = context.Command(SqliteGraphSql.GetIdentity, "$kind", "$value");
        command.Parameters[1].Value = key.Kind;
        command.Parameters[2].Value = key.Value;
        var rows = SqliteReads.ReadIdentities(command);
        return ValueTask.FromResult(rows.Count > 0 ? rows[0] : null);
    }

    public ValueTask SetIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        cancellationToken.ThrowIfCancellationRequested();
        context.BindIdentity(SqliteGraphSql.SetIdentity, identity).ExecuteNonQuery();

        // As the in-memory store: setting an identity counts as a change even when it moves it nowhere.
        context.MarkDirty();
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        context.IdentityLog.LogRemoval(key);
        var command = context.Command(SqliteGraphSql.RemoveIdentity, "$kind", "$value");
        command.Parameters[1].Value = key.Kind;
        command.Parameters[2].Value = key.Value;
        context.Write(command);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<EventRow>> GetEventsOfProfileAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = context.Command(SqliteGraphSql.GetEventsOfProfile, "$profile");
        command.Parameters[1].Value = ToBlob(profileId);
        var rows = new List<EventRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(SqliteReads.ReadEvent(reader));
        }

        return ValueTask.FromResult<IReadOnlyList<EventRow>>(rows);
    }

    public ValueTask UnlinkEventAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        var command = context.Command(SqliteGraphSql.UnlinkEvent, "$event", "$reason", "$message");
        command.Parameters[1].Value = eventId;
        command.Parameters[2].Value = (int)reason;
        command.Parameters[3].Value = message;
        command.ExecuteNonQuery();
        context.MarkDirty();
        return ValueTask.CompletedTask;
    }

    public ValueTask ReplaceConflictsAsync(IReadOnlyList<ClaimKey> claims, IReadOnlyList<ConflictRow> conflicts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(conflicts);
        cancellationToken.ThrowIfCancellationRequested();
        var delete = context.Command(SqliteGraphSql.DeleteConflicts, "$source", "$record", "$kind");
        foreach (var claim in claims.Distinct())
        {
            delete.Parameters[1].Value = claim.Source;
            delete.Parameters[2].Value = claim.RecordId;
            delete.Parameters[3].Value = (int)claim.Kind;
            context.Write(delete);
        }

        if (conflicts.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var insert = context.Command(SqliteGraphSql.InsertConflict, "$source", "$record", "$kind", "$type", "$ikind", "$ivalue", "$reason", "$okind", "$osource", "$orecord");
        var p = insert.Parameters;
        foreach (var conflict in conflicts)
        {
            ArgumentNullException.ThrowIfNull(conflict, nameof(conflicts));
            p[1].Value = conflict.Claim.Source;
            p[2].Value = conflict.Claim.RecordId;
            p[3].Value = (int)conflict.Claim.Kind;
            p[4].Value = conflict.RecordType;
            p[5].Value = conflict.Identity.Kind;
            p[6].Value = conflict.Identity.Value;
            p[7].Value = (int)conflict.Reason;
            var other = conflict.Other;
            p[8].Value = other is { } otherKind ? (int)otherKind.Kind : DBNull.Value;
            p[9].Value = other is { } otherSource ? otherSource.Source : DBNull.Value;
            p[10].Value = other is { } otherRecord ? otherRecord.RecordId : DBNull.Value;
            insert.ExecuteNonQuery();
        }

        context.MarkDirty();
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<IdentityKey>> GetUnmergeRulesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<IdentityKey>>(SqliteGraphSql.ReadIdentityKeys(context.Command(SqliteGraphSql.GetUnmergeRules)));
    }

    public ValueTask AddUnmergeRuleAsync(IdentityKey identity, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = context.Command(SqliteGraphSql.AddUnmergeRule, "$kind", "$value", "$at");
        command.Parameters[1].Value = identity.Kind;
        command.Parameters[2].Value = identity.Value;
        command.Parameters[3].Value = ToMicros(createdAt);
        context.Write(command);
        return ValueTask.CompletedTask;
    }

    public ValueTask AddMembershipAsync(MembershipRow membership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        cancellationToken.ThrowIfCancellationRequested();
        var command = context.Command(SqliteGraphSql.AddMembership, "$mkind", "$mvalue", "$akind", "$avalue", "$source", "$record");
        var p = command.Parameters;
        p[1].Value = membership.Member.Kind;
        p[2].Value = membership.Member.Value;
        p[3].Value = membership.Account.Kind;
        p[4].Value = membership.Account.Value;
        p[5].Value = membership.Source;
        p[6].Value = membership.RecordId;
        context.Write(command);
        return ValueTask.CompletedTask;
    }

    public ValueTask AddHistoryAsync(MergeRow entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        InsertHistory(entry, ToBlob(entry.SurvivorId), ToBlob(entry.MergedId));
        return ValueTask.CompletedTask;
    }

    public ValueTask MergeProfilesAsync(MergeRow merge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(merge);
        cancellationToken.ThrowIfCancellationRequested();
        var survivor = ToBlob(merge.SurvivorId);
        var loser = ToBlob(merge.MergedId);
        var identities = context.Command(SqliteSessionSql.MoveIdentitiesToSurvivor, "$survivor", "$changed", "$loser");
        identities.Parameters[1].Value = survivor;
        identities.Parameters[2].Value = context.ChangedVersionValue;
        identities.Parameters[3].Value = loser;
        identities.ExecuteNonQuery();
        foreach (var sql in SqliteSessionSql.MoveToSurvivor)
        {
            var move = context.Command(sql, "$survivor", "$loser");
            move.Parameters[1].Value = survivor;
            move.Parameters[2].Value = loser;
            move.ExecuteNonQuery();
        }

        var delete = context.Command(SqliteSessionSql.DeleteAttributes, "$profile");
        delete.Parameters[1].Value = loser;
        delete.ExecuteNonQuery();

        InsertHistory(merge, survivor, loser);
        return ValueTask.CompletedTask;
    }

    /// <summary>Appends an entry (a merge or a split) to the history of its survivor.</summary>
    private void InsertHistory(MergeRow entry, byte[] survivor, byte[] merged)
    {
        var insert = context.Command(SqliteSessionSql.InsertMerge, "$survivor", "$loser", "$kind", "$value", "$source", "$type", "$record", "$at", "$mkind");
        var p = insert.Parameters;
        p[1].Value = survivor;
        p[2].Value = merged;
        p[3].Value = entry.Identity.Kind;
        p[4].Value = entry.Identity.Value;
        p[5].Value = entry.Source;
        p[6].Value = entry.RecordType;
        p[7].Value = entry.RecordId;
        p[8].Value = ToMicros(entry.MergedAt);
        p[9].Value = (int)entry.Kind;
        insert.ExecuteNonQuery();
        context.MarkDirty();
    }
}

using EventLink.Storage;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Internal;

/// <summary>
/// The identity graph primitives of a SQLite session. A change counts (bumps the tenant's version at commit) only
/// when it changes a row, as in the in-memory store.
/// </summary>
internal sealed partial class SqliteStoreSession
{
    public override ValueTask UpsertClaimAsync(ClaimKey key, string recordType, DateTimeOffset occurredAt, IReadOnlyList<IdentityKey> identities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recordType);
        ArgumentNullException.ThrowIfNull(identities);
        cancellationToken.ThrowIfCancellationRequested();
        var upsert = Command(SqliteGraphSql.UpsertClaim, "$source", "$record", "$kind", "$type", "$occurred");
        var p = upsert.Parameters;
        p[1].Value = key.Source;
        p[2].Value = key.RecordId;
        p[3].Value = (int)key.Kind;
        p[4].Value = recordType;
        p[5].Value = ToMicros(occurredAt);
        Write(upsert);
        if (identities.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var find = Command(SqliteGraphSql.FindClaimId, "$source", "$record", "$kind");
        find.Parameters[1].Value = key.Source;
        find.Parameters[2].Value = key.RecordId;
        find.Parameters[3].Value = (int)key.Kind;
        var claimId = (long)(find.ExecuteScalar() ?? throw new InvalidOperationException($"The claim {key} was not stored."));

        var add = Command(SqliteGraphSql.AddClaimIdentity, "$claim", "$kind", "$value");
        add.Parameters[1].Value = claimId;
        foreach (var identity in identities)
        {
            add.Parameters[2].Value = identity.Kind;
            add.Parameters[3].Value = identity.Value;
            Write(add);
        }

        return ValueTask.CompletedTask;
    }

    public override ValueTask<ClaimState?> GetClaimAsync(ClaimKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var claim = Command(SqliteGraphSql.GetClaim, "$source", "$record", "$kind");
        claim.Parameters[1].Value = key.Source;
        claim.Parameters[2].Value = key.RecordId;
        claim.Parameters[3].Value = (int)key.Kind;
        var identities = Command(SqliteGraphSql.GetClaimIdentities, "$claim");
        return ValueTask.FromResult(SqliteGraphSql.ReadClaim(claim, identities, key));
    }

    public override ValueTask<IReadOnlyList<ClaimKey>> GetClaimsByIdentityAsync(IdentityKey identity, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = Command(SqliteGraphSql.GetClaimsByIdentity, "$kind", "$value");
        command.Parameters[1].Value = identity.Kind;
        command.Parameters[2].Value = identity.Value;
        return ValueTask.FromResult<IReadOnlyList<ClaimKey>>(SqliteGraphSql.ReadClaimKeys(command));
    }

    public override ValueTask<IdentityRow?> GetIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = Command(SqliteGraphSql.GetIdentity, "$kind", "$value");
        command.Parameters[1].Value = key.Kind;
        command.Parameters[2].Value = key.Value;
        var rows = SqliteReads.ReadIdentities(command);
        return ValueTask.FromResult(rows.Count > 0 ? rows[0] : null);
    }

    public override ValueTask SetIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        cancellationToken.ThrowIfCancellationRequested();
        BindIdentity(SqliteGraphSql.SetIdentity, identity).ExecuteNonQuery();

        // As the in-memory store: setting an identity counts as a change even when it moves it nowhere.
        _dirty = true;
        return ValueTask.CompletedTask;
    }

    public override ValueTask RemoveIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        LogRemoval(key);
        var command = Command(SqliteGraphSql.RemoveIdentity, "$kind", "$value");
        command.Parameters[1].Value = key.Kind;
        command.Parameters[2].Value = key.Value;
        Write(command);
        return ValueTask.CompletedTask;
    }

    public override ValueTask<IReadOnlyList<EventRow>> GetEventsOfProfileAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = Command(SqliteGraphSql.GetEventsOfProfile, "$profile");
        command.Parameters[1].Value = ToBlob(profileId);
        var rows = new List<EventRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(SqliteReads.ReadEvent(reader));
        }

        return ValueTask.FromResult<IReadOnlyList<EventRow>>(rows);
    }

    public override ValueTask UnlinkEventAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        var command = Command(SqliteGraphSql.UnlinkEvent, "$event", "$reason", "$message");
        command.Parameters[1].Value = eventId;
        command.Parameters[2].Value = (int)reason;
        command.Parameters[3].Value = message;
        command.ExecuteNonQuery();
        _dirty = true;
        return ValueTask.CompletedTask;
    }

    public override ValueTask ReplaceConflictsAsync(IReadOnlyList<ClaimKey> claims, IReadOnlyList<ConflictRow> conflicts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(conflicts);
        cancellationToken.ThrowIfCancellationRequested();
        var delete = Command(SqliteGraphSql.DeleteConflicts, "$source", "$record", "$kind");
        foreach (var claim in claims.Distinct())
        {
            delete.Parameters[1].Value = claim.Source;
            delete.Parameters[2].Value = claim.RecordId;
            delete.Parameters[3].Value = (int)claim.Kind;
            Write(delete);
        }

        if (conflicts.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var insert = Command(SqliteGraphSql.InsertConflict, "$source", "$record", "$kind", "$type", "$ikind", "$ivalue", "$reason", "$okind", "$osource", "$orecord");
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

        _dirty = true;
        return ValueTask.CompletedTask;
    }

    public override ValueTask<IReadOnlyList<IdentityKey>> GetUnmergeRulesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<IdentityKey>>(SqliteGraphSql.ReadIdentityKeys(Command(SqliteGraphSql.GetUnmergeRules)));
    }

    public override ValueTask AddUnmergeRuleAsync(IdentityKey identity, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = Command(SqliteGraphSql.AddUnmergeRule, "$kind", "$value", "$at");
        command.Parameters[1].Value = identity.Kind;
        command.Parameters[2].Value = identity.Value;
        command.Parameters[3].Value = ToMicros(createdAt);
        Write(command);
        return ValueTask.CompletedTask;
    }

    public override ValueTask AddMembershipAsync(MembershipRow membership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        cancellationToken.ThrowIfCancellationRequested();
        var command = Command(SqliteGraphSql.AddMembership, "$mkind", "$mvalue", "$akind", "$avalue", "$source", "$record");
        var p = command.Parameters;
        p[1].Value = membership.Member.Kind;
        p[2].Value = membership.Member.Value;
        p[3].Value = membership.Account.Kind;
        p[4].Value = membership.Account.Value;
        p[5].Value = membership.Source;
        p[6].Value = membership.RecordId;
        Write(command);
        return ValueTask.CompletedTask;
    }

    public override ValueTask AddHistoryAsync(MergeRow entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        InsertHistory(entry, ToBlob(entry.SurvivorId), ToBlob(entry.MergedId));
        return ValueTask.CompletedTask;
    }
}

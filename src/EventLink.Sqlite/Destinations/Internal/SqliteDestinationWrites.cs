using EventLink.Sqlite.Internal;
using EventLink.Storage;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Destinations.Internal;

/// <summary>Change-log appends, sync progress and dead letters, in the session's transaction.</summary>
internal sealed class SqliteDestinationWrites(SqliteSessionContext context)
{
    public ValueTask AppendChangeAsync(ChangeRow change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        cancellationToken.ThrowIfCancellationRequested();
        var command = context.Command(OutboxSql.AppendChange, "$kind", "$profile", "$event", "$data", "$at");
        var p = command.Parameters;
        p[1].Value = (int)change.Kind;
        p[2].Value = ToBlob(change.ProfileId);
        p[3].Value = change.EventId is { } id ? id : DBNull.Value;
        p[4].Value = ToDb(change.DataJson);
        p[5].Value = ToMicros(change.At);
        context.Write(command);
        return ValueTask.CompletedTask;
    }

    /// <summary>Saves sync progress. It is bookkeeping, not data: the tenant's version does not change.</summary>
    internal void SaveSyncState(SyncStateRow state, DeadLetterRow? deadLetter)
    {
        var save = context.Command(OutboxSql.SaveSyncState, "$sync", "$cursor", "$retry", "$attempts", "$next", "$error");
        var p = save.Parameters;
        p[1].Value = state.Sync;
        p[2].Value = state.Cursor;
        p[3].Value = state.RetrySequence;
        p[4].Value = state.Attempts;
        p[5].Value = state.NextAttemptAt is { } next ? ToMicros(next) : DBNull.Value;
        p[6].Value = ToDb(state.LastError);
        save.ExecuteNonQuery();
        if (deadLetter is not null)
        {
            var dead = context.Command(OutboxSql.AddDeadLetter, "$sync", "$seq", "$profile", "$key", "$attempts", "$error", "$at");
            var d = dead.Parameters;
            d[1].Value = deadLetter.Sync;
            d[2].Value = deadLetter.Sequence;
            d[3].Value = ToBlob(deadLetter.ProfileId);
            d[4].Value = deadLetter.IdempotencyKey;
            d[5].Value = deadLetter.Attempts;
            d[6].Value = deadLetter.LastError;
            d[7].Value = ToMicros(deadLetter.DeadAt);
            dead.ExecuteNonQuery();
        }
    }

    internal void RemoveDeadLetter(string sync, long sequence)
    {
        var command = context.Command(OutboxSql.RemoveDeadLetter, "$sync", "$seq");
        command.Parameters[1].Value = sync;
        command.Parameters[2].Value = sequence;
        command.ExecuteNonQuery();
    }

    private static class OutboxSql
    {
        public const string AppendChange = "INSERT INTO changes (tenant_key, kind, profile_id, event_id, data, at) VALUES ($t, $kind, $profile, $event, $data, $at);";
        public const string SaveSyncState = """
            INSERT INTO sync_state (tenant_key, sync, cursor, retry_seq, attempts, next_attempt_at, last_error)
            VALUES ($t, $sync, $cursor, $retry, $attempts, $next, $error)
            ON CONFLICT (tenant_key, sync) DO UPDATE SET cursor = excluded.cursor, retry_seq = excluded.retry_seq,
                attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error;
            """;

        public const string AddDeadLetter = """
            INSERT INTO dead_letters (tenant_key, sync, seq, profile_id, idempotency_key, attempts, last_error, dead_at)
            VALUES ($t, $sync, $seq, $profile, $key, $attempts, $error, $at)
            ON CONFLICT (tenant_key, sync, seq) DO UPDATE SET attempts = excluded.attempts, last_error = excluded.last_error, dead_at = excluded.dead_at;
            """;

        public const string RemoveDeadLetter = "DELETE FROM dead_letters WHERE tenant_key = $t AND sync = $sync AND seq = $seq;";
    }
}

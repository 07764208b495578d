using EventLink.Storage;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Internal;

/// <summary>Change-log appends, tombstones, suppressions, erasure and sync progress, in the session's transaction.</summary>
internal sealed partial class SqliteStoreSession
{
    public override ValueTask AppendChangeAsync(ChangeRow change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        cancellationToken.ThrowIfCancellationRequested();
        var command = Command(OutboxSql.AppendChange, "$kind", "$profile", "$event", "$data", "$at");
        var p = command.Parameters;
        p[1].Value = (int)change.Kind;
        p[2].Value = ToBlob(change.ProfileId);
        p[3].Value = change.EventId is { } id ? id : DBNull.Value;
        p[4].Value = ToDb(change.DataJson);
        p[5].Value = ToMicros(change.At);
        Write(command);
        return ValueTask.CompletedTask;
    }

    public override ValueTask<IReadOnlySet<string>> ReadTombstonesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        using var reader = Command(OutboxSql.ReadTombstones).ExecuteReader();
        while (reader.Read())
        {
            hashes.Add(reader.GetString(0));
        }

        return ValueTask.FromResult<IReadOnlySet<string>>(hashes);
    }

    public override ValueTask AddSuppressionAsync(SuppressionRow suppression, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suppression);
        cancellationToken.ThrowIfCancellationRequested();
        var command = Command(OutboxSql.AddSuppression, "$source", "$record", "$type", "$at");
        var p = command.Parameters;
        p[1].Value = suppression.Source;
        p[2].Value = suppression.RecordId;
        p[3].Value = suppression.RecordType;
        p[4].Value = ToMicros(suppression.SuppressedAt);
        Write(command);
        return ValueTask.CompletedTask;
    }

    public override async ValueTask<ErasureCounts> ForgetAsync(Guid? profileId, IReadOnlyList<IdentityKey> identities, IReadOnlyList<string> tombstones, ChangeRow? notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(tombstones);
        cancellationToken.ThrowIfCancellationRequested();
        long profiles = 0, identityCount = 0, records = 0, events = 0, quarantined = 0, outbox = 0;
        var closure = new List<byte[]>();
        if (profileId is { } root && await GetProfileAsync(root, cancellationToken).ConfigureAwait(false) is not null)
        {
            closure.Add(ToBlob(root));
            var merged = Command(OutboxSql.MergedInto, "$profile");
            for (var i = 0; i < closure.Count; i++)
            {
                merged.Parameters[1].Value = closure[i];
                using var reader = merged.ExecuteReader();
                while (reader.Read())
                {
                    closure.Add(reader.GetFieldValue<byte[]>(0));
                }
            }
        }

        foreach (var id in closure)
        {
            identityCount += Delete(OutboxSql.DeleteIdentities, id);
            records += Delete(OutboxSql.DeleteSourceRecords, id);
            Delete(OutboxSql.DeleteAttributes, id);
            Delete(OutboxSql.DeleteProfileWaits, id);
            events += Delete(OutboxSql.DeleteEvents, id);
            Delete(OutboxSql.DeleteMerges, id);
            profiles += Delete(OutboxSql.DeleteProfile, id);
            outbox += Delete(OutboxSql.DeleteChanges, id) + Delete(OutboxSql.DeleteDeadLetters, id);
        }

        foreach (var key in identities)
        {
            var waiting = Command(OutboxSql.QuarantinedWaiting, "$kind", "$value");
            waiting.Parameters[1].Value = key.Kind;
            waiting.Parameters[2].Value = key.Value;
            var ids = new List<long>();
            using (var reader = waiting.ExecuteReader())
            {
                while (reader.Read())
                {
                    ids.Add(reader.GetInt64(0));
                }
            }

            foreach (var eventId in ids)
            {
                var waits = Command(Sql.DeleteWaits, "$event");
                waits.Parameters[1].Value = eventId;
                waits.ExecuteNonQuery();
                var delete = Command(OutboxSql.DeleteEvent, "$event");
                delete.Parameters[1].Value = eventId;
                quarantined += delete.ExecuteNonQuery();
            }

            var rest = Command(OutboxSql.DeleteIdentityWaits, "$kind", "$value");
            rest.Parameters[1].Value = key.Kind;
            rest.Parameters[2].Value = key.Value;
            rest.ExecuteNonQuery();
        }

        var tombstone = Command(OutboxSql.AddTombstone, "$hash");
        foreach (var hash in tombstones)
        {
            tombstone.Parameters[1].Value = hash;
            tombstone.ExecuteNonQuery();
        }

        // Erased identities are not logged as removals: that would keep them. Other processes reload instead.
        ResetIdentityLog();
        _dirty = true;
        if (notice is not null)
        {
            await AppendChangeAsync(notice, cancellationToken).ConfigureAwait(false);
        }

        return new ErasureCounts(profiles, identityCount, records, events, quarantined, outbox);
    }

    /// <summary>Saves sync progress. It is bookkeeping, not data: the tenant's version does not change.</summary>
    internal void SaveSyncState(SyncStateRow state, DeadLetterRow? deadLetter)
    {
        var save = Command(OutboxSql.SaveSyncState, "$sync", "$cursor", "$retry", "$attempts", "$next", "$error");
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
            var dead = Command(OutboxSql.AddDeadLetter, "$sync", "$seq", "$profile", "$key", "$attempts", "$error", "$at");
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
        var command = Command(OutboxSql.RemoveDeadLetter, "$sync", "$seq");
        command.Parameters[1].Value = sync;
        command.Parameters[2].Value = sequence;
        command.ExecuteNonQuery();
    }

    private int Delete(string sql, byte[] profile)
    {
        var command = Command(sql, "$profile");
        command.Parameters[1].Value = profile;
        return command.ExecuteNonQuery();
    }

    private static class OutboxSql
    {
        public const string AppendChange = "INSERT INTO changes (tenant_key, kind, profile_id, event_id, data, at) VALUES ($t, $kind, $profile, $event, $data, $at);";
        public const string ReadTombstones = "SELECT hash FROM tombstones WHERE tenant_key = $t;";
        public const string AddTombstone = "INSERT INTO tombstones (tenant_key, hash) VALUES ($t, $hash) ON CONFLICT DO NOTHING;";
        public const string AddSuppression = """
            INSERT INTO suppressions (tenant_key, source, record_id, record_type, suppressed_at) VALUES ($t, $source, $record, $type, $at)
            ON CONFLICT (tenant_key, source, record_id) DO NOTHING;
            """;

        public const string MergedInto = "SELECT id FROM profiles WHERE tenant_key = $t AND merged_into = $profile;";
        public const string DeleteIdentities = "DELETE FROM identities INDEXED BY ix_identities_profile WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteSourceRecords = "DELETE FROM source_records WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteAttributes = "DELETE FROM attributes WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteProfileWaits = "DELETE FROM waits WHERE tenant_key = $t AND event_id IN (SELECT id FROM events WHERE tenant_key = $t AND profile_id = $profile);";
        public const string DeleteEvents = "DELETE FROM events WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteMerges = "DELETE FROM merges WHERE tenant_key = $t AND (root = $profile OR survivor_id = $profile OR merged_id = $profile);";
        public const string DeleteProfile = "DELETE FROM profiles WHERE tenant_key = $t AND id = $profile;";
        public const string DeleteChanges = "DELETE FROM changes WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteDeadLetters = "DELETE FROM dead_letters WHERE tenant_key = $t AND profile_id = $profile;";
        public const string QuarantinedWaiting = """
            SELECT DISTINCT w.event_id FROM waits w JOIN events e ON e.id = w.event_id
            WHERE w.tenant_key = $t AND w.kind = $kind AND w.value = $value AND e.profile_id IS NULL;
            """;

        public const string DeleteEvent = "DELETE FROM events WHERE tenant_key = $t AND id = $event;";
        public const string DeleteIdentityWaits = "DELETE FROM waits WHERE tenant_key = $t AND kind = $kind AND value = $value;";

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

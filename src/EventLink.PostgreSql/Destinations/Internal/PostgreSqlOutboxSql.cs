using EventLink.PostgreSql.Internal;
using System.Collections.Concurrent;

namespace EventLink.PostgreSql.Destinations.Internal;

/// <summary>The SQL of the change log, sync progress, tombstones, suppressions and erasure, written once per schema; <c>$1</c> is the tenant.</summary>
internal sealed class PostgreSqlOutboxSql
{
    private static readonly ConcurrentDictionary<string, PostgreSqlOutboxSql> BySchema = new(StringComparer.Ordinal);

    private PostgreSqlOutboxSql(string schema)
    {
        var s = PostgreSqlSql.Quote(schema);
        AppendChange = $"INSERT INTO {s}.changes (tenant, kind, profile_id, event_id, data, at) VALUES ($1, $2, $3, $4, $5, $6)";
        ReadChanges = $"SELECT seq, kind, profile_id, event_id, data, at FROM {s}.changes WHERE tenant = $1 AND seq > $2 ORDER BY seq LIMIT $3";
        ReadTombstones = $"SELECT hash FROM {s}.tombstones WHERE tenant = $1";
        AddTombstones = $"INSERT INTO {s}.tombstones (tenant, hash) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING";
        AddSuppression = $"""
            INSERT INTO {s}.suppressions (tenant, source, record_id, record_type, suppressed_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (tenant, source, record_id) DO NOTHING
            """;
        SuppressionCounts = $"SELECT record_type, count(*) FROM {s}.suppressions WHERE tenant = $1 GROUP BY record_type";
        Closure = $"""
            WITH RECURSIVE c(id) AS (
                SELECT id FROM {s}.profiles WHERE tenant = $1 AND id = $2
                UNION SELECT p.id FROM {s}.profiles p JOIN c ON p.merged_into = c.id WHERE p.tenant = $1)
            SELECT id FROM c
            """;
        DeleteIdentities = $"DELETE FROM {s}.identities WHERE tenant = $1 AND profile_id = ANY($2)";
        DeleteSourceRecords = $"DELETE FROM {s}.source_records WHERE tenant = $1 AND profile_id = ANY($2)";
        DeleteAttributes = $"DELETE FROM {s}.attributes WHERE tenant = $1 AND profile_id = ANY($2)";
        DeleteProfileWaits = $"DELETE FROM {s}.waits WHERE tenant = $1 AND event_id IN (SELECT id FROM {s}.events WHERE tenant = $1 AND profile_id = ANY($2))";
        DeleteEvents = $"DELETE FROM {s}.events WHERE tenant = $1 AND profile_id = ANY($2)";
        DeleteMerges = $"DELETE FROM {s}.merges WHERE tenant = $1 AND (owner_id = ANY($2) OR survivor_id = ANY($2) OR merged_id = ANY($2))";
        DeleteProfiles = $"DELETE FROM {s}.profiles WHERE tenant = $1 AND id = ANY($2)";
        DeleteChanges = $"DELETE FROM {s}.changes WHERE tenant = $1 AND profile_id = ANY($2)";
        DeleteDeadLetters = $"DELETE FROM {s}.dead_letters WHERE tenant = $1 AND profile_id = ANY($2)";
        QuarantinedWaiting = $"""
            SELECT DISTINCT w.event_id FROM {s}.waits w JOIN {s}.events e ON e.tenant = w.tenant AND e.id = w.event_id
            WHERE w.tenant = $1 AND w.kind = $2 AND w.value = $3 AND e.profile_id IS NULL
            """;
        DeleteEventWaits = $"DELETE FROM {s}.waits WHERE tenant = $1 AND event_id = ANY($2)";
        DeleteEventsById = $"DELETE FROM {s}.events WHERE tenant = $1 AND id = ANY($2)";
        DeleteIdentityWaits = $"DELETE FROM {s}.waits WHERE tenant = $1 AND kind = $2 AND value = $3";
        GetSyncState = $"SELECT cursor, retry_seq, attempts, next_attempt_at, last_error FROM {s}.sync_state WHERE tenant = $1 AND sync = $2";
        SaveSyncState = $"""
            INSERT INTO {s}.sync_state (tenant, sync, cursor, retry_seq, attempts, next_attempt_at, last_error) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (tenant, sync) DO UPDATE SET cursor = excluded.cursor, retry_seq = excluded.retry_seq,
                attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error
            """;
        AddDeadLetter = $"""
            INSERT INTO {s}.dead_letters (tenant, sync, seq, profile_id, idempotency_key, attempts, last_error, dead_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (tenant, sync, seq) DO UPDATE SET attempts = excluded.attempts, last_error = excluded.last_error, dead_at = excluded.dead_at
            """;
        ReadDeadLetters = $"SELECT seq, profile_id, idempotency_key, attempts, last_error, dead_at FROM {s}.dead_letters WHERE tenant = $1 AND sync = $2 ORDER BY seq";
        RemoveDeadLetter = $"DELETE FROM {s}.dead_letters WHERE tenant = $1 AND sync = $2 AND seq = $3";
    }

    public string AppendChange { get; }

    public string ReadChanges { get; }

    public string ReadTombstones { get; }

    public string AddTombstones { get; }

    public string AddSuppression { get; }

    public string SuppressionCounts { get; }

    public string Closure { get; }

    public string DeleteIdentities { get; }

    public string DeleteSourceRecords { get; }

    public string DeleteAttributes { get; }

    public string DeleteProfileWaits { get; }

    public string DeleteEvents { get; }

    public string DeleteMerges { get; }

    public string DeleteProfiles { get; }

    public string DeleteChanges { get; }

    public string DeleteDeadLetters { get; }

    public string QuarantinedWaiting { get; }

    public string DeleteEventWaits { get; }

    public string DeleteEventsById { get; }

    public string DeleteIdentityWaits { get; }

    public string GetSyncState { get; }

    public string SaveSyncState { get; }

    public string AddDeadLetter { get; }

    public string ReadDeadLetters { get; }

    public string RemoveDeadLetter { get; }

    public static PostgreSqlOutboxSql For(string schema) => BySchema.GetOrAdd(schema, static s => new PostgreSqlOutboxSql(s));
}

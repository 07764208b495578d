using System.Collections.Concurrent;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// The identity log's own statements, written once per schema; <c>$1</c> is the tenant. (The identity statements
/// of <see cref="PostgreSqlSql"/> and <see cref="IdentityGraph.Internal.PostgreSqlGraphSql"/> write <c>changed_version</c> and log removals.)
/// </summary>
internal sealed class PostgreSqlIdentityLogSql
{
    private static readonly ConcurrentDictionary<string, PostgreSqlIdentityLogSql> BySchema = new(StringComparer.Ordinal);

    private PostgreSqlIdentityLogSql(string schema)
    {
        var s = PostgreSqlSql.Quote(schema);

        // Removals first, then the identities held now: a key in both was removed and added again, and is held.
        ChangesSince = $"""
            SELECT 0 AS phase, kind, value, NULL::uuid AS profile_id FROM {s}.identity_removals WHERE tenant = $1 AND version > $2
            UNION ALL
            SELECT 1, kind, value, profile_id FROM {s}.identities WHERE tenant = $1 AND changed_version > $2
            ORDER BY phase
            """;

        // $2: the version from which the log answers after an erasure (the session's commit).
        Reset = $"""
            WITH dropped AS (DELETE FROM {s}.identity_removals WHERE tenant = $1)
            UPDATE {s}.tenants SET identity_log_from = GREATEST(identity_log_from, $2) WHERE tenant = $1
            """;

        // $2: removals at or below this version are dropped; the log then answers from it.
        Compact = $"""
            WITH dropped AS (DELETE FROM {s}.identity_removals WHERE tenant = $1 AND version <= $2 RETURNING 1)
            UPDATE {s}.tenants SET identity_log_from = GREATEST(identity_log_from, $2) WHERE tenant = $1 AND EXISTS (SELECT FROM dropped)
            """;
    }

    public string ChangesSince { get; }

    public string Reset { get; }

    public string Compact { get; }

    public static PostgreSqlIdentityLogSql For(string schema) => BySchema.GetOrAdd(schema, static s => new PostgreSqlIdentityLogSql(s));
}

using EventLink.PostgreSql.Internal;
using System.Collections.Concurrent;

namespace EventLink.PostgreSql.Traits.Internal;

/// <summary>The SQL of computed traits, audiences and triggers, written once per schema; <c>$1</c> is the tenant.</summary>
internal sealed class PostgreSqlTraitsSql
{
    private static readonly ConcurrentDictionary<string, PostgreSqlTraitsSql> BySchema = new(StringComparer.Ordinal);

    private PostgreSqlTraitsSql(string schema)
    {
        var s = PostgreSqlSql.Quote(schema);
        ReadStates = $"SELECT name, value, state FROM {s}.trait_states WHERE tenant = $1 AND profile_id = $2 ORDER BY ordinal";
        ReadMemberships = $"SELECT audience, entered_at FROM {s}.audience_members WHERE tenant = $1 AND profile_id = $2 ORDER BY audience";
        ReadDue = $"SELECT due_at, state FROM {s}.computed_due WHERE tenant = $1 AND profile_id = $2";
        DeleteStates = $"DELETE FROM {s}.trait_states WHERE tenant = $1 AND profile_id = ANY($2)";
        DeleteMemberships = $"DELETE FROM {s}.audience_members WHERE tenant = $1 AND profile_id = ANY($2)";
        DeleteDue = $"DELETE FROM {s}.computed_due WHERE tenant = $1 AND profile_id = ANY($2)";
        DeleteTriggers = $"DELETE FROM {s}.triggers WHERE tenant = $1 AND profile_id = ANY($2)";
        InsertStates = $"""
            INSERT INTO {s}.trait_states (tenant, profile_id, ordinal, name, value, state)
            SELECT $1, $2, t.ord - 1, t.name, t.value, t.state FROM unnest($3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS t(name, value, state, ord)
            """;
        InsertMemberships = $"""
            INSERT INTO {s}.audience_members (tenant, audience, profile_id, entered_at)
            SELECT $1, m.audience, $2, m.entered FROM unnest($3::text[], $4::timestamptz[]) AS m(audience, entered)
            """;
        InsertDue = $"INSERT INTO {s}.computed_due (tenant, profile_id, due_at, state) VALUES ($1, $2, $3, $4)";
        AppendTrigger = $"INSERT INTO {s}.triggers (tenant, kind, name, profile_id, event_id, at) VALUES ($1, $2, $3, $4, $5, $6)";
        DueProfiles = $"SELECT profile_id FROM {s}.computed_due WHERE tenant = $1 AND due_at <= $2 ORDER BY due_at, profile_id LIMIT $3";
        EventProfile = $"SELECT profile_id FROM {s}.events WHERE tenant = $1 AND id = $2";
        Members = $"SELECT profile_id, entered_at FROM {s}.audience_members WHERE tenant = $1 AND audience = $2 ORDER BY profile_id";
        ReadTriggers = $"SELECT seq, kind, name, profile_id, event_id, at FROM {s}.triggers WHERE tenant = $1 AND seq > $2 ORDER BY seq LIMIT $3";
    }

    public string ReadStates { get; }

    public string ReadMemberships { get; }

    public string ReadDue { get; }

    public string DeleteStates { get; }

    public string DeleteMemberships { get; }

    public string DeleteDue { get; }

    public string DeleteTriggers { get; }

    public string InsertStates { get; }

    public string InsertMemberships { get; }

    public string InsertDue { get; }

    public string AppendTrigger { get; }

    public string DueProfiles { get; }

    public string EventProfile { get; }

    public string Members { get; }

    public string ReadTriggers { get; }

    public static PostgreSqlTraitsSql For(string schema) => BySchema.GetOrAdd(schema, static s => new PostgreSqlTraitsSql(s));
}

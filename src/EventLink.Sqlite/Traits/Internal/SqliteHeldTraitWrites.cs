using System.Runtime.InteropServices;
using EventLink.Sqlite.Internal;
using EventLink.Storage;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Traits.Internal;

/// <summary>
/// The computed-state writes of a session, held and written together: the engine updates profiles one at a time
/// before commit, and here their packed states and due times, their membership changes and their trigger-log entries
/// go in as multi-row statements (a statement per 16 rows of each kind instead of one a row). As
/// <see cref="SqliteDeferredWrites"/>, they are written before any other statement of the session runs (every one
/// goes through <see cref="SqliteSessionContext.Command"/>) and before commit, so no read sees the tables without them.
/// </summary>
/// <remarks>
/// A profile is held at most once: a second write of it writes what is held first, so rows reach the tables as if
/// written one by one, in order. Trigger-log entries keep their order (one multi-row insert assigns growing sequences).
/// </remarks>
internal sealed class SqliteHeldTraitWrites(SqliteSessionContext context)
{
    private static readonly SqliteMultiRow UpsertComputed = new(
        "INSERT INTO computed (tenant_key, profile_id, state, due_at) VALUES",
        "($t, $profile{0}, $state{0}, $due{0})",
        "ON CONFLICT (tenant_key, profile_id) DO UPDATE SET state = excluded.state, due_at = excluded.due_at;",
        [],
        ["$profile", "$state", "$due"]);

    private static readonly SqliteMultiRow DeleteComputed = new(
        "DELETE FROM computed WHERE tenant_key = $t AND profile_id IN (",
        "$profile{0}",
        ");",
        [],
        ["$profile"]);

    private static readonly SqliteMultiRow UpsertMembers = new(
        "INSERT INTO audience_members (tenant_key, audience, profile_id, entered_at) VALUES",
        "($t, $audience{0}, $profile{0}, $entered{0})",
        "ON CONFLICT (tenant_key, audience, profile_id) DO UPDATE SET entered_at = excluded.entered_at;",
        [],
        ["$audience", "$profile", "$entered"]);

    // Per audience (a disjunction of pairs, or an IN list of row values, would have SQLite scan the tenant's memberships).
    private static readonly SqliteMultiRow DeleteMembers = new(
        "DELETE FROM audience_members WHERE tenant_key = $t AND audience = $audience AND profile_id IN (",
        "$profile{0}",
        ");",
        ["$audience"],
        ["$profile"]);

    private static readonly SqliteMultiRow AppendTriggers = new(
        "INSERT INTO triggers (tenant_key, kind, name, profile_id, event_id, at) VALUES",
        "($t, $kind{0}, $name{0}, $profile{0}, $event{0}, $at{0})",
        ";",
        [],
        ["$kind", "$name", "$profile", "$event", "$at"]);

    private readonly HashSet<Guid> _profiles = [];
    private readonly List<(byte[] Profile, object State, object Due)> _upserts = [];
    private readonly List<byte[]> _deletes = [];
    private readonly List<(string Audience, byte[] Profile, long EnteredAt)> _joins = [];
    private readonly List<(string Audience, byte[] Profile)> _leaves = [];
    private readonly List<TriggerRow> _triggers = [];
    private bool _flushing;

    /// <summary>Whether writes of <paramref name="profileId"/> are held (a new write of it flushes them first).</summary>
    public bool Holds(Guid profileId) => _profiles.Contains(profileId);

    /// <summary>Holds the profile's packed state and due time (deleted when it has neither).</summary>
    public void Computed(Guid profileId, byte[] profile, ComputedStateRow state)
    {
        _profiles.Add(profileId);
        if (state.State is null && state.DueAt is null)
        {
            _deletes.Add(profile);
        }
        else
        {
            _upserts.Add((profile, state.State is { } packed ? packed : DBNull.Value, state.DueAt is { } due ? ToMicros(due) : DBNull.Value));
        }
    }

    /// <summary>Holds a membership that began (or began again, at another time).</summary>
    public void Joined(byte[] profile, AudienceMemberRow member) => _joins.Add((member.Audience, profile, ToMicros(member.EnteredAt)));

    /// <summary>Holds a membership that ended.</summary>
    public void Left(byte[] profile, string audience) => _leaves.Add((audience, profile));

    /// <summary>Holds a trigger-log entry.</summary>
    public void Trigger(TriggerRow trigger) => _triggers.Add(trigger);

    /// <summary>Deletes the memberships that ended, a statement per audience and 16 profiles.</summary>
    private int DeleteLeaves()
    {
        var leaves = CollectionsMarshal.AsSpan(_leaves);
        leaves.Sort(static (a, b) => string.CompareOrdinal(a.Audience, b.Audience));
        var changed = 0;
        for (var start = 0; start < leaves.Length;)
        {
            var end = start + 1;
            while (end < leaves.Length && leaves[end].Audience == leaves[start].Audience)
            {
                end++;
            }

            changed += DeleteMembers.Run(context, leaves[start..end], static (p, at, row) => p[at].Value = row.Profile, static (p, at, row) => p[at].Value = row.Audience);
            start = end;
        }

        return changed;
    }

    /// <summary>Writes what is held. Statements run through the session, whose flush of this finds it flushing and returns.</summary>
    public void Flush()
    {
        if (_flushing || (_profiles.Count == 0 && _triggers.Count == 0))
        {
            return;
        }

        _flushing = true;
        try
        {
            var changed = UpsertComputed.Run(context, CollectionsMarshal.AsSpan(_upserts), static (p, at, row) =>
            {
                p[at].Value = row.Profile;
                p[at + 1].Value = row.State;
                p[at + 2].Value = row.Due;
            });
            changed += DeleteComputed.Run(context, CollectionsMarshal.AsSpan(_deletes), static (p, at, profile) => p[at].Value = profile);
            changed += DeleteLeaves();
            changed += UpsertMembers.Run(context, CollectionsMarshal.AsSpan(_joins), static (p, at, row) =>
            {
                p[at].Value = row.Audience;
                p[at + 1].Value = row.Profile;
                p[at + 2].Value = row.EnteredAt;
            });
            changed += AppendTriggers.Run(context, CollectionsMarshal.AsSpan(_triggers), static (p, at, trigger) =>
            {
                p[at].Value = (int)trigger.Kind;
                p[at + 1].Value = trigger.Name;
                p[at + 2].Value = ToBlob(trigger.ProfileId);
                p[at + 3].Value = trigger.EventId is { } id ? id : DBNull.Value;
                p[at + 4].Value = ToMicros(trigger.At);
            });
            if (changed > 0)
            {
                context.MarkDirty();
            }
        }
        finally
        {
            _profiles.Clear();
            _upserts.Clear();
            _deletes.Clear();
            _joins.Clear();
            _leaves.Clear();
            _triggers.Clear();
            _flushing = false;
        }
    }
}

using System.Runtime.InteropServices;
using EventLink.Sqlite.Internal;
using EventLink.Storage;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Traits.Internal;

/// <summary>
/// The computed-state writes of a session, held and written together: the engine updates profiles one at a time
/// before commit, and here their rows (packed state, due time, memberships) and their trigger-log entries go in as
/// multi-row statements bound by position (a statement per 16 rows of each kind instead of one a row). As
/// <see cref="SqliteDeferredWrites"/>, they are written before any other statement of the session runs (every one
/// goes through <see cref="SqliteSessionContext.Command"/> or <see cref="SqliteSessionContext.Statement"/>) and
/// before commit, so no read sees the tables without them. A session's trigger-log entries are held until its commit
/// (or an erasure) and go in as one row (<see cref="SqliteTriggerBatches"/>).
/// </summary>
/// <remarks>
/// A profile is held at most once: a second write of it writes what is held first, so rows reach the tables as if
/// written one by one, in order. Trigger-log entries keep their order (one multi-row insert assigns growing sequences).
/// </remarks>
internal sealed class SqliteHeldTraitWrites(SqliteSessionContext context)
{
    private static readonly SqliteMultiRow UpsertComputed = new(
        "INSERT INTO computed (tenant_key, profile_id, state, due_at, audiences) VALUES",
        "($t, $profile{0}, $state{0}, $due{0}, $audiences{0})",
        "ON CONFLICT (tenant_key, profile_id) DO UPDATE SET state = excluded.state, due_at = excluded.due_at, audiences = excluded.audiences;",
        [],
        ["$profile", "$state", "$due", "$audiences"]);

    private static readonly SqliteMultiRow DeleteComputed = new(
        "DELETE FROM computed WHERE tenant_key = $t AND profile_id IN (",
        "$profile{0}",
        ");",
        [],
        ["$profile"]);

    private static readonly string[] AllocateParameters = ["$count"];
    private static readonly string[] InsertParameters = ["$t", "$last", "$entries"];

    private readonly HashSet<Guid> _profiles = [];
    private readonly List<(byte[] Profile, byte[]? State, long? Due, string? Audiences)> _upserts = [];
    private readonly List<byte[]> _deletes = [];
    private readonly List<TriggerRow> _triggers = [];
    private bool _flushing;

    /// <summary>Whether writes of <paramref name="profileId"/> are held (a new write of it flushes them first).</summary>
    public bool Holds(Guid profileId) => _profiles.Contains(profileId);

    /// <summary>Holds the profile's row: its packed state, due time and memberships (deleted when it has none of them).</summary>
    public void Computed(Guid profileId, byte[] profile, ComputedStateRow state)
    {
        _profiles.Add(profileId);
        var audiences = SqliteMemberships.Encode(state.Audiences);
        if (state.State is null && state.DueAt is null && audiences is null)
        {
            _deletes.Add(profile);
        }
        else
        {
            _upserts.Add((profile, state.State, state.DueAt is { } due ? ToMicros(due) : null, audiences));
        }
    }

    /// <summary>Holds a trigger-log entry.</summary>
    public void Trigger(TriggerRow trigger) => _triggers.Add(trigger);

    /// <summary>Appends the held trigger-log entries as one row, with sequences handed out together (<see cref="SqliteTriggerBatches"/>).</summary>
    private int AppendTriggers()
    {
        if (_triggers.Count == 0)
        {
            return 0;
        }

        var allocate = context.Writer.GetStatement(SqliteTriggerBatches.Allocate, AllocateParameters);
        allocate.Set(0, _triggers.Count);
        long last;
        using (var reader = allocate.Query())
        {
            if (!reader.Read())
            {
                throw new InvalidOperationException("The database has no trigger sequence (meta.trigger_seq): it was not migrated to version 8.");
            }

            last = reader.GetInt64(0);
        }

        var insert = context.Statement(SqliteTriggerBatches.Insert, InsertParameters);
        insert.Set(1, last);
        insert.Set(2, SqliteTriggerBatches.Encode(_triggers, last - _triggers.Count + 1));
        return insert.Execute();
    }

    /// <summary>
    /// Writes the held rows, and with <paramref name="withTriggers"/> the held trigger-log entries too: no statement
    /// of a session reads the log but an erasure's (which asks for them), so they wait for the commit and go in as one
    /// row however many statements ran in between. Statements run through the session, whose flush of this finds it
    /// flushing and returns.
    /// </summary>
    public void Flush(bool withTriggers = false)
    {
        if (_flushing || (_profiles.Count == 0 && (!withTriggers || _triggers.Count == 0)))
        {
            return;
        }

        _flushing = true;
        try
        {
            var changed = UpsertComputed.RunPositional(context, CollectionsMarshal.AsSpan(_upserts), static (s, at, row) =>
            {
                s.Set(at, row.Profile);
                s.Set(at + 1, row.State);
                s.Set(at + 2, row.Due);
                s.Set(at + 3, row.Audiences);
            });
            changed += DeleteComputed.RunPositional(context, CollectionsMarshal.AsSpan(_deletes), static (s, at, profile) => s.Set(at, profile));
            if (withTriggers)
            {
                changed += AppendTriggers();
                _triggers.Clear();
            }

            if (changed > 0)
            {
                context.MarkDirty();
            }
        }
        catch
        {
            _triggers.Clear();
            throw;
        }
        finally
        {
            _profiles.Clear();
            _upserts.Clear();
            _deletes.Clear();
            _flushing = false;
        }
    }
}

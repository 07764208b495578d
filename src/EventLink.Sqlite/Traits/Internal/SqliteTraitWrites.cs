using System.Runtime.InteropServices;
using EventLink.Sqlite.Internal;
using EventLink.Storage;
using Microsoft.Data.Sqlite;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Traits.Internal;

/// <summary>Computed traits, audience memberships and the trigger log, in the session's transaction.</summary>
internal sealed class SqliteTraitWrites(SqliteSessionContext context)
{
    private static readonly SqliteMultiRow DeleteTriggers = new(
        "DELETE FROM triggers WHERE tenant_key = $t AND profile_id IN (",
        "$profile{0}",
        ");",
        [],
        ["$profile"]);

    public ValueTask<ComputedStateRow> GetComputedStateAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var blob = ToBlob(profileId);
        return ValueTask.FromResult(ReadComputed(Bound(TraitsSql.ReadComputed, blob), () => Bound(TraitsSql.ReadStates, blob), profileId));
    }

    /// <summary>
    /// Reads a profile's computed state: its row (packed state, due time, memberships) and, only when the row holds no
    /// packed state, the trait rows an earlier version stored one per trait (shared with the store's reads).
    /// </summary>
    internal static ComputedStateRow ReadComputed(SqliteCommand computed, Func<SqliteCommand> states, Guid profileId)
    {
        byte[]? state = null;
        DateTimeOffset? due = null;
        AudienceMemberRow[] audiences = [];
        using (var reader = computed.ExecuteReader())
        {
            if (reader.Read())
            {
                state = reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0);
                due = reader.IsDBNull(1) ? null : ToTime(reader, 1);
                audiences = SqliteMemberships.Decode(reader.IsDBNull(2) ? null : reader.GetString(2), profileId);
            }
        }

        // Packed states replace the rows of the traits (a profile has rows only until its first update is packed).
        var traits = new List<TraitStateRow>();
        if (state is null)
        {
            using var reader = states().ExecuteReader();
            while (reader.Read())
            {
                traits.Add(new TraitStateRow(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var row = new ComputedStateRow(traits, audiences, due) { State = state };
        return row.IsEmpty ? ComputedStateRow.Empty : row;
    }

    public ValueTask SaveComputedStateAsync(Guid profileId, ComputedStateRow state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        cancellationToken.ThrowIfCancellationRequested();
        var blob = ToBlob(profileId);
        context.Delete(TraitsSql.DeleteStates, blob);
        InsertStates(blob, state.Traits);
        WriteComputed(blob, state);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Writes the profile's one row (packed state, due time, memberships), held to go in with the other profiles'
    /// (<see cref="SqliteHeldTraitWrites"/>), and deletes the trait rows of <paramref name="previous"/> if it had any.
    /// </summary>
    public ValueTask UpdateComputedStateAsync(Guid profileId, ComputedStateRow previous, ComputedStateRow state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(state);
        if (state.Traits.Count > 0)
        {
            return SaveComputedStateAsync(profileId, state, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        context.Session.ThrowIfClosed();
        var held = context.HeldTraits;
        if (held.Holds(profileId))
        {
            held.Flush();
        }

        var blob = ToBlob(profileId);
        if (previous.Traits.Count > 0)
        {
            context.Delete(TraitsSql.DeleteStates, blob);
        }

        held.Computed(profileId, blob, state);
        return ValueTask.CompletedTask;
    }

    private SqliteCommand Bound(string sql, byte[] blob)
    {
        var command = context.Command(sql, "$profile");
        command.Parameters[1].Value = blob;
        return command;
    }

    private void InsertStates(byte[] blob, IReadOnlyList<TraitStateRow> traits)
    {
        if (traits.Count > 0)
        {
            var insert = context.Command(TraitsSql.InsertState, "$profile", "$ordinal", "$name", "$value", "$state");
            for (var i = 0; i < traits.Count; i++)
            {
                var p = insert.Parameters;
                p[1].Value = blob;
                p[2].Value = i;
                p[3].Value = traits[i].Name;
                p[4].Value = traits[i].ValueJson;
                p[5].Value = traits[i].StateJson;
                context.Write(insert);
            }
        }
    }

    /// <summary>The profile's one row of packed state, due time and memberships: upserted, or deleted when it has none of them.</summary>
    private void WriteComputed(byte[] blob, ComputedStateRow state)
    {
        var audiences = SqliteMemberships.Encode(state.Audiences);
        if (state.State is null && state.DueAt is null && audiences is null)
        {
            if (context.Delete(TraitsSql.DeleteComputed, blob) > 0)
            {
                context.MarkDirty();
            }

            return;
        }

        var upsert = context.Command(TraitsSql.UpsertComputed, "$profile", "$state", "$due", "$audiences");
        upsert.Parameters[1].Value = blob;
        upsert.Parameters[2].Value = state.State is { } packed ? packed : DBNull.Value;
        upsert.Parameters[3].Value = state.DueAt is { } due ? ToMicros(due) : DBNull.Value;
        upsert.Parameters[4].Value = audiences is null ? DBNull.Value : audiences;
        context.Write(upsert);
    }

    public ValueTask AppendTriggerAsync(TriggerRow trigger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        cancellationToken.ThrowIfCancellationRequested();
        context.Session.ThrowIfClosed();
        context.HeldTraits.Trigger(trigger);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<Guid>> GetDueProfilesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = context.Command(TraitsSql.ReadDueProfiles, "$now", "$limit");
        command.Parameters[1].Value = ToMicros(now);
        command.Parameters[2].Value = Math.Max(0, limit);
        var ids = new List<Guid>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(ToGuid(reader, 0));
        }

        return ValueTask.FromResult<IReadOnlyList<Guid>>(ids);
    }

    public ValueTask<long> ForgetComputedAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        context.FlushDeferred();
        var closure = new List<byte[]> { ToBlob(profileId) };
        context.AddMergedProfiles(closure);
        foreach (var id in closure)
        {
            context.Delete(TraitsSql.DeleteStates, id);
            context.Delete(TraitsSql.DeleteComputed, id);
        }

        // The log has no index by profile (migration step 8): the tenant's log is read, rows of the triggers table once
        // per 16 profiles, and the session rows of trigger_batches once.
        long triggers = DeleteTriggers.Run(context, CollectionsMarshal.AsSpan(closure), static (p, at, id) => p[at].Value = id);
        triggers += ForgetTriggerBatches(closure);
        if (triggers > 0)
        {
            context.MarkDirty();
        }

        return ValueTask.FromResult(triggers);
    }

    /// <summary>Takes the entries of <paramref name="closure"/> out of the tenant's trigger_batches rows; returns how many.</summary>
    private int ForgetTriggerBatches(List<byte[]> closure)
    {
        var profiles = closure.Select(id => new Guid(id, bigEndian: true)).ToHashSet();
        var changes = new List<(long LastSequence, byte[]? Entries)>();
        var removed = 0;
        using (var reader = context.Command(TraitsSql.ReadAllTriggerBatches).ExecuteReader())
        {
            while (reader.Read())
            {
                var entries = SqliteTriggerBatches.Decode(reader.GetFieldValue<byte[]>(1));
                var kept = SqliteTriggerBatches.Without(entries, profiles, out var count);
                if (count > 0)
                {
                    removed += count;
                    changes.Add((reader.GetInt64(0), kept));
                }
            }
        }

        foreach (var (last, kept) in changes)
        {
            var command = kept is null
                ? context.Command(TraitsSql.DeleteTriggerBatch, "$last")
                : context.Command(TraitsSql.UpdateTriggerBatch, "$last", "$entries");
            command.Parameters[1].Value = last;
            if (kept is not null)
            {
                command.Parameters[2].Value = kept;
            }

            command.ExecuteNonQuery();
        }

        return removed;
    }

    internal static class TraitsSql
    {
        public const string ReadStates = "SELECT name, value, state FROM trait_states WHERE tenant_key = $t AND profile_id = $profile ORDER BY ordinal;";
        public const string ReadComputed = "SELECT state, due_at, audiences FROM computed WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteStates = "DELETE FROM trait_states WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteComputed = "DELETE FROM computed WHERE tenant_key = $t AND profile_id = $profile;";
        public const string InsertState = "INSERT INTO trait_states (tenant_key, profile_id, ordinal, name, value, state) VALUES ($t, $profile, $ordinal, $name, $value, $state);";
        public const string UpsertComputed = """
            INSERT INTO computed (tenant_key, profile_id, state, due_at, audiences) VALUES ($t, $profile, $state, $due, $audiences)
            ON CONFLICT (tenant_key, profile_id) DO UPDATE SET state = excluded.state, due_at = excluded.due_at, audiences = excluded.audiences;
            """;
        public const string ReadDueProfiles = "SELECT profile_id FROM computed WHERE tenant_key = $t AND due_at <= $now ORDER BY due_at, profile_id LIMIT $limit;";
        public const string ReadTriggerRows = "SELECT seq, kind, name, profile_id, event_id, at FROM triggers WHERE tenant_key = $t AND seq > $after ORDER BY seq LIMIT $limit;";
        public const string ReadTriggerBatches = "SELECT entries FROM trigger_batches WHERE tenant_key = $t AND last_seq > $after ORDER BY last_seq;";
        public const string ReadAllTriggerBatches = "SELECT last_seq, entries FROM trigger_batches WHERE tenant_key = $t ORDER BY last_seq;";
        public const string DeleteTriggerBatch = "DELETE FROM trigger_batches WHERE tenant_key = $t AND last_seq = $last;";
        public const string UpdateTriggerBatch = "UPDATE trigger_batches SET entries = $entries WHERE tenant_key = $t AND last_seq = $last;";
    }
}

using EventLink.Sqlite.Internal;
using EventLink.Storage;
using Microsoft.Data.Sqlite;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Traits.Internal;

/// <summary>Computed traits, audience memberships and the trigger log, in the session's transaction.</summary>
internal sealed class SqliteTraitWrites(SqliteSessionContext context)
{
    public ValueTask<ComputedStateRow> GetComputedStateAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var blob = ToBlob(profileId);
        return ValueTask.FromResult(ReadComputed(
            Bound(TraitsSql.ReadStates, blob), Bound(TraitsSql.ReadMemberships, blob), Bound(TraitsSql.ReadComputed, blob), profileId));
    }

    /// <summary>Reads a profile's computed state from the three statements, each bound to it (shared with the store's reads).</summary>
    internal static ComputedStateRow ReadComputed(SqliteCommand states, SqliteCommand memberships, SqliteCommand computed, Guid profileId)
    {
        var traits = new List<TraitStateRow>();
        using (var reader = states.ExecuteReader())
        {
            while (reader.Read())
            {
                traits.Add(new TraitStateRow(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var audiences = new List<AudienceMemberRow>();
        using (var reader = memberships.ExecuteReader())
        {
            while (reader.Read())
            {
                audiences.Add(new AudienceMemberRow(reader.GetString(0), profileId, ToTime(reader, 1)));
            }
        }

        byte[]? state = null;
        DateTimeOffset? due = null;
        using (var reader = computed.ExecuteReader())
        {
            if (reader.Read())
            {
                state = reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0);
                due = reader.IsDBNull(1) ? null : ToTime(reader, 1);
            }
        }

        // Packed states replace the rows of the traits (a profile has rows only until its first update is packed).
        var row = new ComputedStateRow(state is null ? traits : [], audiences, due) { State = state };
        return row.IsEmpty ? ComputedStateRow.Empty : row;
    }

    public ValueTask SaveComputedStateAsync(Guid profileId, ComputedStateRow state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        cancellationToken.ThrowIfCancellationRequested();
        var blob = ToBlob(profileId);
        context.Delete(TraitsSql.DeleteStates, blob);
        context.Delete(TraitsSql.DeleteMemberships, blob);
        InsertStates(blob, state.Traits);
        InsertMemberships(blob, state.Audiences);
        WriteComputed(blob, state);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Writes what differs from <paramref name="previous"/>: the packed state and due time (one row), and only the
    /// memberships that changed, held to go in with the other profiles' (<see cref="SqliteHeldTraitWrites"/>).
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

        if (!ReferenceEquals(previous.Audiences, state.Audiences))
        {
            foreach (var was in previous.Audiences)
            {
                if (!Contains(state.Audiences, was, sameEntry: false))
                {
                    held.Left(blob, was.Audience);
                }
            }

            foreach (var member in state.Audiences)
            {
                if (!Contains(previous.Audiences, member, sameEntry: true))
                {
                    held.Joined(blob, member);
                }
            }
        }

        held.Computed(profileId, blob, state);
        return ValueTask.CompletedTask;
    }

    private static bool Contains(IReadOnlyList<AudienceMemberRow> members, AudienceMemberRow member, bool sameEntry)
    {
        foreach (var candidate in members)
        {
            if (candidate.Audience == member.Audience)
            {
                return !sameEntry || candidate.EnteredAt == member.EnteredAt;
            }
        }

        return false;
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

    private void InsertMemberships(byte[] blob, IReadOnlyList<AudienceMemberRow> audiences)
    {
        if (audiences.Count > 0)
        {
            var insert = context.Command(TraitsSql.InsertMembership, "$audience", "$profile", "$entered");
            foreach (var member in audiences)
            {
                var p = insert.Parameters;
                p[1].Value = member.Audience;
                p[2].Value = blob;
                p[3].Value = ToMicros(member.EnteredAt);
                context.Write(insert);
            }
        }
    }

    /// <summary>The profile's one row of packed state and due time: upserted, or deleted when it has neither.</summary>
    private void WriteComputed(byte[] blob, ComputedStateRow state)
    {
        if (state.State is null && state.DueAt is null)
        {
            if (context.Delete(TraitsSql.DeleteComputed, blob) > 0)
            {
                context.MarkDirty();
            }

            return;
        }

        var upsert = context.Command(TraitsSql.UpsertComputed, "$profile", "$state", "$due");
        upsert.Parameters[1].Value = blob;
        upsert.Parameters[2].Value = state.State is { } packed ? packed : DBNull.Value;
        upsert.Parameters[3].Value = state.DueAt is { } due ? ToMicros(due) : DBNull.Value;
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
        var closure = new List<byte[]> { ToBlob(profileId) };
        context.AddMergedProfiles(closure);

        long triggers = 0;
        foreach (var id in closure)
        {
            context.Delete(TraitsSql.DeleteStates, id);
            context.Delete(TraitsSql.DeleteMemberships, id);
            context.Delete(TraitsSql.DeleteComputed, id);
            triggers += context.Delete(TraitsSql.DeleteTriggers, id);
        }

        return ValueTask.FromResult(triggers);
    }

    public ValueTask<Guid?> GetEventProfileAsync(long eventId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = context.Command(TraitsSql.EventProfile, "$event");
        command.Parameters[1].Value = eventId;
        return ValueTask.FromResult(command.ExecuteScalar() is byte[] blob ? new Guid(blob, bigEndian: true) : (Guid?)null);
    }

    internal static class TraitsSql
    {
        public const string ReadStates = "SELECT name, value, state FROM trait_states WHERE tenant_key = $t AND profile_id = $profile ORDER BY ordinal;";
        // Without statistics SQLite's planner reads the members by the primary key's tenant prefix (every membership of
        // the tenant, as entered_at is not in the profile index): the index is named.
        public const string ReadMemberships = "SELECT audience, entered_at FROM audience_members INDEXED BY ix_audience_members_profile WHERE tenant_key = $t AND profile_id = $profile ORDER BY audience;";
        public const string ReadComputed = "SELECT state, due_at FROM computed WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteStates = "DELETE FROM trait_states WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteMemberships = "DELETE FROM audience_members WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteComputed = "DELETE FROM computed WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteTriggers = "DELETE FROM triggers WHERE tenant_key = $t AND profile_id = $profile;";
        public const string InsertState = "INSERT INTO trait_states (tenant_key, profile_id, ordinal, name, value, state) VALUES ($t, $profile, $ordinal, $name, $value, $state);";
        public const string InsertMembership = "INSERT INTO audience_members (tenant_key, audience, profile_id, entered_at) VALUES ($t, $audience, $profile, $entered);";
        public const string UpsertComputed = """
            INSERT INTO computed (tenant_key, profile_id, state, due_at) VALUES ($t, $profile, $state, $due)
            ON CONFLICT (tenant_key, profile_id) DO UPDATE SET state = excluded.state, due_at = excluded.due_at;
            """;
        public const string ReadDueProfiles = "SELECT profile_id FROM computed WHERE tenant_key = $t AND due_at <= $now ORDER BY due_at, profile_id LIMIT $limit;";
        public const string EventProfile = "SELECT profile_id FROM events WHERE tenant_key = $t AND id = $event;";
    }
}

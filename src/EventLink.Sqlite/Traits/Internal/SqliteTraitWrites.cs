using EventLink.Sqlite.Internal;
using EventLink.Storage;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Traits.Internal;

/// <summary>Computed traits, audience memberships and the trigger log, in the session's transaction.</summary>
internal sealed class SqliteTraitWrites(SqliteSessionContext context)
{
    public ValueTask<ComputedStateRow> GetComputedStateAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var blob = ToBlob(profileId);
        var traits = new List<TraitStateRow>();
        var command = context.Command(TraitsSql.ReadStates, "$profile");
        command.Parameters[1].Value = blob;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                traits.Add(new TraitStateRow(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var audiences = new List<AudienceMemberRow>();
        command = context.Command(TraitsSql.ReadMemberships, "$profile");
        command.Parameters[1].Value = blob;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                audiences.Add(new AudienceMemberRow(reader.GetString(0), profileId, ToTime(reader, 1)));
            }
        }

        command = context.Command(TraitsSql.ReadDue, "$profile");
        command.Parameters[1].Value = blob;
        DateTimeOffset? due = command.ExecuteScalar() is long micros ? FromMicros(micros) : null;
        return ValueTask.FromResult(traits.Count == 0 && audiences.Count == 0 && due is null ? ComputedStateRow.Empty : new ComputedStateRow(traits, audiences, due));
    }

    public ValueTask SaveComputedStateAsync(Guid profileId, ComputedStateRow state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        cancellationToken.ThrowIfCancellationRequested();
        var blob = ToBlob(profileId);
        context.Delete(TraitsSql.DeleteStates, blob);
        context.Delete(TraitsSql.DeleteMemberships, blob);
        context.Delete(TraitsSql.DeleteDue, blob);
        if (state.Traits.Count > 0)
        {
            var insert = context.Command(TraitsSql.InsertState, "$profile", "$ordinal", "$name", "$value", "$state");
            for (var i = 0; i < state.Traits.Count; i++)
            {
                var p = insert.Parameters;
                p[1].Value = blob;
                p[2].Value = i;
                p[3].Value = state.Traits[i].Name;
                p[4].Value = state.Traits[i].ValueJson;
                p[5].Value = state.Traits[i].StateJson;
                context.Write(insert);
            }
        }

        if (state.Audiences.Count > 0)
        {
            var insert = context.Command(TraitsSql.InsertMembership, "$audience", "$profile", "$entered");
            foreach (var member in state.Audiences)
            {
                var p = insert.Parameters;
                p[1].Value = member.Audience;
                p[2].Value = blob;
                p[3].Value = ToMicros(member.EnteredAt);
                context.Write(insert);
            }
        }

        if (state.DueAt is { } due)
        {
            var insert = context.Command(TraitsSql.InsertDue, "$profile", "$due");
            insert.Parameters[1].Value = blob;
            insert.Parameters[2].Value = ToMicros(due);
            context.Write(insert);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask AppendTriggerAsync(TriggerRow trigger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        cancellationToken.ThrowIfCancellationRequested();
        var command = context.Command(TraitsSql.AppendTrigger, "$kind", "$name", "$profile", "$event", "$at");
        var p = command.Parameters;
        p[1].Value = (int)trigger.Kind;
        p[2].Value = trigger.Name;
        p[3].Value = ToBlob(trigger.ProfileId);
        p[4].Value = trigger.EventId is { } id ? id : DBNull.Value;
        p[5].Value = ToMicros(trigger.At);
        context.Write(command);
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
            context.Delete(TraitsSql.DeleteDue, id);
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

    private static class TraitsSql
    {
        public const string ReadStates = "SELECT name, value, state FROM trait_states WHERE tenant_key = $t AND profile_id = $profile ORDER BY ordinal;";
        public const string ReadMemberships = "SELECT audience, entered_at FROM audience_members WHERE tenant_key = $t AND profile_id = $profile ORDER BY audience;";
        public const string ReadDue = "SELECT due_at FROM computed_due WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteStates = "DELETE FROM trait_states WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteMemberships = "DELETE FROM audience_members WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteDue = "DELETE FROM computed_due WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteTriggers = "DELETE FROM triggers WHERE tenant_key = $t AND profile_id = $profile;";
        public const string InsertState = "INSERT INTO trait_states (tenant_key, profile_id, ordinal, name, value, state) VALUES ($t, $profile, $ordinal, $name, $value, $state);";
        public const string InsertMembership = "INSERT INTO audience_members (tenant_key, audience, profile_id, entered_at) VALUES ($t, $audience, $profile, $entered);";
        public const string InsertDue = "INSERT INTO computed_due (tenant_key, profile_id, due_at) VALUES ($t, $profile, $due);";
        public const string AppendTrigger = "INSERT INTO triggers (tenant_key, kind, name, profile_id, event_id, at) VALUES ($t, $kind, $name, $profile, $event, $at);";
        public const string ReadDueProfiles = "SELECT profile_id FROM computed_due WHERE tenant_key = $t AND due_at <= $now ORDER BY due_at, profile_id LIMIT $limit;";
        public const string EventProfile = "SELECT profile_id FROM events WHERE tenant_key = $t AND id = $event;";
    }
}

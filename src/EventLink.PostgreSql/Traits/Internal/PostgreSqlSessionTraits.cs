using EventLink.PostgreSql.Destinations.Internal;
using EventLink.PostgreSql.Internal;
using EventLink.Storage;
using Npgsql;
using NpgsqlTypes;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Traits.Internal;

/// <summary>Computed traits, audience memberships and the trigger log, in the session's transaction.</summary>
internal sealed class PostgreSqlSessionTraits(PostgreSqlSessionContext context)
{
    private readonly PostgreSqlSessionContext _context = context;

    private PostgreSqlTraitsSql TraitsSql => PostgreSqlTraitsSql.For(_context.Sql.Schema);

    public async ValueTask<ComputedStateRow> GetComputedStateAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        await _context.FlushAsync(cancellationToken).ConfigureAwait(false);
        return await ReadComputedAsync(_context.Connection, _context.Transaction, TraitsSql, _context.Tenant, profileId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a profile's computed state on a connection (the session's, or a read's).</summary>
    internal static async ValueTask<ComputedStateRow> ReadComputedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, PostgreSqlTraitsSql sql, string tenant, Guid profileId, CancellationToken cancellationToken)
    {
        var traits = new List<TraitStateRow>();
        await using (var command = Command(connection, transaction, sql.ReadStates, Text(tenant), Uuid(profileId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                traits.Add(new TraitStateRow(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var audiences = new List<AudienceMemberRow>();
        await using (var command = Command(connection, transaction, sql.ReadMemberships, Text(tenant), Uuid(profileId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                audiences.Add(new AudienceMemberRow(reader.GetString(0), profileId, Time(reader, 1)));
            }
        }

        DateTimeOffset? due = null;
        byte[]? state = null;
        await using (var command = Command(connection, transaction, sql.ReadDue, Text(tenant), Uuid(profileId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                due = reader.IsDBNull(0) ? null : Time(reader, 0);
                state = reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1);
            }
        }

        // Packed states replace the rows of the traits (a profile has rows only until its first update is packed).
        var row = new ComputedStateRow(state is null ? traits : [], audiences, due) { State = state };
        return row.IsEmpty ? ComputedStateRow.Empty : row;
    }

    public async ValueTask SaveComputedStateAsync(Guid profileId, ComputedStateRow state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var sql = TraitsSql;
        await DeleteComputedAsync(sql, [profileId], cancellationToken).ConfigureAwait(false);
        if (state.Traits.Count > 0)
        {
            await _context.ExecuteAsync(
                sql.InsertStates,
                cancellationToken,
                Text(_context.Tenant),
                Uuid(profileId),
                TextArray([.. state.Traits.Select(t => t.Name)]),
                TextArray([.. state.Traits.Select(t => t.ValueJson)]),
                TextArray([.. state.Traits.Select(t => t.StateJson)])).ConfigureAwait(false);
        }

        if (state.Audiences.Count > 0)
        {
            await _context.ExecuteAsync(
                sql.InsertMemberships,
                cancellationToken,
                Text(_context.Tenant),
                Uuid(profileId),
                TextArray([.. state.Audiences.Select(a => a.Audience)]),
                new NpgsqlParameter<DateTime[]> { TypedValue = [.. state.Audiences.Select(a => a.EnteredAt.UtcDateTime)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz }).ConfigureAwait(false);
        }

        if (state.DueAt is not null || state.State is not null)
        {
            await _context.ExecuteAsync(
                sql.InsertDue,
                cancellationToken,
                Text(_context.Tenant),
                Uuid(profileId),
                NullableTimestamp(state.DueAt),
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = (object?)state.State ?? DBNull.Value }).ConfigureAwait(false);
        }
    }

    public ValueTask AppendTriggerAsync(TriggerRow trigger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return _context.ExecuteAsync(
            TraitsSql.AppendTrigger,
            cancellationToken,
            Text(_context.Tenant),
            Smallint((short)trigger.Kind),
            Text(trigger.Name),
            Uuid(trigger.ProfileId),
            NullableLong(trigger.EventId),
            Timestamp(trigger.At));
    }

    public async ValueTask<IReadOnlyList<Guid>> GetDueProfilesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        var ids = new List<Guid>();
        await using var command = await _context.PrepareAsync(TraitsSql.DueProfiles, cancellationToken, Text(_context.Tenant), Timestamp(now), Int(Math.Max(0, limit))).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    public async ValueTask<long> ForgetComputedAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        var closure = new List<Guid> { profileId };
        await using (var command = await _context.PrepareAsync(PostgreSqlOutboxSql.For(_context.Sql.Schema).Closure, cancellationToken, Text(_context.Tenant), Uuid(profileId)).ConfigureAwait(false))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                closure.Add(reader.GetGuid(0));
            }
        }

        var ids = closure.Distinct().ToArray();
        var sql = TraitsSql;
        await DeleteComputedAsync(sql, ids, cancellationToken).ConfigureAwait(false);
        return await _context.ExecuteCountAsync(sql.DeleteTriggers, cancellationToken, Text(_context.Tenant), UuidArray(ids)).ConfigureAwait(false);
    }

    public async ValueTask<Guid?> GetEventProfileAsync(long eventId, CancellationToken cancellationToken = default)
    {
        await using var command = await _context.PrepareAsync(TraitsSql.EventProfile, cancellationToken, Text(_context.Tenant), Long(eventId)).ConfigureAwait(false);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is Guid id ? id : null;
    }

    private async ValueTask DeleteComputedAsync(PostgreSqlTraitsSql sql, Guid[] ids, CancellationToken cancellationToken)
    {
        await _context.ExecuteCountAsync(sql.DeleteStates, cancellationToken, Text(_context.Tenant), UuidArray(ids)).ConfigureAwait(false);
        await _context.ExecuteCountAsync(sql.DeleteMemberships, cancellationToken, Text(_context.Tenant), UuidArray(ids)).ConfigureAwait(false);
        await _context.ExecuteCountAsync(sql.DeleteDue, cancellationToken, Text(_context.Tenant), UuidArray(ids)).ConfigureAwait(false);
    }
}

using EventLink.PostgreSql.Internal;
using System.Runtime.CompilerServices;
using EventLink.Storage;
using Npgsql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Traits.Internal;

/// <summary>Computed traits, audience memberships and the trigger log: reads.</summary>
internal sealed class PostgreSqlTraitsQueries(NpgsqlDataSource dataSource, PostgreSqlSql sql) : PostgreSqlStoreQueries(dataSource, sql)
{
    private PostgreSqlTraitsSql TraitsSql => PostgreSqlTraitsSql.For(Sql.Schema);

    public async ValueTask<ComputedStateRow> ReadComputedStateAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        return await PostgreSqlSessionTraits.ReadComputedAsync(connection, transaction, TraitsSql, tenant, profileId, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<AudienceMemberRow> ReadAudienceMembersAsync(string tenant, string audience, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(audience);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, TraitsSql.Members, Text(tenant), Text(audience));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new AudienceMemberRow(audience, reader.GetGuid(0), Time(reader, 1));
        }
    }

    public async ValueTask<IReadOnlyList<TriggerRow>> ReadTriggersAsync(string tenant, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, TraitsSql.ReadTriggers, Text(tenant), Long(afterSequence), Int(Math.Max(0, limit)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<TriggerRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new TriggerRow(reader.GetInt64(0), (TriggerKind)reader.GetInt16(1), reader.GetString(2), reader.GetGuid(3), reader.IsDBNull(4) ? null : reader.GetInt64(4), Time(reader, 5)));
        }

        return rows;
    }
}

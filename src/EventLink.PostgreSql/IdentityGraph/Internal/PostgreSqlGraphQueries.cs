using EventLink.PostgreSql.Internal;
using System.Data;
using System.Runtime.CompilerServices;
using EventLink.Storage;
using Npgsql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.IdentityGraph.Internal;

/// <summary>The identity graph's reads: they take no lock, and a read of several tables sees one snapshot.</summary>
internal sealed class PostgreSqlGraphQueries(NpgsqlDataSource dataSource, PostgreSqlSql sql) : PostgreSqlStoreQueries(dataSource, sql)
{
    public async IAsyncEnumerable<ConflictRow> ReadConflictsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var rows = new List<ConflictRow>();
        await using (var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false))
        await using (var command = Command(connection, null, Sql.Graph.ReadConflicts, Text(tenant)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(PostgreSqlGraphSql.ReadConflict(reader));
            }
        }

        // Read in the order recorded; sorted stably here, so conflicts of the same claim and identity keep that order.
        foreach (var row in rows.OrderBy(c => c.Claim).ThenBy(c => c.Identity))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }
    }

    public async ValueTask<ClaimState?> GetClaimAsync(string tenant, ClaimKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var batch = Sql.Graph.ClaimBatch(connection, transaction, tenant, key);
        return await PostgreSqlGraphSql.ReadClaimAsync(batch, key, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<IReadOnlyList<IdentityKey>> GetMembersAsync(string tenant, IReadOnlyList<IdentityKey> accounts, CancellationToken cancellationToken = default) =>
        ReadLinkedIdentitiesAsync(tenant, Sql.Graph.MembersOf, accounts, cancellationToken);

    public ValueTask<IReadOnlyList<IdentityKey>> GetAccountsAsync(string tenant, IReadOnlyList<IdentityKey> members, CancellationToken cancellationToken = default) =>
        ReadLinkedIdentitiesAsync(tenant, Sql.Graph.AccountsOf, members, cancellationToken);

    public async ValueTask<EventRow?> GetEventAsync(string tenant, string source, string recordId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(recordId);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, Sql.Graph.GetEvent, Text(tenant), Text(source), Text(recordId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEvent(reader) : null;
    }

    public async ValueTask<SourceRecordRow?> GetSourceRecordAsync(string tenant, string source, string recordId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(recordId);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, Sql.GetSourceRecord, Text(tenant), Text(source), Text(recordId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadSourceRecord(reader) : null;
    }

    public async ValueTask<IdentityRow?> GetIdentityAsync(string tenant, IdentityKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, Sql.Graph.GetIdentity, Text(tenant), Text(key.Kind), Text(key.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadIdentity(reader) : null;
    }

    /// <summary>Runs a membership lookup over a set of identities (<c>$2</c> kinds, <c>$3</c> values); returns the result distinct and ordered.</summary>
    private async ValueTask<IReadOnlyList<IdentityKey>> ReadLinkedIdentitiesAsync(string tenant, string sql, IReadOnlyList<IdentityKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return [];
        }

        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, sql, Text(tenant), TextArray([.. keys.Select(k => k.Kind)]), TextArray([.. keys.Select(k => k.Value)]));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await PostgreSqlGraphSql.ReadIdentityKeysAsync(reader, cancellationToken).ConfigureAwait(false);
    }
}

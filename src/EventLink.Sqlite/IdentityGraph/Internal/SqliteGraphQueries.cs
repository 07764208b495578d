using System.Runtime.CompilerServices;
using EventLink.Sqlite.Internal;
using EventLink.Storage;
using Microsoft.Data.Sqlite;

namespace EventLink.Sqlite.IdentityGraph.Internal;

/// <summary>The identity graph's reads, each in one read snapshot like the other queries.</summary>
internal sealed class SqliteGraphQueries(SqliteEventLinkStore store)
{
    public async IAsyncEnumerable<ConflictRow> ReadConflictsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var rows = new List<ConflictRow>();
        using (var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            if (scope is null)
            {
                yield break;
            }

            using var command = scope.Command(SqliteGraphSql.ReadConflicts);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(SqliteGraphSql.ReadConflict(reader));
            }
        }

        // Stable: conflicts of the same claim and identity stay in the order they were recorded.
        foreach (var row in rows.OrderBy(c => c.Claim).ThenBy(c => c.Identity))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }
    }

    public async ValueTask<ClaimState?> GetClaimAsync(string tenant, ClaimKey key, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return null;
        }

        using var claim = scope.Command(SqliteGraphSql.GetClaim);
        claim.Parameters.AddWithValue("$source", key.Source);
        claim.Parameters.AddWithValue("$record", key.RecordId);
        claim.Parameters.AddWithValue("$kind", (int)key.Kind);
        using var identities = scope.Command(SqliteGraphSql.GetClaimIdentities);
        identities.Parameters.Add(new SqliteParameter { ParameterName = "$claim" });
        return SqliteGraphSql.ReadClaim(claim, identities, key);
    }

    public ValueTask<IReadOnlyList<IdentityKey>> GetMembersAsync(string tenant, IReadOnlyList<IdentityKey> accounts, CancellationToken cancellationToken = default) =>
        ReadLinkedIdentitiesAsync(tenant, SqliteGraphSql.MembersOf, accounts, cancellationToken);

    public ValueTask<IReadOnlyList<IdentityKey>> GetAccountsAsync(string tenant, IReadOnlyList<IdentityKey> members, CancellationToken cancellationToken = default) =>
        ReadLinkedIdentitiesAsync(tenant, SqliteGraphSql.AccountsOf, members, cancellationToken);

    public async ValueTask<EventRow?> GetEventAsync(string tenant, string source, string recordId, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return null;
        }

        using var command = scope.Command(SqliteGraphSql.GetEvent);
        command.Parameters.AddWithValue("$source", source);
        command.Parameters.AddWithValue("$record", recordId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? SqliteReads.ReadEvent(reader) : null;
    }

    public async ValueTask<SourceRecordRow?> GetSourceRecordAsync(string tenant, string source, string recordId, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return null;
        }

        using var command = scope.Command(SqliteGraphSql.GetSourceRecord);
        command.Parameters.AddWithValue("$source", source);
        command.Parameters.AddWithValue("$record", recordId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? SqliteReads.ReadSourceRecord(reader) : null;
    }

    public async ValueTask<IdentityRow?> GetIdentityAsync(string tenant, IdentityKey key, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return null;
        }

        using var command = scope.Command(SqliteGraphSql.GetIdentity);
        command.Parameters.AddWithValue("$kind", key.Kind);
        command.Parameters.AddWithValue("$value", key.Value);
        var rows = SqliteReads.ReadIdentities(command);
        return rows.Count > 0 ? rows[0] : null;
    }

    /// <summary>Runs a membership lookup (<c>$kind</c>, <c>$value</c>) for each identity; returns the union, distinct and ordered.</summary>
    private async ValueTask<IReadOnlyList<IdentityKey>> ReadLinkedIdentitiesAsync(string tenant, string sql, IReadOnlyList<IdentityKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null || keys.Count == 0)
        {
            return [];
        }

        using var command = scope.Command(sql);
        var kind = command.Parameters.Add(new SqliteParameter { ParameterName = "$kind" });
        var value = command.Parameters.Add(new SqliteParameter { ParameterName = "$value" });
        var found = new SortedSet<IdentityKey>();
        foreach (var key in keys.Distinct())
        {
            cancellationToken.ThrowIfCancellationRequested();
            kind.Value = key.Kind;
            value.Value = key.Value;
            foreach (var linked in SqliteGraphSql.ReadIdentityKeys(command))
            {
                found.Add(linked);
            }
        }

        return [.. found];
    }
}

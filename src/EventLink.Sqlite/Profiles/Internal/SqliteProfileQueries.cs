using System.Runtime.CompilerServices;
using EventLink.Sqlite.Internal;
using EventLink.Storage;
using Microsoft.Data.Sqlite;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Profiles.Internal;

/// <summary>Profile queries: each runs on its own pooled connection, in a read transaction (one consistent snapshot).</summary>
internal sealed class SqliteProfileQueries(SqliteEventLinkStore store)
{
    /// <summary>Merge chains are short; a longer one means a corrupt file, not a deep history.</summary>
    private const int MaxMergeChain = 100_000;

    public async ValueTask<Guid?> FindProfileIdAsync(string tenant, IdentityKey key, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return null;
        }

        using var command = scope.Command(SqliteReads.FindProfileId);
        command.Parameters.AddWithValue("$kind", key.Kind);
        command.Parameters.AddWithValue("$value", key.Value);
        return command.ExecuteScalar() is byte[] blob ? new Guid(blob, bigEndian: true) : null;
    }

    public async ValueTask<StoredProfile?> GetProfileAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return null;
        }

        using var command = scope.Command(SqliteReads.GetProfile);
        var id = command.Parameters.Add(new SqliteParameter { ParameterName = "$id", Value = ToBlob(profileId) });
        ProfileRow? profile = null;
        for (var hops = 0; hops < MaxMergeChain; hops++)
        {
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read())
                {
                    break;
                }

                profile = SqliteReads.ReadProfileRow(reader);
            }

            if (profile.MergedInto is not { } next)
            {
                break;
            }

            id.Value = ToBlob(next);
        }

        if (profile is null)
        {
            return null;
        }

        using var profiles = new SqliteProfileReader(scope.Connection, scope.Transaction, scope.TenantKey);
        return profiles.Read(profile);
    }

    public async ValueTask<Guid?> ResolveProfileIdAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return null;
        }

        var command = scope.Prepared(SqliteReads.MergedInto);
        var id = command.Parameters.Add(new SqliteParameter { ParameterName = "$id" });
        // Follows merged_into as GetProfileAsync does, without reading the profile's identities and attributes.
        Guid? found = null;
        var current = profileId;
        for (var hops = 0; hops < MaxMergeChain; hops++)
        {
            id.Value = ToBlob(current);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                break;
            }

            found = current;
            if (reader.IsDBNull(0))
            {
                break;
            }

            current = ToGuid(reader, 0);
        }

        return found;
    }

    public async IAsyncEnumerable<StoredProfile> ReadProfilesAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            yield break;
        }

        using var profiles = new SqliteProfileReader(scope.Connection, scope.Transaction, scope.TenantKey);
        using var command = scope.Command(SqliteReads.LiveProfiles);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return profiles.Read(SqliteReads.ReadProfileRow(reader));
            }
        }
    }
}

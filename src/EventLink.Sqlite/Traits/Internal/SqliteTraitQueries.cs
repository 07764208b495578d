using System.Runtime.CompilerServices;
using EventLink.Sqlite.Internal;
using EventLink.Storage;
using Microsoft.Data.Sqlite;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Traits.Internal;

/// <summary>Computed traits, audience memberships and the trigger log: reads.</summary>
internal sealed class SqliteTraitQueries(SqliteEventLinkStore store)
{
    public async ValueTask<ComputedStateRow> ReadComputedStateAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return ComputedStateRow.Empty;
        }

        var blob = ToBlob(profileId);
        using var computed = scope.Command(SqliteTraitWrites.TraitsSql.ReadComputed);
        computed.Parameters.AddWithValue("$profile", blob);
        SqliteCommand? states = null;
        try
        {
            return SqliteTraitWrites.ReadComputed(computed, () =>
            {
                states = scope.Command(SqliteTraitWrites.TraitsSql.ReadStates);
                states.Parameters.AddWithValue("$profile", blob);
                return states;
            }, profileId);
        }
        finally
        {
            states?.Dispose();
        }
    }

    public async IAsyncEnumerable<AudienceMemberRow> ReadAudienceMembersAsync(string tenant, string audience, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var rows = new List<AudienceMemberRow>();
        using (var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            if (scope is null)
            {
                yield break;
            }

            // Memberships are in the profiles' rows (migration step 8): the tenant's rows are read in profile order.
            using var command = scope.Command("""
                SELECT c.profile_id, m.value ->> 1 FROM computed c, json_each(c.audiences) m
                WHERE c.tenant_key = $t AND c.audiences IS NOT NULL AND m.value ->> 0 = $audience
                ORDER BY c.profile_id;
                """);
            command.Parameters.AddWithValue("$audience", audience);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(new AudienceMemberRow(audience, ToGuid(reader, 0), ToTime(reader, 1)));
            }
        }

        foreach (var row in rows)
        {
            yield return row;
        }
    }

    public async ValueTask<IReadOnlyList<TriggerRow>> ReadTriggersAsync(string tenant, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return [];
        }

        limit = Math.Max(0, limit);
        using var command = scope.Command(SqliteTraitWrites.TraitsSql.ReadTriggerRows);
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$limit", limit);
        var rows = new List<TriggerRow>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add(new TriggerRow(reader.GetInt64(0), (TriggerKind)reader.GetInt32(1), reader.GetString(2), ToGuid(reader, 3), reader.IsDBNull(4) ? null : reader.GetInt64(4), ToTime(reader, 5)));
            }
        }

        // Entries since migration step 8, one row per session: after the rows above, whose sequences are all smaller.
        using var batches = scope.Command(SqliteTraitWrites.TraitsSql.ReadTriggerBatches);
        batches.Parameters.AddWithValue("$after", afterSequence);
        using (var reader = batches.ExecuteReader())
        {
            while (rows.Count < limit && reader.Read())
            {
                foreach (var entry in SqliteTriggerBatches.Decode(reader.GetFieldValue<byte[]>(0)))
                {
                    if (entry.Sequence > afterSequence && rows.Count < limit)
                    {
                        rows.Add(entry);
                    }
                }
            }
        }

        return rows;
    }
}

using System.Runtime.CompilerServices;
using EventLink.Sqlite.Internal;
using EventLink.Storage;

namespace EventLink.Sqlite.Quarantine.Internal;

/// <summary>Quarantine, rejection and coverage queries, each in one read snapshot like the other queries.</summary>
internal sealed class SqliteQuarantineQueries(SqliteEventLinkStore store)
{
    public async IAsyncEnumerable<QuarantineEntry> ReadQuarantineAsync(string tenant, string? recordType, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            yield break;
        }

        using var command = scope.Command(SqliteReads.Quarantine(byType: recordType is not null));
        if (recordType is not null)
        {
            command.Parameters.AddWithValue("$type", recordType);
        }

        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return SqliteReads.ReadQuarantineEntry(reader);
            }
        }
    }

    public async IAsyncEnumerable<RejectionRow> ReadRejectionsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            yield break;
        }

        using var command = scope.Command(SqliteReads.Rejections);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return SqliteReads.ReadRejection(reader);
            }
        }
    }

    public async ValueTask<IReadOnlyList<CoverageCounts>> GetCoverageCountsAsync(string tenant, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return [];
        }

        var byType = new SortedDictionary<string, CoverageCounts>(StringComparer.Ordinal);
        using (var command = scope.Command(SqliteReads.Coverage))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var type = reader.GetString(0);
                byType[type] = new CoverageCounts(type, reader.GetInt64(1), reader.GetInt64(2), 0, reader.GetInt64(3));
            }
        }

        using (var command = scope.Command(SqliteReads.RejectionCounts))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var type = reader.GetString(0);
                var rejected = reader.GetInt64(1);
                byType[type] = byType.TryGetValue(type, out var counts)
                    ? counts with { Rejected = rejected }
                    : new CoverageCounts(type, 0, 0, rejected, 0);
            }
        }

        return [.. byType.Values];
    }
}

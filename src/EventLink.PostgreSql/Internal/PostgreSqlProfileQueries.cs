using System.Data;
using System.Runtime.CompilerServices;
using EventLink.Storage;
using Npgsql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>Reads: they take no lock, and a read of several tables sees one snapshot.</summary>
internal sealed class PostgreSqlProfileQueries(NpgsqlDataSource dataSource, PostgreSqlSql sql) : PostgreSqlStoreQueries(dataSource, sql)
{
    private const int ProfilePageSize = 500;

    public async ValueTask<Guid?> FindProfileIdAsync(string tenant, IdentityKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, Sql.FindProfileId, Text(tenant), Text(key.Kind), Text(key.Value));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is Guid id ? id : null;
    }

    public async ValueTask<StoredProfile?> GetProfileAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        ProfileRow? profile;
        await using (var command = Command(connection, transaction, Sql.ResolveProfile, Text(tenant), Uuid(profileId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            profile = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadProfile(reader) : null;
        }

        if (profile is null)
        {
            return null;
        }

        var loaded = await LoadProfilesAsync(connection, transaction, tenant, [profile], cancellationToken).ConfigureAwait(false);
        return loaded[0];
    }

    public async ValueTask<Guid?> ResolveProfileIdAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);

        // One statement is one snapshot: the recursive query sees a consistent merge chain without a transaction.
        await using var command = Command(connection, null, Sql.ResolveProfile, Text(tenant), Uuid(profileId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetGuid(0) : null;
    }

    public async IAsyncEnumerable<StoredProfile> ReadProfilesAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        Guid? after = null;
        while (true)
        {
            var page = new List<ProfileRow>(ProfilePageSize);
            await using (var command = Command(connection, transaction, Sql.LiveProfilesPage, Text(tenant), NullableUuid(after), Int(ProfilePageSize)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    page.Add(ReadProfile(reader));
                }
            }

            if (page.Count == 0)
            {
                yield break;
            }

            foreach (var profile in await LoadProfilesAsync(connection, transaction, tenant, page, cancellationToken).ConfigureAwait(false))
            {
                yield return profile;
            }

            if (page.Count < ProfilePageSize)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }

    public async IAsyncEnumerable<EventRow> ReadTimelineAsync(string tenant, Guid profileId, TimelineQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection,
            null,
            Sql.Timeline,
            Text(tenant),
            Uuid(profileId),
            NullableTimestamp(query.From),
            NullableTimestamp(query.To),
            TextArray(query.RecordTypes is { Count: > 0 } types ? [.. types] : null),
            TextArray(query.Sources is { Count: > 0 } sources ? [.. sources] : null),
            NullableLong(query.Limit),
            NullableTimestamp(query.After?.OccurredAt),
            NullableText(query.After?.Source),
            NullableText(query.After?.RecordId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ReadEvent(reader);
        }
    }

    public async IAsyncEnumerable<EventRow> ReadEventsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, Sql.AllEvents, Text(tenant));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ReadEvent(reader);
        }
    }

    public async IAsyncEnumerable<QuarantineEntry> ReadQuarantineAsync(string tenant, string? recordType, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, Sql.Quarantine, Text(tenant), NullableText(recordType));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            long? eventId = reader.IsDBNull(0) ? null : reader.GetInt64(0);
            yield return new QuarantineEntry(eventId, new QuarantinedRecord(
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                Time(reader, 4),
                Time(reader, 5),
                (IngestReason)reader.GetInt16(6),
                reader.IsDBNull(7) ? string.Empty : reader.GetString(7),
                reader.GetString(8)));
        }
    }

    public async IAsyncEnumerable<RejectionRow> ReadRejectionsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, Sql.Rejections, Text(tenant));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new RejectionRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                (IngestReason)reader.GetInt16(3),
                reader.GetString(4),
                Time(reader, 5));
        }
    }

    public async ValueTask<IReadOnlyList<CoverageCounts>> GetCoverageCountsAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var counts = new List<CoverageCounts>();
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, transaction, Sql.Coverage, Text(tenant));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new CoverageCounts(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return counts;
    }

    /// <summary>Reads the identities, attributes, merged records and merge history of profiles, in one round trip.</summary>
    private async ValueTask<List<StoredProfile>> LoadProfilesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, List<ProfileRow> profiles, CancellationToken cancellationToken)
    {
        Guid[] ids = [.. profiles.Select(p => p.Id)];
        var identities = ids.ToDictionary(id => id, _ => new List<IdentityRow>());
        var attributes = ids.ToDictionary(id => id, _ => new List<AttributeRow>());
        var records = ids.ToDictionary(id => id, _ => new List<ProfileRecord>());
        var merges = ids.ToDictionary(id => id, _ => new List<MergeRow>());

        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                BatchCommand(Sql.IdentitiesOf, Text(tenant), UuidArray(ids)),
                BatchCommand(Sql.AttributesOf, Text(tenant), UuidArray(ids)),
                BatchCommand(Sql.RecordsOf, Text(tenant), UuidArray(ids)),
                BatchCommand(Sql.MergesOf, Text(tenant), UuidArray(ids)),
            },
        };
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var identity = ReadIdentity(reader);
                identities[identity.ProfileId].Add(identity);
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                attributes[reader.GetGuid(0)].Add(ReadAttribute(reader, 1));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                records[reader.GetGuid(0)].Add(new ProfileRecord(reader.GetString(1), reader.GetString(2), reader.GetString(3), Time(reader, 4)));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                merges[reader.GetGuid(0)].Add(ReadMerge(reader, 1));
            }
        }

        // Orders are the engine's (ordinal), applied here rather than trusting any database collation.
        return profiles.Select(p => new StoredProfile(
                p,
                [.. identities[p.Id].OrderBy(i => i.Key)],
                attributes[p.Id],
                [.. records[p.Id].OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.RecordId, StringComparer.Ordinal)],
                merges[p.Id]))
            .ToList();
    }
}

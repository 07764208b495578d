using EventLink.Storage;
using Npgsql;
using static EventLink.PostgreSql.IdentityGraph.Internal.PostgreSqlGraphSql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>The working set's prefetch: what a batch will read, loaded in a bounded number of round trips before it runs.</summary>
internal sealed partial class PostgreSqlSessionCache
{
    /// <summary>
    /// Loads what a batch will read: its merged records' source records, profiles and claims, its identities' claims and
    /// waits, its events' keys and ids for them (one round trip), then the claims those identities lead to (a second) and
    /// what their other identities lead to (a third). Deferred writes are sent first.
    /// </summary>
    public async ValueTask PrefetchAsync(BatchReadSet reads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reads);
        await _context.FlushAsync(cancellationToken).ConfigureAwait(false);
        var records = reads.Records.Where(k => k.Kind == ClaimKind.Record && !_records.ContainsKey((k.Source, k.RecordId))).Distinct().ToArray();
        var identities = reads.Identities.Where(i => !_claimsByIdentity.ContainsKey(i) && !Events.KnowsWaits(i)).Distinct().ToArray();
        var events = reads.Events.Where(k => !Events.KnowsKey(k.Source, k.RecordId)).Distinct().ToArray();
        if (records.Length == 0 && identities.Length == 0 && events.Length == 0)
        {
            return;
        }

        await PrefetchBatchAsync(records, identities, events, cancellationToken).ConfigureAwait(false);

        // The record claims the batch's identities lead to beyond its own records (the other side of a merge, a
        // profile's earlier records): a second round trip loads them the same way, so walking a component reads nothing.
        var reached = identities
            .SelectMany(i => _claimsByIdentity.TryGetValue(i, out var claims) ? claims : [])
            .Where(k => k.Kind == ClaimKind.Record && !_records.ContainsKey((k.Source, k.RecordId)))
            .Distinct()
            .ToArray();
        if (reached.Length == 0)
        {
            return;
        }

        await PrefetchRecordsAsync(reached, cancellationToken).ConfigureAwait(false);

        // And a third for what those claims' other identities lead to and wait for: the component's next ring.
        var next = reached
            .SelectMany(k => _claims.TryGetValue((k.Source, k.RecordId), out var claim) && claim is not null ? claim.Identities : [])
            .Where(i => !_claimsByIdentity.ContainsKey(i) && !Events.KnowsWaits(i))
            .Distinct()
            .ToArray();
        if (next.Length > 0)
        {
            await PrefetchIdentitiesAsync(next, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Loads, in one round trip, what a batch's records, identities and events need (see <see cref="PostgreSqlPrefetchSql"/>).</summary>
    private async ValueTask PrefetchBatchAsync(ClaimKey[] records, IdentityKey[] identities, ClaimKey[] events, CancellationToken cancellationToken)
    {
        var sql = _context.Sql.Prefetch;
        // Each statement takes distinct sources and distinct ids (or kinds and values) and may return more than the
        // pairs asked for: rows of pairs not asked for are either kept (they are what the database holds) or skipped.
        var sources = records.Select(k => k.Source).Distinct().ToArray();
        var ids = records.Select(k => k.RecordId).Distinct().ToArray();
        var kinds = identities.Select(i => i.Kind).Distinct().ToArray();
        var values = identities.Select(i => i.Value).Distinct().ToArray();
        await using var batch = new NpgsqlBatch(_context.Connection, _context.Transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(PostgreSqlPrefetchSql.CustomPlans),
                BatchCommand(sql.SourceRecords, Text(_context.Tenant), TextArray(sources), TextArray(ids)),
                BatchCommand(sql.ProfileRecords, Text(_context.Tenant), TextArray(sources), TextArray(ids)),
                BatchCommand(sql.Profiles, Text(_context.Tenant), TextArray(sources), TextArray(ids)),
                BatchCommand(sql.IdentitiesOfProfiles, Text(_context.Tenant), TextArray(sources), TextArray(ids)),
                BatchCommand(sql.Claims, Text(_context.Tenant), TextArray(sources), TextArray(ids)),
                BatchCommand(sql.ClaimsByIdentity, Text(_context.Tenant), TextArray(kinds), TextArray(values)),
                BatchCommand(sql.Waits, Text(_context.Tenant), TextArray(kinds), TextArray(values)),
                BatchCommand(sql.Events, Text(_context.Tenant), TextArray([.. events.Select(k => k.Source).Distinct()]), TextArray([.. events.Select(k => k.RecordId).Distinct()])),
                BatchCommand(sql.ReserveEventIds, Int(Math.Max(0, events.Length - Events.ReservedIds))),
                new NpgsqlBatchCommand(PostgreSqlPrefetchSql.GenericPlans),
            },
        };
        await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        await ReadRecordsAsync(reader, records, cancellationToken).ConfigureAwait(false);

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await ReadIdentitiesAsync(reader, identities, cancellationToken).ConfigureAwait(false);

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        foreach (var key in events)
        {
            Events.LoadKey(key.Source, key.RecordId, null);
        }

        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            Events.LoadKey(reader.GetString(0), reader.GetString(1), (reader.GetBoolean(3), reader.GetString(2)));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            Events.ReserveId(reader.GetInt64(0));
        }
    }

    /// <summary>Loads, in one round trip, the source records, their profiles' records, those profiles and the record claims of <paramref name="records"/>.</summary>
    private ValueTask PrefetchRecordsAsync(ClaimKey[] records, CancellationToken cancellationToken)
    {
        var sql = _context.Sql.Prefetch;
        return LoadAsync(
            [sql.SourceRecords, sql.ProfileRecords, sql.Profiles, sql.IdentitiesOfProfiles, sql.Claims],
            [.. records.Select(k => k.Source).Distinct()],
            [.. records.Select(k => k.RecordId).Distinct()],
            reader => ReadRecordsAsync(reader, records, cancellationToken),
            cancellationToken);
    }

    /// <summary>Loads, in one round trip, the claims holding <paramref name="identities"/> and the events waiting for them.</summary>
    private ValueTask PrefetchIdentitiesAsync(IdentityKey[] identities, CancellationToken cancellationToken)
    {
        var sql = _context.Sql.Prefetch;
        return LoadAsync(
            [sql.ClaimsByIdentity, sql.Waits],
            [.. identities.Select(i => i.Kind).Distinct()],
            [.. identities.Select(i => i.Value).Distinct()],
            reader => ReadIdentitiesAsync(reader, identities, cancellationToken),
            cancellationToken);
    }

    /// <summary>Runs prefetch statements that each take the tenant and two text arrays, as one batch, and reads their results.</summary>
    private async ValueTask LoadAsync(string[] statements, string[] first, string[] second, Func<NpgsqlDataReader, ValueTask> read, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(_context.Connection, _context.Transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(PostgreSqlPrefetchSql.CustomPlans));
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(BatchCommand(statement, Text(_context.Tenant), TextArray(first), TextArray(second)));
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand(PostgreSqlPrefetchSql.GenericPlans));

        await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await read(reader).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the claims-by-identity and waits result sets of a prefetch for <paramref name="identities"/>, the keys
    /// asked for; the reader starts on the first of the two and is left on the second.
    /// </summary>
    private async ValueTask ReadIdentitiesAsync(NpgsqlDataReader reader, IdentityKey[] identities, CancellationToken cancellationToken)
    {
        var askedIdentities = identities.ToHashSet();
        foreach (var identity in identities)
        {
            _claimsByIdentity[identity] = [];
            Events.LoadWaitsOf(identity);
        }

        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var identity = new IdentityKey(reader.GetString(0), reader.GetString(1));
            if (!askedIdentities.Contains(identity))
            {
                continue;
            }

            _claimsByIdentity[identity].Add(new ClaimKey((ClaimKind)reader.GetInt16(4), reader.GetString(2), reader.GetString(3)));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var eventId = reader.GetInt64(2);
            var identity = new IdentityKey(reader.GetString(0), reader.GetString(1));
            if (!askedIdentities.Contains(identity))
            {
                continue;
            }

            Events.LoadWait(identity, eventId, reader.GetInt32(3), reader.GetInt32(4));
        }
    }

    /// <summary>
    /// Reads the first five result sets of a prefetch (source records, the records of their profiles, those profiles,
    /// their identities, the record claims) for <paramref name="records"/>, the keys asked for; the reader is left on the fifth.
    /// </summary>
    private async ValueTask ReadRecordsAsync(NpgsqlDataReader reader, ClaimKey[] records, CancellationToken cancellationToken)
    {
        foreach (var key in records)
        {
            _records[(key.Source, key.RecordId)] = null;
            _claims[(key.Source, key.RecordId)] = null;
        }

        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = ReadSourceRecord(reader);
            _records[(row.Source, row.RecordId)] = row;
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var loaded = new Dictionary<Guid, Dictionary<(string, string), SourceRecordRow>>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = ReadSourceRecord(reader);
            if (!loaded.TryGetValue(row.ProfileId!.Value, out var list))
            {
                loaded[row.ProfileId.Value] = list = [];
            }

            list[(row.Source, row.RecordId)] = row;
        }

        foreach (var (profileId, list) in loaded)
        {
            // A profile tracked already is current; one loaded now is complete, and its records are current too.
            if (_profileRecords.TryAdd(profileId, list))
            {
                foreach (var (key, row) in list)
                {
                    _records[key] = row;
                }
            }
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var identitiesLoaded = new HashSet<Guid>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var profile = ReadProfile(reader);
            _profiles.TryAdd(profile.Id, profile);
            if (_identities.TryAdd(profile.Id, []))
            {
                // A profile tracked already is current; one loaded now gets its complete list from the next result.
                identitiesLoaded.Add(profile.Id);
            }
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var identity = ReadIdentity(reader);
            if (identitiesLoaded.Contains(identity.ProfileId))
            {
                _identities[identity.ProfileId][identity.Key] = identity;
                _identityHolders[identity.Key] = identity.ProfileId;
            }
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = (reader.GetString(0), reader.GetString(1));
            if (!_claims.TryGetValue(key, out var claim))
            {
                continue; // a claim not asked for: its source record may not be known
            }

            if (claim is null)
            {
                _claims[key] = claim = new CachedClaim(reader.GetString(2), Time(reader, 3));
            }

            if (!reader.IsDBNull(4))
            {
                claim.Identities.Add(new IdentityKey(reader.GetString(4), reader.GetString(5)));
            }
        }
    }
}

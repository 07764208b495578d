using EventLink.Storage;
using Npgsql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// The batch's working set: what <see cref="PrefetchAsync"/> loaded in one round trip, kept current by the session's
/// own writes, so the engine's reads of merged records, claims, profiles and waits are answered from memory. The
/// tenant's advisory lock is held for the whole session, so nothing else changes these rows meanwhile. An entry is
/// only ever what the database would return now; a write the cache cannot follow (a merge, an erasure) drops it all,
/// and reads go to the database again.
/// </summary>
internal sealed partial class PostgreSqlStoreSession
{
    // Merged source records by (source, record id); a null value means "known not to exist".
    private readonly Dictionary<(string Source, string RecordId), SourceRecordRow?> _records = [];

    // Every source record of these profiles (complete lists: profiles created here, or loaded whole).
    private readonly Dictionary<Guid, Dictionary<(string Source, string RecordId), SourceRecordRow>> _profileRecords = [];

    private readonly Dictionary<Guid, ProfileRow> _profiles = [];

    // Record claims: their stored part (type, first occurred-at, identities); the profile is the source record's.
    private readonly Dictionary<(string Source, string RecordId), CachedClaim?> _claims = [];

    private readonly Dictionary<IdentityKey, SortedSet<ClaimKey>> _claimsByIdentity = [];

    // Identities no event waits for.
    private readonly HashSet<IdentityKey> _notWaitedFor = [];

    public override bool Prefetches => true;

    public override async ValueTask PrefetchAsync(BatchReadSet reads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reads);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var records = reads.Records.Where(k => k.Kind == ClaimKind.Record && !_records.ContainsKey((k.Source, k.RecordId))).Distinct().ToArray();
        var identities = reads.Identities.Where(i => !_claimsByIdentity.ContainsKey(i)).Distinct().ToArray();
        if (records.Length == 0 && identities.Length == 0)
        {
            return;
        }

        var sql = _sql.Prefetch;
        var sources = records.Select(k => k.Source).ToArray();
        var ids = records.Select(k => k.RecordId).ToArray();
        var kinds = identities.Select(i => i.Kind).ToArray();
        var values = identities.Select(i => i.Value).ToArray();
        await using var batch = new NpgsqlBatch(Connection, _transaction)
        {
            BatchCommands =
            {
                BatchCommand(sql.SourceRecords, Text(_tenant), TextArray(sources), TextArray(ids)),
                BatchCommand(sql.ProfileRecords, Text(_tenant), TextArray(sources), TextArray(ids)),
                BatchCommand(sql.Profiles, Text(_tenant), TextArray(sources), TextArray(ids)),
                BatchCommand(sql.Claims, Text(_tenant), TextArray(sources), TextArray(ids)),
                BatchCommand(sql.ClaimsByIdentity, Text(_tenant), TextArray(kinds), TextArray(values)),
                BatchCommand(sql.WaitedFor, Text(_tenant), TextArray(kinds), TextArray(values)),
            },
        };
        await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

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
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var profile = ReadProfile(reader);
            _profiles.TryAdd(profile.Id, profile);
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = (reader.GetString(0), reader.GetString(1));
            if (_claims[key] is not { } claim)
            {
                _claims[key] = claim = new CachedClaim(reader.GetString(2), Time(reader, 3));
            }

            if (!reader.IsDBNull(4))
            {
                claim.Identities.Add(new IdentityKey(reader.GetString(4), reader.GetString(5)));
            }
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        foreach (var identity in identities)
        {
            _claimsByIdentity[identity] = [];
            _notWaitedFor.Add(identity);
        }

        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var identity = new IdentityKey(reader.GetString(0), reader.GetString(1));
            _claimsByIdentity[identity].Add(new ClaimKey((ClaimKind)reader.GetInt16(4), reader.GetString(2), reader.GetString(3)));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            _notWaitedFor.Remove(new IdentityKey(reader.GetString(0), reader.GetString(1)));
        }
    }

    /// <summary>Forgets the working set: the next reads go to the database.</summary>
    private void ClearCaches()
    {
        _records.Clear();
        _profileRecords.Clear();
        _profiles.Clear();
        _claims.Clear();
        _claimsByIdentity.Clear();
        _notWaitedFor.Clear();
    }

    /// <summary>Keeps the working set current with a source record the session writes.</summary>
    private void CacheSourceRecord(SourceRecordRow record)
    {
        var key = (record.Source, record.RecordId);
        var stored = record with
        {
            OccurredAt = TimestampReader.Normalize(record.OccurredAt),
            IngestedAt = TimestampReader.Normalize(record.IngestedAt),
        };
        if (_records.TryGetValue(key, out var previous))
        {
            if (previous?.ProfileId is { } from && _profileRecords.TryGetValue(from, out var fromList))
            {
                fromList.Remove(key);
            }

        }

        // Unknown before, it belonged to no tracked profile (their records are all known); either way it is known now.
        _records[key] = stored;

        if (stored.ProfileId is { } to && _profileRecords.TryGetValue(to, out var toList))
        {
            toList[key] = stored;
        }
    }

    /// <summary>Keeps the working set current with a claim the session writes (the SQL unions identities and keeps the earliest time).</summary>
    private void CacheClaim(ClaimKey key, string recordType, DateTimeOffset occurredAt, IReadOnlyList<IdentityKey> identities)
    {
        if (key.Kind == ClaimKind.Record && _claims.TryGetValue((key.Source, key.RecordId), out var cached))
        {
            var time = TimestampReader.Normalize(occurredAt);
            if (cached is null)
            {
                _claims[(key.Source, key.RecordId)] = cached = new CachedClaim(recordType, time);
            }
            else if (time < cached.FirstOccurredAt)
            {
                cached.FirstOccurredAt = time;
            }

            cached.Identities.UnionWith(identities);
        }

        foreach (var identity in identities)
        {
            if (_claimsByIdentity.TryGetValue(identity, out var claims))
            {
                claims.Add(key);
            }
        }
    }

    /// <summary>A record claim from the working set, when both it and its source record are known.</summary>
    private bool TryGetCachedClaim(ClaimKey key, out ClaimState? state)
    {
        state = null;
        if (key.Kind != ClaimKind.Record || !_claims.TryGetValue((key.Source, key.RecordId), out var cached) ||
            !_records.TryGetValue((key.Source, key.RecordId), out var record))
        {
            return false;
        }

        if (cached is not null)
        {
            state = new ClaimState(key, cached.RecordType, cached.FirstOccurredAt, [.. cached.Identities], record?.ProfileId, null);
        }

        return true;
    }

    /// <summary>A record claim's stored part.</summary>
    private sealed class CachedClaim(string recordType, DateTimeOffset firstOccurredAt)
    {
        public string RecordType { get; } = recordType;

        public DateTimeOffset FirstOccurredAt { get; set; } = firstOccurredAt;

        // Sorted like IdentityKey.CompareTo, as the database read sorts them.
        public SortedSet<IdentityKey> Identities { get; } = [];
    }
}

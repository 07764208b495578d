using EventLink.Storage;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// The batch's working set: what <see cref="PrefetchAsync"/> loaded in up to three round trips, kept current by the session's
/// own writes, so the engine's reads of merged records, claims, profiles and waits are answered from memory. The
/// tenant's advisory lock is held for the whole session, so nothing else changes these rows meanwhile. An entry is
/// only ever what the database would return now; a write the cache cannot follow (a merge, an erasure) drops it all,
/// and reads go to the database again.
/// </summary>
internal sealed partial class PostgreSqlSessionCache(PostgreSqlSessionContext context)
{
    private readonly PostgreSqlSessionContext _context = context;

    /// <summary>Gets the event side of the working set: held keys, reserved ids, pending inserts, waits.</summary>
    public PostgreSqlEventWorkingSet Events { get; } = new(context);

    // Merged source records by (source, record id); a null value means "known not to exist".
    private readonly Dictionary<(string Source, string RecordId), SourceRecordRow?> _records = [];

    // Every source record of these profiles (complete lists: profiles created here, or loaded whole).
    private readonly Dictionary<Guid, Dictionary<(string Source, string RecordId), SourceRecordRow>> _profileRecords = [];

    private readonly Dictionary<Guid, ProfileRow> _profiles = [];

    // Every identity of these profiles (complete lists), and which tracked profile holds each identity listed there.
    private readonly Dictionary<Guid, Dictionary<IdentityKey, IdentityRow>> _identities = [];
    private readonly Dictionary<IdentityKey, Guid> _identityHolders = [];

    // Record claims: their stored part (type, first occurred-at, identities); the profile is the source record's.
    private readonly Dictionary<(string Source, string RecordId), CachedClaim?> _claims = [];

    private readonly Dictionary<IdentityKey, SortedSet<ClaimKey>> _claimsByIdentity = [];

    /// <summary>A profile from the working set.</summary>
    public bool TryGetProfile(Guid profileId, out ProfileRow? profile) => _profiles.TryGetValue(profileId, out profile);

    /// <summary>Keeps the working set current with a profile the session creates.</summary>
    public void AddNewProfile(ProfileRow profile)
    {
        // A new profile's records are all written by this session from here on: its list is complete.
        _profiles[profile.Id] = profile;
        _profileRecords[profile.Id] = [];
        _identities[profile.Id] = [];
    }

    /// <summary>Every identity of a profile, sorted by key, when the working set holds its complete list.</summary>
    public bool TryGetIdentities(Guid profileId, out IReadOnlyList<IdentityRow> identities)
    {
        identities = [];
        if (!_identities.TryGetValue(profileId, out var cached))
        {
            return false;
        }

        var rows = cached.Values.ToList();
        rows.Sort((a, b) => a.Key.CompareTo(b.Key));
        identities = rows;
        return true;
    }

    /// <summary>Keeps the working set current with an identity the session writes (an upsert: the row replaces any other).</summary>
    public void CacheIdentity(IdentityRow identity)
    {
        ForgetIdentity(identity.Key);
        if (_identities.TryGetValue(identity.ProfileId, out var list))
        {
            list[identity.Key] = identity with { FirstSeenAt = TimestampReader.Normalize(identity.FirstSeenAt) };
            _identityHolders[identity.Key] = identity.ProfileId;
        }
    }

    /// <summary>Keeps the working set current with an identity the session removes (or writes).</summary>
    public void ForgetIdentity(IdentityKey key)
    {
        if (_identityHolders.Remove(key, out var holder))
        {
            _identities[holder].Remove(key);
        }
    }

    /// <summary>A merged source record from the working set (<see langword="null"/> when known not to exist).</summary>
    public bool TryGetSourceRecord(string source, string recordId, out SourceRecordRow? record) => _records.TryGetValue((source, recordId), out record);

    /// <summary>Every source record of a profile, when the working set holds its complete list.</summary>
    public bool TryGetSourceRecords(Guid profileId, out IReadOnlyList<SourceRecordRow> records)
    {
        records = [];
        if (!_profileRecords.TryGetValue(profileId, out var cached))
        {
            return false;
        }

        records = [.. cached.Values];
        return true;
    }

    /// <summary>The claims of an identity from the working set.</summary>
    public bool TryGetClaimsByIdentity(IdentityKey identity, out IReadOnlyList<ClaimKey> claims)
    {
        claims = [];
        if (!_claimsByIdentity.TryGetValue(identity, out var cached))
        {
            return false;
        }

        claims = [.. cached];
        return true;
    }

    /// <summary>Keeps the working set current with a merge: the merged profile's records now belong to the survivor.</summary>
    public void CacheMerge(Guid mergedId, Guid survivorId)
    {
        if (_profiles.TryGetValue(mergedId, out var merged))
        {
            _profiles[mergedId] = merged with { MergedInto = survivorId };
        }

        foreach (var (key, row) in _records)
        {
            if (row?.ProfileId == mergedId)
            {
                _records[key] = row with { ProfileId = survivorId };
            }
        }

        MoveIdentities(mergedId, survivorId);
        var mergedKnown = _profileRecords.Remove(mergedId, out var moved);
        if (_profileRecords.TryGetValue(survivorId, out var survivorRecords))
        {
            if (mergedKnown)
            {
                foreach (var (key, _) in moved!)
                {
                    survivorRecords[key] = _records[key]!;
                }
            }
            else
            {
                // The merged profile's records are not all known: neither are the survivor's now.
                _profileRecords.Remove(survivorId);
            }
        }
    }

    /// <summary>Moves a merged profile's identities to its survivor, as the merge's statement does.</summary>
    private void MoveIdentities(Guid mergedId, Guid survivorId)
    {
        var mergedKnown = _identities.Remove(mergedId, out var moving);
        foreach (var key in moving?.Keys ?? Enumerable.Empty<IdentityKey>())
        {
            _identityHolders.Remove(key);
        }

        if (!_identities.TryGetValue(survivorId, out var survivor))
        {
            return;
        }

        if (!mergedKnown)
        {
            // The merged profile's identities are not all known: neither are the survivor's now.
            _identities.Remove(survivorId);
            foreach (var key in survivor.Keys)
            {
                _identityHolders.Remove(key);
            }

            return;
        }

        foreach (var (key, row) in moving!)
        {
            survivor[key] = row with { ProfileId = survivorId };
            _identityHolders[key] = survivorId;
        }
    }

    /// <summary>Forgets the working set (an erasure deletes rows of every kind): the next reads go to the database.</summary>
    public void ClearCaches()
    {
        _records.Clear();
        _profileRecords.Clear();
        _profiles.Clear();
        _identities.Clear();
        _identityHolders.Clear();
        _claims.Clear();
        _claimsByIdentity.Clear();
        Events.Clear();
    }

    /// <summary>Keeps the working set current with a source record the session writes.</summary>
    public void CacheSourceRecord(SourceRecordRow record)
    {
        var key = (record.Source, record.RecordId);
        Events.MarkEventStored(record.Source, record.RecordId, (false, record.RecordType)); // The key is held now: no event may take it.

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
    public void CacheClaim(ClaimKey key, string recordType, DateTimeOffset occurredAt, IReadOnlyList<IdentityKey> identities)
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
    public bool TryGetCachedClaim(ClaimKey key, out ClaimState? state)
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

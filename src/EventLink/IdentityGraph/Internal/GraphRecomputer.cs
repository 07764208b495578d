using System.Text.Json;
using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.IdentityGraph.Internal;

/// <summary>
/// The identity graph: claims (records asserting that identities belong together) are partitioned into profiles
/// by <see cref="ClaimPartitioner"/>, and the store is brought in line with the partition of the component a change
/// touched: profiles created, merged and split, identities, claims and events moved, attributes refreshed.
/// </summary>
internal sealed class GraphRecomputer(EventLinkCore core)
{
    private readonly Lock _idLock = new();
    private Guid _lastProfileId;

    /// <summary>
    /// Recomputes the profiles of the component holding <paramref name="seed"/> and applies them: creates, merges and
    /// splits profiles, moves identities, claims and events, records conflicts, and refreshes attributes.
    /// </summary>
    /// <param name="batch">The unit of work.</param>
    /// <param name="seed">The claim that changed.</param>
    /// <param name="refreshSeed">Whether the seed's profile's attributes are refreshed even when its profile did not change.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <param name="seedState">The seed's state as the store holds it now, when the caller knows it (saves reading it back).</param>
    /// <param name="seedIsNew">Whether the seed claim did not exist before this unit of work wrote it (so no conflicts are stored for it).</param>
    /// <param name="seedVersion">
    /// A new version of the seed's source record (a record claim's), not written yet: the recomputation writes it with
    /// the profile the claim ends on, instead of the caller writing it and the recomputation reading and rewriting it.
    /// </param>
    /// <param name="seedPayload">The seed version's payload, parsed (saves parsing it again for the attributes of a profile made for it alone).</param>
    public async ValueTask<GraphChange> RecomputeAsync(
        Batch batch, ClaimKey seed, bool refreshSeed, CancellationToken cancellationToken, ClaimState? seedState = null, bool seedIsNew = false, SourceRecordRow? seedVersion = null, JsonElement? seedPayload = null)
    {
        var session = batch.Session;

        var (claims, keys) = await ReadComponentAsync(session, [seed], cancellationToken, known: seedState).ConfigureAwait(false);

        var partition = ClaimPartitioner.Compute(core.Schema, claims.Values, await batch.GetUnmergeRulesAsync(cancellationToken).ConfigureAwait(false));
        var groups = partition.Groups
            .Select(g => (Group: g, Claims: g.Claims.OrderBy(c => c.FirstOccurredAt).ThenBy(c => c.Key).ToList()))
            .OrderBy(g => g.Claims[0].FirstOccurredAt)
            .ThenBy(g => g.Claims[0].Key)
            .ToList();

        // Profile ids: each group keeps the oldest existing profile among its claims'; the others are merged into it.
        var rows = new Dictionary<Guid, ProfileRow>();
        foreach (var profileId in claims.Values.Select(c => c.ProfileId).OfType<Guid>().Distinct())
        {
            if (await session.GetProfileAsync(profileId, cancellationToken).ConfigureAwait(false) is { } row)
            {
                rows[profileId] = row;
            }
        }

        var change = new GraphChange();
        var assigned = new Dictionary<ClaimPartitioner.Group, Guid>();
        var splitFrom = new Dictionary<Guid, Guid>();
        foreach (var (group, ordered) in groups)
        {
            var existing = ordered.Select(c => c.ProfileId).OfType<Guid>().Distinct()
                .Where(id => rows.ContainsKey(id) && !assigned.ContainsValue(id))
                .OrderBy(id => rows[id].CreatedAt)
                .ThenBy(id => id)
                .FirstOrDefault();
            if (existing == Guid.Empty)
            {
                existing = await CreateProfileAsync(batch, EntityOf(ordered[0]), cancellationToken).ConfigureAwait(false);
                change.Created.Add(existing);
                if (ordered.Select(c => c.ProfileId).OfType<Guid>().FirstOrDefault() is var from && from != Guid.Empty)
                {
                    splitFrom[existing] = from;
                }
            }

            assigned[group] = existing;
        }

        var lostIdentities = new HashSet<Guid>();

        // Survivors of merges gain identities and the merged-away profiles' events: only events linked through a later
        // relation field than the first can link better now (one linked through the first keeps it, on the survivor).
        var gained = new HashSet<Guid>();
        var seedClaim = claims[seed];
        foreach (var (profileId, _) in rows)
        {
            if (assigned.ContainsValue(profileId))
            {
                continue;
            }

            // Merged away: into the group holding most of its claims.
            var survivorGroup = groups
                .Select(g => (g.Group, Count: g.Claims.Count(c => c.ProfileId == profileId)))
                .OrderByDescending(g => g.Count)
                .First().Group;
            var survivor = assigned[survivorGroup];
            var via = survivorGroup.Identities.Where(i => claims.Values.Any(c => c.ProfileId == profileId && c.Identities.Contains(i)))
                .DefaultIfEmpty(survivorGroup.Identities.Min)
                .First();
            var identities = await session.GetIdentitiesAsync(profileId, cancellationToken).ConfigureAwait(false);
            await session.MergeProfilesAsync(new MergeRow(survivor, profileId, via, seed.Source, seedClaim.RecordType, seed.RecordId, batch.Now), cancellationToken).ConfigureAwait(false);
            core.Observers.OnProfileMerged(batch, survivor, profileId);
            foreach (var identity in identities)
            {
                batch.Index.Set(identity.Key, survivor);
            }

            gained.Add(survivor);
            change.Merged.Add(survivor);
            core.Metrics.ProfilesMerged.Add(1);
            Log.Merged(core, profileId, survivor, batch.Tenant, via, seed.Source, seed.RecordId);
        }

        foreach (var (created, from) in splitFrom)
        {
            var via = groups.First(g => assigned[g.Group] == created).Group.Identities.First();
            await session.AddHistoryAsync(new MergeRow(from, created, via, seed.Source, seedClaim.RecordType, seed.RecordId, batch.Now, MergeKind.Split), cancellationToken).ConfigureAwait(false);
            lostIdentities.Add(from);
        }

        // Identities: each to its group's profile; those no group holds are released. An identity's provenance (the
        // record that brought it, first seen) is its group's earliest-occurring claim that carries it (then the
        // canonical key), whatever the order of arrival: one that stays where it is is written again when that origin
        // may have changed — the seed carries it first, or the partition left identities out or split a profile.
        // The rows are written together once every identity is placed (no read comes between).
        var originsMayMove = partition.Conflicts.Count > 0 || splitFrom.Count > 0;
        var newlyHeld = new List<(IdentityKey Key, Guid Profile)>();
        var identityRows = new List<IdentityRow>();
        foreach (var (group, ordered) in groups)
        {
            var profileId = assigned[group];
            foreach (var identity in group.Identities)
            {
                var origin = ordered.First(c => c.Identities.Contains(identity));
                var had = batch.Index.TryGet(identity, out var current);
                if (had && current == profileId)
                {
                    if (origin.Key == seed || originsMayMove)
                    {
                        identityRows.Add(Provenance(identity, profileId, origin));
                    }

                    continue;
                }

                identityRows.Add(Provenance(identity, profileId, origin));
                batch.Index.Set(identity, profileId);
                change.IdentitiesChanged = true;
                if (had)
                {
                    lostIdentities.Add(current);
                }
                else
                {
                    newlyHeld.Add((identity, profileId));
                }
            }
        }

        if (identityRows.Count > 0)
        {
            await session.SetIdentitiesAsync(identityRows, cancellationToken).ConfigureAwait(false);
        }

        var held = partition.Groups.SelectMany(g => g.Identities).ToHashSet();
        foreach (var identity in keys)
        {
            if (!held.Contains(identity) && batch.Index.TryGet(identity, out var current))
            {
                await session.RemoveIdentityAsync(identity, cancellationToken).ConfigureAwait(false);
                batch.Index.Remove(identity);
                change.IdentitiesChanged = true;
                lostIdentities.Add(current);
            }
        }

        // Claims follow their group.
        foreach (var (group, ordered) in groups)
        {
            var profileId = assigned[group];
            foreach (var claim in ordered)
            {
                if (claim.Key.Kind == ClaimKind.Event)
                {
                    // Events follow their identities: merged-away profiles' events moved with them; split ones are read again below.
                    continue;
                }

                // The seed's new version (not written yet) carries its previous version's profile; it is written once, here.
                var pending = seedVersion is not null && claim.Key == seed;
                var record = pending ? seedVersion : await session.GetSourceRecordAsync(claim.Key.Source, claim.Key.RecordId, cancellationToken).ConfigureAwait(false);
                if (record is null || (record.ProfileId == profileId && !pending))
                {
                    continue;
                }

                var moved = record with { ProfileId = profileId, QuarantineReason = IngestReason.None, QuarantineMessage = null };
                await session.UpsertSourceRecordAsync(moved, cancellationToken).ConfigureAwait(false);
                if (pending)
                {
                    seedVersion = moved;
                }

                if (record.ProfileId != profileId)
                {
                    change.Changed.Add(profileId);
                    if (record.ProfileId is { } previous)
                    {
                        change.Changed.Add(previous);
                    }
                }
            }
        }

        await LinkWaitingAsync(batch, newlyHeld, cancellationToken).ConfigureAwait(false);

        // Events whose profile lost identities (or was split) are read again, and those of merge survivors that may link better.
        gained.ExceptWith(lostIdentities);
        foreach (var profileId in lostIdentities.Concat(gained))
        {
            var all = !gained.Contains(profileId);
            foreach (var row in await session.GetEventsOfProfileAsync(profileId, cancellationToken).ConfigureAwait(false))
            {
                if (all || row.LinkIndex != 0)
                {
                    await RelinkAsync(batch, row, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        // A new claim alone in its component has no stored conflicts to replace; when it makes none either, there is nothing to write.
        if (!(seedIsNew && claims.Count == 1 && partition.Conflicts.Count == 0))
        {
            await session.ReplaceConflictsAsync(claims.Keys.ToList(), partition.Conflicts, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (group, _) in groups)
        {
            var profileId = assigned[group];
            change.Assignments[profileId] = group;
            var isSeed = group.Claims.Any(c => c.Key == seed);
            if (change.Created.Contains(profileId) || change.Merged.Contains(profileId) || change.Changed.Contains(profileId) ||
                lostIdentities.Contains(profileId) || gained.Contains(profileId) || (refreshSeed && isSeed))
            {
                // A profile made for the seed alone holds just the version written above: no need to read it back.
                if (isSeed && group.Claims.Count == 1 && change.Created.Contains(profileId) && seedVersion?.ProfileId == profileId)
                {
                    var attributes = seedPayload is { } payload ? AttributeMerger.Merge(core.Schema, seedVersion, payload) : AttributeMerger.Merge(core.Schema, [seedVersion]);
                    await session.ReplaceAttributesAsync(profileId, attributes, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await RefreshAttributesAsync(batch, profileId, cancellationToken).ConfigureAwait(false);
                }

                // The seed's profile is reported by the caller, which knows the record's outcome.
                if (!isSeed)
                {
                    core.Observers.OnProfileChanged(batch, profileId, change.Created.Contains(profileId));
                }
            }
        }

        change.SeedProfile = assigned[partition.Groups.First(g => g.Claims.Any(c => c.Key == seed))];
        return change;
    }

    /// <summary>Reads the component of some claims: every claim reachable through shared identities, held or not, and those identities.</summary>
    public static async ValueTask<(Dictionary<ClaimKey, ClaimState> Claims, HashSet<IdentityKey> Keys)> ReadComponentAsync(
        EventLinkStoreSession session, IEnumerable<ClaimKey> seeds, CancellationToken cancellationToken, HashSet<ClaimKey>? seen = null, ClaimState? known = null)
    {
        var claims = new Dictionary<ClaimKey, ClaimState>();
        var keys = new HashSet<IdentityKey>();
        var queue = new Queue<ClaimKey>(seeds);
        while (queue.TryDequeue(out var key))
        {
            if (claims.ContainsKey(key) ||
                (known is not null && known.Key == key ? known : await session.GetClaimAsync(key, cancellationToken).ConfigureAwait(false)) is not { } state)
            {
                continue;
            }

            claims[key] = state;
            seen?.Add(key);

            // The claim's identities not walked yet, read together.
            var fresh = state.Identities.Where(keys.Add).ToList();
            if (fresh.Count == 0)
            {
                continue;
            }

            foreach (var others in await session.GetClaimsByIdentitiesAsync(fresh, cancellationToken).ConfigureAwait(false))
            {
                foreach (var other in others)
                {
                    if (!claims.ContainsKey(other))
                    {
                        queue.Enqueue(other);
                    }
                }
            }
        }

        return (claims, keys);
    }

    /// <summary>Reads an event's relations again and links it where they point now (or quarantines it).</summary>
    private async ValueTask RelinkAsync(Batch batch, EventRow row, CancellationToken cancellationToken)
    {
        if (!RecordParser.TryParse(core.Schema, new IngestRecord(row.Source, row.RecordType, row.Utf8Payload), int.MaxValue, out var parsed, out _))
        {
            return;
        }

        using (parsed)
        {
            var resolution = core.Linker.Resolve(batch, parsed);
            if (resolution.ProfileId is { } profileId)
            {
                if (profileId != row.ProfileId || resolution.LinkIndex != row.LinkIndex)
                {
                    await core.Observers.OnEventMovingAsync(batch, row.Id, row.ProfileId, fromKnown: true, profileId, cancellationToken).ConfigureAwait(false);
                    await batch.Session.LinkEventAsync(row.Id, profileId, resolution.LinkIndex, cancellationToken).ConfigureAwait(false);
                    if (row.ProfileId is null)
                    {
                        core.Observers.OnEventLeftQuarantine(batch, row.Id, profileId);
                    }
                }

                await batch.Session.SetWaitsAsync(row.Id, resolution.Waits, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await core.Observers.OnEventMovingAsync(batch, row.Id, row.ProfileId, fromKnown: true, null, cancellationToken).ConfigureAwait(false);
                await batch.Session.UnlinkEventAsync(row.Id, resolution.Reason, resolution.Message!, cancellationToken).ConfigureAwait(false);
                await batch.Session.SetWaitsAsync(row.Id, resolution.Waits, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Links every event waiting for identities that profiles now hold, each once, through the first of its relation
    /// fields that one of them matches (the first field wins). Linking identity by identity linked an event again
    /// for each better field it found later; the outcome is the same.
    /// </summary>
    private async ValueTask LinkWaitingAsync(Batch batch, List<(IdentityKey Key, Guid Profile)> newlyHeld, CancellationToken cancellationToken)
    {
        if (newlyHeld.Count == 0)
        {
            return;
        }

        Dictionary<long, (PendingLink Wait, Guid Profile)>? best = null;
        var waits = await batch.Session.GetWaitsByIdentitiesAsync(newlyHeld.ConvertAll(h => h.Key), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < newlyHeld.Count; i++)
        {
            var profileId = newlyHeld[i].Profile;
            foreach (var wait in waits[i])
            {
                best ??= [];
                if (!best.TryGetValue(wait.EventId, out var found) || wait.RelationIndex < found.Wait.RelationIndex)
                {
                    best[wait.EventId] = (wait, profileId);
                }
            }
        }

        if (best is null)
        {
            return;
        }

        foreach (var eventId in best.Keys.Order())
        {
            var (pending, profileId) = best[eventId];
            if (pending.CurrentLinkIndex < 0 || pending.RelationIndex < pending.CurrentLinkIndex)
            {
                await core.Observers.OnEventMovingAsync(batch, pending.EventId, null, fromKnown: pending.CurrentLinkIndex < 0, profileId, cancellationToken).ConfigureAwait(false);
                await batch.Session.LinkEventAsync(pending.EventId, profileId, pending.RelationIndex, cancellationToken).ConfigureAwait(false);
                if (pending.CurrentLinkIndex < 0)
                {
                    core.Observers.OnEventLeftQuarantine(batch, pending.EventId, profileId);
                }
            }
        }
    }

    private string EntityOf(ClaimState claim)
    {
        if (!core.Schema.TryGetRecordType(claim.RecordType, out var type))
        {
            return "person";
        }

        return type.Kind == RecordKind.Merged
            ? type.Entity
            : type.Relations.FirstOrDefault(r => r.Target is not null)?.Target!.Entity ?? "person";
    }

    private async ValueTask<Guid> CreateProfileAsync(Batch batch, string entity, CancellationToken cancellationToken)
    {
        var id = NewProfileId(batch.Now);
        await batch.Session.CreateProfileAsync(new ProfileRow(id, entity, batch.Now), cancellationToken).ConfigureAwait(false);
        return id;
    }

    public async ValueTask RefreshAttributesAsync(Batch batch, Guid profileId, CancellationToken cancellationToken)
    {
        var records = await batch.Session.GetSourceRecordsAsync(profileId, cancellationToken).ConfigureAwait(false);
        await batch.Session.ReplaceAttributesAsync(profileId, AttributeMerger.Merge(core.Schema, records), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A version-7 id, strictly greater than the previous one of this engine: profiles created in the same
    /// millisecond still sort in creation order, which makes the survivor of a merge reproducible.
    /// </summary>
    private Guid NewProfileId(DateTimeOffset now)
    {
        lock (_idLock)
        {
            var id = Guid.CreateVersion7(now);
            if (id.CompareTo(_lastProfileId) <= 0)
            {
                Span<byte> bytes = stackalloc byte[16];
                _lastProfileId.TryWriteBytes(bytes, bigEndian: true, out _);
                for (var i = bytes.Length - 1; i >= 0 && ++bytes[i] == 0; i--)
                {
                }

                id = new Guid(bytes, bigEndian: true);
            }

            _lastProfileId = id;
            return id;
        }
    }

    private static IdentityRow Provenance(IdentityKey identity, Guid profileId, ClaimState origin) =>
        new(identity, profileId, origin.Key.Source, origin.RecordType, origin.Key.RecordId, origin.FirstOccurredAt);
}

    /// <summary>What a recomputation did.</summary>
    internal sealed class GraphChange
    {
        public HashSet<Guid> Created { get; } = [];

        public HashSet<Guid> Merged { get; } = [];

        public HashSet<Guid> Changed { get; } = [];

        public Dictionary<Guid, ClaimPartitioner.Group> Assignments { get; } = [];

        public Guid SeedProfile { get; set; }

        public bool IdentitiesChanged { get; set; }

        /// <summary>Gets whether profiles, their identities or their records changed.</summary>
        public bool ChangedAnything => IdentitiesChanged || Created.Count > 0 || Merged.Count > 0 || Changed.Count > 0;
    }

using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;
using EventLink.IdentityGraph.Internal;
using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.Traits.Internal;

/// <summary>
/// Computed traits, audiences and triggers, kept current at ingest. The ingestion pipeline and the identity graph
/// report what happened through the unit-of-work hooks (an event linked with its record, an event moved, a profile
/// merged away or changed); before the unit of work commits, in the same session, each touched profile is updated
/// once: incrementally from the new events when its stored state is current, else exactly from its whole history
/// (merges, splits, relinks).
/// </summary>
internal sealed class TraitsModule(EventLinkCore core, TraitsRuntime runtime) : IBatchObserver
{
    /// <summary>How many profiles' decoded state a tenant keeps across units of work.</summary>
    private const int CachedProfiles = 50_000;

    private readonly ComputedCache _cache = new(CachedProfiles);

    /// <summary>The facts of a profile no event reached (read only; shared).</summary>
    private static readonly List<EventFacts> NoFacts = [];

    /// <summary>How many units of work's collections are kept for reuse (about as many as run at once).</summary>
    private const int PooledBatches = 4;

    /// <summary>The most profiles a unit of work may have touched for its collections to be kept for reuse.</summary>
    private const int PooledProfiles = 16_384;

    /// <summary>Collections of committed units of work, cleared: a batch of events reuses them instead of growing new ones.</summary>
    private readonly ConcurrentBag<TraitsBatch> _pool = [];

    /// <summary>Gets the compiled traits, audiences and triggers.</summary>
    public TraitsRuntime Runtime { get; } = runtime;

    /// <summary>Gets whether no trait, audience or trigger is configured.</summary>
    public bool IsEmpty => Runtime.IsEmpty;

    /// <summary>What the unit of work noted so far: a pooled set of collections, cleared, on first use.</summary>
    private TraitsBatch Changes(Batch batch) => batch.PeekState<TraitsBatch>() ?? batch.GetState(() => _pool.TryTake(out var reused) ? reused : new TraitsBatch());

    /// <summary>Hook: an event was linked at ingest; its record is at hand, so its contribution is read now.</summary>
    public void OnEventLinked(Batch batch, ParsedRecord record, long eventId, Guid profileId)
    {
        if (IsEmpty)
        {
            return;
        }

        // A profile whose decoded state is at hand (kept since an earlier unit of work) is updated in place now.
        var changes = Changes(batch);
        changes.Cached ??= _cache.For(batch.Tenant, batch.Index.Version);
        var entry = changes.Cached.Hold(profileId, changes, changes.Taken);

        // A profile whose state took the event in place is among the taken ones (evaluated before commit even without other facts).
        var facts = Runtime.Evaluate(record, eventId, entry, batch.Now);
        if (facts is not null)
        {
            changes.Linked.Add((profileId, facts)); // With a state at hand, only its triggers: its inputs are applied already.
        }

        if (entry is not null && !Runtime.ReadsAttributesEveryTime)
        {
            // Its audiences and packed state are evaluated now, while the state is in the processor's cache: the commit
            // then only writes them (evaluating again would read the profile's states a second time, from memory).
            CollectionsMarshal.AsSpan(changes.Taken)[entry.HeldAt].PreparedRow = Prepare(entry, changes, profileId, null, everything: false, batch.Now, null);
            entry.Prepared = true;
        }
    }

    /// <summary>Hook: an event left quarantine or moved between profiles; the profiles involved are recomputed from history.</summary>
    public async ValueTask OnEventMovingAsync(Batch batch, long eventId, Guid? from, bool fromKnown, Guid? to, CancellationToken cancellationToken)
    {
        if (IsEmpty)
        {
            return;
        }

        var changes = Changes(batch);
        if (!fromKnown)
        {
            from = await batch.Session.GetEventProfileAsync(eventId, cancellationToken).ConfigureAwait(false);
        }

        if (from is { } previous)
        {
            changes.Recompute.Add(previous);
        }
        else if (to is not null)
        {
            changes.LeftQuarantine.Add(eventId);
        }

        if (to is { } next)
        {
            changes.Recompute.Add(next);
        }
    }

    /// <summary>Hook: <paramref name="merged"/> was merged into <paramref name="survivor"/>.</summary>
    public void OnProfileMerged(Batch batch, Guid survivor, Guid merged)
    {
        if (!IsEmpty)
        {
            var changes = Changes(batch);
            changes.Recompute.Add(survivor);
            changes.MergedAway.Add(merged);
        }
    }

    /// <summary>Hook: a profile was created or its merged records changed (attributes may have).</summary>
    public void OnProfileChanged(Batch batch, Guid profileId, bool created)
    {
        if (!IsEmpty)
        {
            Changes(batch).Touched.Add(profileId);
        }
    }

    /// <summary>Hook: an event left quarantine; <see cref="OnEventMovingAsync"/> told of it before it moved.</summary>
    public void OnEventLeftQuarantine(Batch batch, long eventId, Guid profileId)
    {
    }

    /// <summary>Hook (erasure): forgets what was noted about a profile (its computed state is deleted with it).</summary>
    public void OnProfileErased(Batch batch, Guid profileId)
    {
        if (!IsEmpty)
        {
            var changes = Changes(batch);
            changes.Touched.Remove(profileId);
            changes.Recompute.Remove(profileId);
            changes.Erased = true;
        }
    }

    public ValueTask OnRecordsWrittenAsync(Batch batch, CancellationToken cancellationToken) => default;

    /// <summary>Updates every profile the unit of work touched, once, in its session (called before commit).</summary>
    public async ValueTask OnCommittingAsync(Batch batch, CancellationToken cancellationToken)
    {
        if (IsEmpty || batch.PeekState<TraitsBatch>() is not { } changes)
        {
            return;
        }

        var session = batch.Session;
        var cached = changes.Cached ?? _cache.For(batch.Tenant, batch.Index.Version);
        var survivors = changes.Survivors;

        // Profiles merged away leave their audiences; the survivor is recomputed from the history it now holds.
        foreach (var merged in changes.MergedAway)
        {
            cached.Remove(merged);
            var state = await session.GetComputedStateAsync(merged, cancellationToken).ConfigureAwait(false);
            foreach (var membership in state.Audiences)
            {
                await AppendTriggerAsync(batch, changes, TriggerKind.AudienceExited, membership.Audience, merged, null).ConfigureAwait(false);
            }

            if (!state.IsEmpty)
            {
                await session.SaveComputedStateAsync(merged, ComputedStateRow.Empty, cancellationToken).ConfigureAwait(false);
            }
        }

        var checkSurvival = changes.MergedAway.Count > 0 || changes.Erased;
        if (!checkSurvival && changes.Recompute.Count == 0 && changes.Touched.Count == 0 && changes.Linked.Count == 0)
        {
            // Only events linked to profiles whose state was at hand (as most units of work): each is written as prepared.
            for (var i = 0; i < changes.Taken.Count; i++)
            {
                var (profileId, held, row) = (changes.Taken[i].ProfileId, changes.Taken[i].Entry, changes.Taken[i].PreparedRow);
                var entry = held.Prepared
                    ? await WriteAsync(batch, changes, profileId, held, row, cancellationToken).ConfigureAwait(false)
                    : await EvaluateProfileAsync(batch, changes, profileId, NoFacts, cancellationToken, held).ConfigureAwait(false);
                changes.Computed.Add((profileId, entry));
            }

            return;
        }

        var recompute = changes.RecomputeSurvivors;
        foreach (var id in changes.Recompute)
        {
            recompute.Add(await MergeChain.SurvivorAsync(session, id, survivors, cancellationToken).ConfigureAwait(false));
        }

        // Without a merge or an erasure in this unit of work, a profile events were linked to (or that changed) survives.
        var incremental = changes.Incremental;
        var order = changes.Order;
        foreach (var (profileId, facts) in changes.Linked)
        {
            var survivor = checkSurvival ? await MergeChain.SurvivorAsync(session, profileId, survivors, cancellationToken).ConfigureAwait(false) : profileId;
            if (!incremental.TryGetValue(survivor, out var list))
            {
                incremental[survivor] = list = [];
                order.Add(survivor);
            }

            list.Add(facts);
        }

        foreach (var id in changes.Taken.Select(t => t.ProfileId).Concat(changes.Touched).Concat(recompute))
        {
            var survivor = checkSurvival || recompute.Contains(id) ? await MergeChain.SurvivorAsync(session, id, survivors, cancellationToken).ConfigureAwait(false) : id;
            if (!incremental.ContainsKey(survivor))
            {
                incremental[survivor] = NoFacts;
                order.Add(survivor);
            }
        }

        foreach (var profileId in order)
        {
            var entry = cached.Hold(profileId, changes, changes.Taken);

            if ((checkSurvival || recompute.Contains(profileId))
                && await session.GetProfileAsync(profileId, cancellationToken).ConfigureAwait(false) is not { MergedInto: null })
            {
                continue; // Erased in this unit of work.
            }

            var facts = incremental[profileId];
            var full = recompute.Contains(profileId);
            entry = entry is { Prepared: true } && !full && !checkSurvival && !changes.Touched.Contains(profileId)
                ? await WriteAsync(batch, changes, profileId, entry, changes.Taken[entry.HeldAt].PreparedRow, cancellationToken).ConfigureAwait(false)
                : await EvaluateProfileAsync(batch, changes, profileId, full ? null : facts, cancellationToken, full ? null : entry).ConfigureAwait(false);
            changes.Computed.Add((profileId, entry));

            // "Event matched" triggers: once per event, when it is first linked (its trait input was read at ingest).
            foreach (var fact in facts)
            {
                foreach (var trigger in fact.Triggers)
                {
                    await AppendTriggerAsync(batch, changes, TriggerKind.EventMatched, trigger, profileId, fact.EventId).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Keeps what the committed unit of work computed, decoded, for the next ones.</summary>
    public void OnCommitted(Batch batch)
    {
        if (batch.TakeState<TraitsBatch>() is not { } changes)
        {
            return;
        }

        if (changes.Erased)
        {
            _cache.Forget(batch.Tenant);
            return;
        }

        _cache.Keep(batch.Tenant, batch.Index.Version, changes, changes.Computed, changes.Taken);
        if (changes.Computed.Count <= PooledProfiles && _pool.Count < PooledBatches)
        {
            changes.Clear();
            _pool.Add(changes);
        }
    }

    /// <summary>
    /// Brings one profile's traits and audiences up to date; <paramref name="newEvents"/> null means from its whole
    /// history. From <paramref name="cached"/> (or the stored state, decoded), only the traits the new events change are
    /// updated, only the audiences reading them (or the time, or changed attributes) are evaluated, and the state is
    /// written only when something changed: the packed states, and the memberships that changed.
    /// </summary>
    /// <returns>The profile's state as now written.</returns>
    public async ValueTask<ComputedEntry> EvaluateProfileAsync(Batch batch, TraitsBatch? changes, Guid profileId, List<EventFacts>? newEvents, CancellationToken cancellationToken,
        ComputedEntry? cached = null)
    {
        var session = batch.Session;
        var entry = newEvents is null ? null : cached;
        var everything = false;
        if (entry is null)
        {
            var stored = await session.GetComputedStateAsync(profileId, cancellationToken).ConfigureAwait(false);
            var decoded = newEvents is null ? null : ReadStates(stored);
            if (decoded is null)
            {
                var events = await session.GetEventsOfProfileAsync(profileId, cancellationToken).ConfigureAwait(false);
                decoded = ComputeFromHistory(events, batch.Now, changes?.LeftQuarantine, out var matched);
                foreach (var (eventId, trigger) in matched)
                {
                    await AppendTriggerAsync(batch, changes, TriggerKind.EventMatched, trigger, profileId, eventId).ConfigureAwait(false);
                }

                newEvents = null;
            }

            entry = new ComputedEntry(decoded, MembersByAudience(stored), stored);

            // Read from the store: its memberships may be of other definitions, so every audience is evaluated.
            everything = true;
        }

        IReadOnlyDictionary<string, JsonElement>? attributes = null;
        if (Runtime.ReadsAttributesEveryTime)
        {
            // An audience evaluated every time reads merged attributes: they are read before the evaluation (which awaits nothing).
            var records = await session.GetSourceRecordsAsync(profileId, cancellationToken).ConfigureAwait(false);
            attributes = AttributeMerger.Merge(core.Schema, records).ToDictionary(r => r.Name, r => JsonElement.Parse(r.ValueJson), StringComparer.Ordinal);
        }

        var write = Prepare(entry, changes, profileId, newEvents, everything, batch.Now, attributes);
        return await WriteAsync(batch, changes, profileId, entry, write, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes what an evaluation of the entry gave: the trigger-log entries of the audiences entered and left (in
    /// audience order), then the row when something changed; the prepared memberships become the entry's own.
    /// </summary>
    private async ValueTask<ComputedEntry> WriteAsync(Batch batch, TraitsBatch? changes, Guid profileId, ComputedEntry entry, ComputedStateRow? write, CancellationToken cancellationToken)
    {
        var members = entry.Members;
        var prepared = entry.PreparedMembers!;
        var audiences = Runtime.Audiences;
        for (var a = 0; a < members.Length; a++)
        {
            if ((members[a] is null) != (prepared[a] is null))
            {
                members[a] = prepared[a];
                var kind = prepared[a] is null ? TriggerKind.AudienceExited : TriggerKind.AudienceEntered;
                await AppendTriggerAsync(batch, changes, kind, audiences[a].Name, profileId, null).ConfigureAwait(false);
            }
        }

        if (write is { } state)
        {
            await batch.Session.UpdateComputedStateAsync(profileId, entry.Previous, state, cancellationToken).ConfigureAwait(false);
            entry.Written(state);
            Array.Clear(entry.Changed);
        }

        entry.Prepared = false;
        return entry;
    }

    /// <summary>Evaluates the entry from its memberships as stored into <see cref="ComputedEntry.PreparedMembers"/>, giving the row to write (or null).</summary>
    private ComputedStateRow? Prepare(ComputedEntry entry, TraitsBatch? changes, Guid profileId, List<EventFacts>? newEvents, bool everything, DateTimeOffset now,
        IReadOnlyDictionary<string, JsonElement>? attributes)
    {
        var members = entry.PreparedMembers ??= new AudienceMemberRow?[entry.Members.Length];
        Array.Copy(entry.Members, members, members.Length);
        return Evaluate(entry, changes, profileId, newEvents, everything, now, attributes, members);
    }

    /// <summary>The audience context of the unit of work (or a new one without), which profiles are evaluated with one after the other.</summary>
    private AudienceContext Context(TraitsBatch? changes) => changes is null ? new AudienceContext(Runtime.Traits) : changes.Context ??= new AudienceContext(Runtime.Traits);

    /// <summary>
    /// The synchronous part of <see cref="EvaluateProfileAsync"/>: applies <paramref name="newEvents"/>, expires windows,
    /// evaluates the audiences whose inputs changed into <paramref name="members"/> (the stored memberships, copied),
    /// and gives the row to write, or null when nothing changed.
    /// </summary>
    private ComputedStateRow? Evaluate(ComputedEntry entry, TraitsBatch? changes, Guid profileId, List<EventFacts>? newEvents, bool everything, DateTimeOffset now,
        IReadOnlyDictionary<string, JsonElement>? attributes, AudienceMemberRow?[] members)
    {
        var traits = Runtime.Traits;
        var states = entry.States;
        var changed = entry.Changed;
        foreach (var facts in newEvents ?? NoFacts)
        {
            for (var i = 0; i < states.Length; i++)
            {
                if (facts.Inputs[i] is { } input && states[i].Add(traits[i], input, now))
                {
                    changed[i] = true;
                }
            }
        }

        DateTimeOffset? due = null;
        var anyChanged = everything;
        foreach (var i in Runtime.Windowed)
        {
            changed[i] |= states[i].Expire(traits[i], now);
            due = Earliest(due, states[i].DueAt(traits[i]));
        }

        foreach (var flag in changed)
        {
            anyChanged |= flag;
        }

        var context = Context(changes);
        context.Reset(states, now);
        context.Attributes = attributes;
        var membersChanged = false;
        var audiences = Runtime.Audiences;
        for (var a = 0; a < audiences.Count; a++)
        {
            var audience = audiences[a];
            if (!everything && !audience.AlwaysEvaluated && !ReadsChanged(audience, changed))
            {
                continue;
            }

            var isIn = audience.Condition.Evaluate(context);
            if (isIn != (members[a] is not null))
            {
                members[a] = isIn ? new AudienceMemberRow(audience.Name, profileId, now) : null;
                membersChanged = true;
            }
        }

        due = Earliest(due, context.DueAt);
        context.Reset(null, default);
        if (!anyChanged && !membersChanged && due == entry.StoredDueAt)
        {
            return null;
        }

        var rows = membersChanged || everything ? Members(members) : entry.StoredAudiences;
        return new ComputedStateRow([], rows, due) { State = TraitState.Pack(states, traits, Runtime.StateDigest) };
    }

    /// <summary>The memberships held, in audience order (none: the shared empty list).</summary>
    private static IReadOnlyList<AudienceMemberRow> Members(AudienceMemberRow?[] byAudience)
    {
        var count = 0;
        foreach (var member in byAudience)
        {
            count += member is null ? 0 : 1;
        }

        if (count == 0)
        {
            return [];
        }

        var members = new AudienceMemberRow[count];
        count = 0;
        foreach (var member in byAudience)
        {
            if (member is not null)
            {
                members[count++] = member;
            }
        }

        return members;
    }

    /// <summary>Whether an input of the audience changed.</summary>
    private static bool ReadsChanged(CompiledAudience audience, bool[] changed)
    {
        foreach (var input in audience.Inputs)
        {
            if ((uint)input >= (uint)changed.Length || changed[input])
            {
                return true;
            }
        }

        return false;
    }

    private AudienceMemberRow?[] MembersByAudience(ComputedStateRow stored)
    {
        var members = new AudienceMemberRow?[Runtime.Audiences.Count];
        foreach (var member in stored.Audiences)
        {
            for (var a = 0; a < members.Length; a++)
            {
                if (Runtime.Audiences[a].Name == member.Audience)
                {
                    members[a] = member;
                }
            }
        }

        return members;
    }

    /// <summary>The stored states, or null when any is missing or was computed for another definition.</summary>
    public TraitState[]? ReadStates(ComputedStateRow stored)
    {
        if (stored.State is { } packed)
        {
            return TraitState.Unpack(packed, Runtime.Traits, Runtime.StateDigest);
        }

        if (stored.Traits.Count != Runtime.Traits.Count)
        {
            return null;
        }

        var states = new TraitState[Runtime.Traits.Count];
        for (var i = 0; i < states.Length; i++)
        {
            var trait = Runtime.Traits[i];
            var row = stored.Traits[i].Name == trait.Name ? stored.Traits[i] : stored.Traits.FirstOrDefault(t => t.Name == trait.Name);
            if (row is null || TraitState.Read(row.StateJson) is not { } state || !state.IsFor(trait))
            {
                return null;
            }

            states[i] = state;
        }

        return states;
    }

    /// <summary>Computes every trait exactly from events (the reference the incremental path must equal).</summary>
    public TraitState[] ComputeFromHistory(IEnumerable<EventRow> events, DateTimeOffset now, HashSet<long>? leftQuarantine, out List<(long EventId, string Trigger)> matched)
    {
        matched = [];
        var states = Runtime.Traits.Select(TraitState.New).ToArray();
        foreach (var row in events)
        {
            var facts = Facts(row);
            for (var i = 0; i < states.Length; i++)
            {
                if (facts.Inputs[i] is { } input)
                {
                    states[i].Add(Runtime.Traits[i], input, now);
                }
            }

            if (leftQuarantine is not null && leftQuarantine.Remove(row.Id))
            {
                matched.AddRange(facts.Triggers.Select(t => (row.Id, t)));
            }
        }

        foreach (var (state, trait) in states.Zip(Runtime.Traits))
        {
            state.Expire(trait, now);
        }

        return states;
    }

    private EventFacts Facts(EventRow row) =>
        Runtime.Evaluate(row.Id, row.RecordType, row.Source, row.RecordId, row.EventName, row.OccurredAt, () => JsonDocument.Parse(row.Utf8Payload));

    private static ValueTask AppendTriggerAsync(Batch batch, TraitsBatch? changes, TriggerKind kind, string name, Guid profileId, long? eventId)
    {
        if (changes is not null && kind != TriggerKind.EventMatched)
        {
            changes.Transitions++;
        }

        return batch.Session.AppendTriggerAsync(new TriggerRow(0, kind, name, profileId, eventId, batch.Now));
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>What a unit of work reported through the hooks.</summary>
    internal sealed class TraitsBatch
    {
        public List<(Guid ProfileId, EventFacts Facts)> Linked { get; } = [];

        public HashSet<Guid> Recompute { get; } = [];

        public HashSet<Guid> Touched { get; } = [];

        public List<Guid> MergedAway { get; } = [];

        public HashSet<long> LeftQuarantine { get; } = [];

        public int Transitions { get; set; }

        /// <summary>Gets or sets the tenant's cached states, checked against the store version when first used in the unit of work.</summary>
        public ComputedCache.TenantEntries? Cached { get; set; }

        /// <summary>Gets the cached decoded states this unit of work holds and updates in place, in the order first held (each evaluated before commit, even without other facts).</summary>
        public List<HeldEntry> Taken { get; } = [];

        /// <summary>Gets or sets whether a profile was erased (its computed state deleted past the cache).</summary>
        public bool Erased { get; set; }

        /// <summary>Gets or sets the audience context the unit of work's profiles are evaluated with, one after the other.</summary>
        public AudienceContext? Context { get; set; }

        /// <summary>Gets the profiles updated, with their state as written: kept in the cache once the unit of work commits.</summary>
        public List<(Guid ProfileId, ComputedEntry Entry)> Computed { get; } = [];

        /// <summary>Gets, before commit, the surviving profile of each profile involved (merges).</summary>
        public Dictionary<Guid, Guid> Survivors { get; } = [];

        /// <summary>Gets, before commit, the surviving profiles to recompute from history.</summary>
        public HashSet<Guid> RecomputeSurvivors { get; } = [];

        /// <summary>Gets, before commit, the facts to apply to each profile.</summary>
        public Dictionary<Guid, List<EventFacts>> Incremental { get; } = [];

        /// <summary>Gets, before commit, the profiles to update, in order.</summary>
        public List<Guid> Order { get; } = [];

        /// <summary>Empties every collection (kept with its capacity) for the next unit of work.</summary>
        public void Clear()
        {
            Linked.Clear();
            Recompute.Clear();
            Touched.Clear();
            MergedAway.Clear();
            LeftQuarantine.Clear();
            Transitions = 0;
            Cached = null;
            Taken.Clear();
            Erased = false;
            Computed.Clear();
            Survivors.Clear();
            RecomputeSurvivors.Clear();
            Incremental.Clear();
            Order.Clear();
        }
    }
}

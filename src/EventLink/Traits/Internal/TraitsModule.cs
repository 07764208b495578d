using System.Collections.Concurrent;
using System.Runtime.InteropServices;
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
internal sealed partial class TraitsModule(EventLinkCore core, TraitsRuntime runtime) : IBatchObserver
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
                var held = changes.Taken[i];
                var entry = held.Entry.Prepared
                    ? await WriteAsync(batch, changes, held.ProfileId, held.Entry, held.PreparedRow, cancellationToken).ConfigureAwait(false)
                    : await EvaluateProfileAsync(batch, changes, held.ProfileId, NoFacts, cancellationToken, held.Entry).ConfigureAwait(false);
                changes.Computed.Add((held.ProfileId, entry));
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
}

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
    /// <summary>Gets the compiled traits, audiences and triggers.</summary>
    public TraitsRuntime Runtime { get; } = runtime;

    /// <summary>Gets whether no trait, audience or trigger is configured.</summary>
    public bool IsEmpty => Runtime.IsEmpty;

    /// <summary>Hook: an event was linked at ingest; its record is at hand, so its contribution is read now.</summary>
    public void OnEventLinked(Batch batch, ParsedRecord record, long eventId, Guid profileId)
    {
        if (IsEmpty)
        {
            return;
        }

        var facts = Runtime.Evaluate(eventId, record.Type.Name, record.Source, record.RecordId, record.EventName, record.OccurredAt,
            () => record.Document ?? JsonDocument.Parse(record.Utf8Payload));
        batch.GetState<TraitsBatch>().Linked.Add((profileId, facts));
    }

    /// <summary>Hook: an event left quarantine or moved between profiles; the profiles involved are recomputed from history.</summary>
    public async ValueTask OnEventMovingAsync(Batch batch, long eventId, Guid? from, bool fromKnown, Guid? to, CancellationToken cancellationToken)
    {
        if (IsEmpty)
        {
            return;
        }

        var changes = batch.GetState<TraitsBatch>();
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
            var changes = batch.GetState<TraitsBatch>();
            changes.Recompute.Add(survivor);
            changes.MergedAway.Add(merged);
        }
    }

    /// <summary>Hook: a profile was created or its merged records changed (attributes may have).</summary>
    public void OnProfileChanged(Batch batch, Guid profileId, bool created)
    {
        if (!IsEmpty)
        {
            batch.GetState<TraitsBatch>().Touched.Add(profileId);
        }
    }

    /// <summary>Hook: an event left quarantine; <see cref="OnEventMovingAsync"/> told of it before it moved.</summary>
    public void OnEventLeftQuarantine(Batch batch, long eventId, Guid profileId)
    {
    }

    /// <summary>Hook (erasure): forgets what was noted about a profile (its computed state is deleted with it).</summary>
    public void OnProfileErased(Batch batch, Guid profileId)
    {
        if (batch.PeekState<TraitsBatch>() is { } changes)
        {
            changes.Touched.Remove(profileId);
            changes.Recompute.Remove(profileId);
        }
    }

    public ValueTask OnRecordsWrittenAsync(Batch batch, CancellationToken cancellationToken) => default;

    /// <summary>Updates every profile the unit of work touched, once, in its session (called before commit).</summary>
    public async ValueTask OnCommittingAsync(Batch batch, CancellationToken cancellationToken)
    {
        if (IsEmpty || batch.TakeState<TraitsBatch>() is not { } changes)
        {
            return;
        }

        var session = batch.Session;
        var survivors = new Dictionary<Guid, Guid>();

        // Profiles merged away leave their audiences; the survivor is recomputed from the history it now holds.
        foreach (var merged in changes.MergedAway)
        {
            var state = await session.GetComputedStateAsync(merged, cancellationToken).ConfigureAwait(false);
            foreach (var membership in state.Audiences)
            {
                await AppendTriggerAsync(batch, changes, TriggerKind.AudienceExited, membership.Audience, merged, null).ConfigureAwait(false);
            }

            if (state.Traits.Count > 0 || state.Audiences.Count > 0 || state.DueAt is not null)
            {
                await session.SaveComputedStateAsync(merged, ComputedStateRow.Empty, cancellationToken).ConfigureAwait(false);
            }
        }

        var recompute = new HashSet<Guid>();
        foreach (var id in changes.Recompute)
        {
            recompute.Add(await MergeChain.SurvivorAsync(session, id, survivors, cancellationToken).ConfigureAwait(false));
        }

        var incremental = new Dictionary<Guid, List<EventFacts>>();
        var order = new List<Guid>();
        foreach (var (profileId, facts) in changes.Linked)
        {
            var survivor = await MergeChain.SurvivorAsync(session, profileId, survivors, cancellationToken).ConfigureAwait(false);
            if (!incremental.TryGetValue(survivor, out var list))
            {
                incremental[survivor] = list = [];
                order.Add(survivor);
            }

            list.Add(facts);
        }

        foreach (var id in changes.Touched.Concat(recompute))
        {
            var survivor = await MergeChain.SurvivorAsync(session, id, survivors, cancellationToken).ConfigureAwait(false);
            if (!incremental.ContainsKey(survivor))
            {
                incremental[survivor] = [];
                order.Add(survivor);
            }
        }

        foreach (var profileId in order)
        {
            if (await session.GetProfileAsync(profileId, cancellationToken).ConfigureAwait(false) is not { MergedInto: null })
            {
                continue; // Erased in this unit of work.
            }

            var facts = incremental[profileId];
            await EvaluateProfileAsync(batch, changes, profileId, recompute.Contains(profileId) ? null : facts, cancellationToken).ConfigureAwait(false);

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

    /// <summary>Brings one profile's traits and audiences up to date; <paramref name="newEvents"/> null means from its whole history.</summary>
    public async ValueTask EvaluateProfileAsync(Batch batch, TraitsBatch? changes, Guid profileId, List<EventFacts>? newEvents, CancellationToken cancellationToken)
    {
        var session = batch.Session;
        var stored = await session.GetComputedStateAsync(profileId, cancellationToken).ConfigureAwait(false);
        var states = newEvents is null ? null : ReadStates(stored);
        if (states is null)
        {
            var events = await session.GetEventsOfProfileAsync(profileId, cancellationToken).ConfigureAwait(false);
            states = ComputeFromHistory(events, batch.Now, changes?.LeftQuarantine, out var matched);
            foreach (var (eventId, trigger) in matched)
            {
                await AppendTriggerAsync(batch, changes, TriggerKind.EventMatched, trigger, profileId, eventId).ConfigureAwait(false);
            }
        }
        else
        {
            foreach (var facts in newEvents!)
            {
                for (var i = 0; i < states.Length; i++)
                {
                    if (facts.Inputs[i] is { } input)
                    {
                        states[i].Add(Runtime.Traits[i], input, batch.Now);
                    }
                }
            }
        }

        var rows = new TraitStateRow[states.Length];
        var values = new Dictionary<string, JsonElement>(states.Length, StringComparer.Ordinal);
        DateTimeOffset? due = null;
        for (var i = 0; i < states.Length; i++)
        {
            var trait = Runtime.Traits[i];
            states[i].Expire(trait, batch.Now);
            var valueJson = states[i].ValueJson(trait);
            rows[i] = new TraitStateRow(trait.Name, valueJson, states[i].Write());
            values[trait.Name] = JsonElement.Parse(valueJson);
            due = Earliest(due, states[i].DueAt(trait));
        }

        IReadOnlyDictionary<string, JsonElement>? attributes = null;
        if (Runtime.UsesAttributes)
        {
            var records = await session.GetSourceRecordsAsync(profileId, cancellationToken).ConfigureAwait(false);
            attributes = AttributeMerger.Merge(core.Schema, records).ToDictionary(a => a.Name, a => JsonElement.Parse(a.ValueJson), StringComparer.Ordinal);
        }

        var context = new AudienceContext(values, attributes, batch.Now);
        var members = new List<AudienceMemberRow>();
        foreach (var audience in Runtime.Audiences)
        {
            var isIn = audience.Condition.Evaluate(context);
            var was = stored.Audiences.FirstOrDefault(a => a.Audience == audience.Name);
            if (isIn)
            {
                members.Add(was ?? new AudienceMemberRow(audience.Name, profileId, batch.Now));
            }

            if (isIn != (was is not null))
            {
                await AppendTriggerAsync(batch, changes, isIn ? TriggerKind.AudienceEntered : TriggerKind.AudienceExited, audience.Name, profileId, null).ConfigureAwait(false);
            }
        }

        due = Earliest(due, context.DueAt);
        await session.SaveComputedStateAsync(profileId, new ComputedStateRow(rows, members, due), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored states, or null when any is missing or was computed for another definition.</summary>
    public TraitState[]? ReadStates(ComputedStateRow stored)
    {
        if (stored.Traits.Count != Runtime.Traits.Count)
        {
            return null;
        }

        var states = new TraitState[Runtime.Traits.Count];
        for (var i = 0; i < states.Length; i++)
        {
            var trait = Runtime.Traits[i];
            var row = stored.Traits[i].Name == trait.Name ? stored.Traits[i] : stored.Traits.FirstOrDefault(t => t.Name == trait.Name);
            if (row is null || TraitState.Read(row.StateJson) is not { } state || state.Fingerprint != trait.Fingerprint)
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

    private async ValueTask AppendTriggerAsync(Batch batch, TraitsBatch? changes, TriggerKind kind, string name, Guid profileId, long? eventId)
    {
        await batch.Session.AppendTriggerAsync(new TriggerRow(0, kind, name, profileId, eventId, batch.Now)).ConfigureAwait(false);
        if (changes is not null && kind != TriggerKind.EventMatched)
        {
            changes.Transitions++;
        }
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
    }
}

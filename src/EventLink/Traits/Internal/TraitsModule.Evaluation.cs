using System.Text.Json;
using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.Traits.Internal;

/// <summary>Evaluating one profile: applying its new events, expiring windows, evaluating the audiences whose inputs changed, and writing what changed.</summary>
internal sealed partial class TraitsModule
{
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
}

using System.Text.Json;
using EventLink.Storage;

namespace EventLink.Traits.Internal;

/// <summary>A profile's trait states read back from the store, or computed exactly from its whole history.</summary>
internal sealed partial class TraitsModule
{
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
}

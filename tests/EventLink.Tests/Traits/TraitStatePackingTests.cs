using System.Text.Json;
using EventLink.Traits.Internal;
using FluentAssertions;

namespace EventLink.Tests.Traits;

/// <summary>
/// The packed state of a profile keeps only what each trait's kind reads: whatever events a state took, packing and
/// unpacking it gives the same values, and the same values again after more events.
/// </summary>
public sealed class TraitStatePackingTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static EventLinkSchema Schema() => new SchemaBuilder()
        .Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email", IdentityKinds.Email))
        .AppendOnly("charge", t => t.RecordId("id").OccurredAt("created").EventName("type").RelatesTo("email", "customer"))
        .Build();

    private static TraitsRuntime Runtime(Action<TraitsOptions>? more = null)
    {
        var options = new TraitsOptions();
        var charge = new EventFilterOptions { RecordType = "charge" };
        foreach (var kind in Enum.GetValues<TraitKind>())
        {
            var property = kind is TraitKind.LastValue or TraitKind.DistinctCount ? "country" : "amount";
            options.Traits.Add(new ComputedTraitOptions { Name = $"{kind}", Kind = kind, Property = property, Filter = charge });
            options.Traits.Add(new ComputedTraitOptions { Name = $"{kind}_7d", Kind = kind, Property = property, Filter = charge, Window = TimeSpan.FromDays(7) });
        }

        more?.Invoke(options);
        return TraitsRuntime.Create(Schema(), options);
    }

    private static EventFacts Charge(TraitsRuntime runtime, int i, decimal amount, string country, DateTimeOffset at) =>
        runtime.Evaluate(i, "charge", "stripe", $"ch_{i}", "charge.succeeded", at,
            () => JsonDocument.Parse(JsonSerializer.Serialize(new { id = $"ch_{i}", amount, country, created = at.ToUnixTimeSeconds() })));

    private static void Add(TraitsRuntime runtime, TraitState[] states, EventFacts facts)
    {
        for (var i = 0; i < states.Length; i++)
        {
            if (facts.Inputs[i] is { } input)
            {
                states[i].Add(runtime.Traits[i], input, Now);
            }
        }
    }

    private static string[] Values(TraitsRuntime runtime, TraitState[] states) =>
        [.. states.Select((s, i) => s.ValueJson(runtime.Traits[i]))];

    [Fact]
    public void Every_kind_gives_the_same_values_after_packing_and_after_more_events()
    {
        var runtime = Runtime();
        var random = new Random(5);
        var states = runtime.Traits.Select(TraitState.New).ToArray();
        var countries = new[] { "GB", "FR", "DE", "\"quoted\" ünï" };
        for (var i = 0; i < 40; i++)
        {
            var at = Now.AddHours(-random.Next(0, 24 * 20));
            Add(runtime, states, Charge(runtime, i, random.Next(-500, 100_000) / 100m, countries[random.Next(countries.Length)], at));
        }

        var packed = TraitState.Pack(states, runtime.Traits, runtime.StateDigest);
        var unpacked = TraitState.Unpack(packed, runtime.Traits, runtime.StateDigest);
        unpacked.Should().NotBeNull();
        Values(runtime, unpacked!).Should().Equal(Values(runtime, states));

        // Events after unpacking, late ones included, move both copies alike (ties in time are broken by record id).
        for (var i = 40; i < 60; i++)
        {
            var facts = Charge(runtime, i, i * 3.5m, countries[i % countries.Length], Now.AddHours(-(i % 3 == 0 ? 1 : 24 * 10)));
            Add(runtime, states, facts);
            Add(runtime, unpacked!, facts);
        }

        for (var i = 0; i < states.Length; i++)
        {
            states[i].Expire(runtime.Traits[i], Now.AddDays(3));
            unpacked![i].Expire(runtime.Traits[i], Now.AddDays(3));
        }

        Values(runtime, unpacked!).Should().Equal(Values(runtime, states));
        packed.Length.Should().BeLessThan(4_000, "only what each kind reads is packed");
    }

    [Fact]
    public void A_windowed_entry_keeps_the_events_source_and_record_id_only_for_a_last_value()
    {
        // As packed: a decoded state held in the cache for the window's length keeps no string of every event in it.
        var runtime = Runtime();
        var states = runtime.Traits.Select(TraitState.New).ToArray();
        Add(runtime, states, Charge(runtime, 7, 10m, "GB", Now.AddHours(-1)));
        for (var i = 0; i < states.Length; i++)
        {
            var trait = runtime.Traits[i];
            if (trait.Window is null)
            {
                continue;
            }

            var entry = states[i].Entries.Should().ContainSingle().Subject;
            (entry.Source, entry.RecordId).Should().Be(trait.Kind == TraitKind.LastValue ? ("stripe", "ch_7") : ("", ""), trait.Name);
            entry.Json.Should().Be(trait.ReadsJson ? "\"GB\"" : null, trait.Name);
            entry.Number.Should().Be(trait.ReadsProperty && !trait.ReadsJson ? 10m : null, trait.Name);
        }
    }

    [Fact]
    public void A_state_packed_for_other_definitions_or_damaged_is_not_read()
    {
        var runtime = Runtime();
        var states = runtime.Traits.Select(TraitState.New).ToArray();
        Add(runtime, states, Charge(runtime, 1, 10m, "GB", Now.AddDays(-1)));
        var packed = TraitState.Pack(states, runtime.Traits, runtime.StateDigest);

        var other = Runtime(o => o.Traits.Add(new ComputedTraitOptions { Name = "extra", Kind = TraitKind.Count }));
        other.StateDigest.Should().NotBe(runtime.StateDigest);
        TraitState.Unpack(packed, other.Traits, other.StateDigest).Should().BeNull("a changed definition recomputes the profile");
        TraitState.Unpack(packed.AsSpan(0, packed.Length - 1), runtime.Traits, runtime.StateDigest).Should().BeNull();
        TraitState.Unpack([.. packed, 0], runtime.Traits, runtime.StateDigest).Should().BeNull();
        TraitState.Unpack([], runtime.Traits, runtime.StateDigest).Should().BeNull();
    }

    [Fact]
    public void A_state_packed_by_version_3_with_every_count_and_sum_is_still_read()
    {
        var options = new TraitsOptions();
        var charge = new EventFilterOptions { RecordType = "charge" };
        options.Traits.Add(new ComputedTraitOptions { Name = "charges", Kind = TraitKind.Count, Filter = charge });
        options.Traits.Add(new ComputedTraitOptions { Name = "spend", Kind = TraitKind.Sum, Property = "amount", Filter = charge });
        var runtime = TraitsRuntime.Create(Schema(), options);

        // Version 3: version, digest, trait count; then per state its flags, its count and its sum (scale 1, mantissa 125).
        var v3 = new List<byte> { 3 };
        var digest = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(digest, runtime.StateDigest);
        v3.AddRange(digest);
        v3.AddRange([2, 0, 2, 1, 125, 0, 0, 2, 1, 125, 0]);
        var states = TraitState.Unpack([.. v3], runtime.Traits, runtime.StateDigest);

        states.Should().NotBeNull();
        Values(runtime, states!).Should().Equal("2", "12.5");
        var repacked = TraitState.Pack(states!, runtime.Traits, runtime.StateDigest);
        repacked[0].Should().Be(4, "states are written in the current version");
        repacked.Length.Should().BeLessThan(v3.Count, "a count packs no sum, a sum no count");
        Values(runtime, TraitState.Unpack(repacked, runtime.Traits, runtime.StateDigest)!).Should().Equal("2", "12.5");
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using EventLink.Internal;

namespace EventLink.Traits.Internal;

/// <summary>What one event contributes to one trait: its position in time and order, and the value the trait reads.</summary>
internal readonly record struct TraitInput(DateTimeOffset At, string Source, string RecordId, decimal? Number, string? Json);

/// <summary>
/// A trait's incremental state. All-time traits keep aggregates updated in O(1) per event (distinct counts keep their
/// value set); windowed traits keep the entries inside the window, dropped as they expire. Sums are decimal, so any
/// arrival order gives the same value as a recomputation in timeline order.
/// </summary>
internal sealed partial class TraitState
{
    private string _fingerprint = "";
    private object? _extra;
    private List<TraitEntry>? _entries;
    private long _count;
    private decimal _sum;
    private decimal _extreme;
    private DateTimeOffset _at;
    private Fields _has; // Which fields sharing storage hold a value (the packed encoding's flags; Entries: windowed).

    // The fields a kind does not read share storage with the ones it does: the minimum and the maximum one decimal,
    // the first and the last time one time, the last value and the distinct set one reference. A state is about 100
    // bytes, not 250: an update touches a profile's dozen states, at random among many profiles, so their size is
    // most of its cost (cache misses), not the arithmetic.
    [JsonPropertyName("f")] public string Fingerprint { get => _fingerprint; set => _fingerprint = value; }

    [JsonPropertyName("c")] public long Count { get => _count; set => _count = value; }

    [JsonPropertyName("s")] public decimal Sum { get => _sum; set => _sum = value; }

    [JsonPropertyName("o")] public bool? Overflow { get => (_has & Fields.Overflow) != 0 ? true : null; set => Set(Fields.Overflow, value == true); }

    [JsonPropertyName("mn")]
    public decimal? Min
    {
        get => (_has & Fields.Min) != 0 ? _extreme : null;
        set => _extreme = Set(Fields.Min, value is not null) ? value!.Value : _extreme;
    }

    [JsonPropertyName("mx")]
    public decimal? Max
    {
        get => (_has & Fields.Max) != 0 ? _extreme : null;
        set => _extreme = Set(Fields.Max, value is not null) ? value!.Value : _extreme;
    }

    [JsonPropertyName("fa")]
    public DateTimeOffset? FirstAt
    {
        get => (_has & Fields.FirstAt) != 0 ? _at : null;
        set => _at = Set(Fields.FirstAt, value is not null) ? value!.Value : _at;
    }

    [JsonPropertyName("la")]
    public DateTimeOffset? LastAt
    {
        get => (_has & Fields.LastAt) != 0 ? _at : null;
        set => _at = Set(Fields.LastAt, value is not null) ? value!.Value : _at;
    }

    [JsonPropertyName("lv")]
    public TraitEntry? LastValue
    {
        get => _extra is LastValueBox box ? box.Entry : null;
        set
        {
            if (value is { } entry)
            {
                SetLastValue(entry);
            }
            else if (_extra is LastValueBox)
            {
                _extra = null;
            }
        }
    }

    /// <summary>Gets the last value's JSON text, without copying its entry.</summary>
    [JsonIgnore]
    public string? LastJson => (_extra as LastValueBox)?.Entry.Json;

    [JsonPropertyName("d")]
    public HashSet<string>? Distinct
    {
        get => _extra as HashSet<string>;
        set
        {
            if (value is not null)
            {
                _extra = value;
            }
            else if (_extra is HashSet<string>)
            {
                _extra = null;
            }
        }
    }

    /// <summary>Gets or sets a windowed trait's entries (none until one is in its window: most profiles have none).</summary>
    [JsonPropertyName("e")]
    public List<TraitEntry>? Entries
    {
        get => _entries;
        set => _entries = Set(Fields.Entries, value is not null) ? value : null;
    }

    /// <summary>Gets whether the state is a windowed trait's: its entries are its state.</summary>
    [JsonIgnore]
    public bool IsWindowed => (_has & Fields.Entries) != 0;

    public static TraitState New(CompiledTrait trait) => new()
    {
        Fingerprint = trait.Key,
        Distinct = trait.Kind == TraitKind.DistinctCount && trait.Window is null ? new HashSet<string>(StringComparer.Ordinal) : null,
        _has = trait.Window is null ? Fields.None : Fields.Entries,
    };

    /// <summary>Reads a stored state: the compact encoding, or the JSON one that states were stored in before it.</summary>
    public static TraitState? Read(string json)
    {
        if (json.Length > 0 && json[0] != '{')
        {
            return Decode(json);
        }

        try
        {
            return JsonSerializer.Deserialize(json, TraitStateJsonContext.Default.TraitState);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether the state was computed for <paramref name="trait"/>'s current definition.</summary>
    public bool IsFor(CompiledTrait trait) => Fingerprint == trait.Key || Fingerprint == trait.Fingerprint;

    /// <summary>Adds an event's contribution; a windowed trait keeps only events after <c>now - window</c>.</summary>
    /// <returns>Whether the state took the event (a windowed trait does not take one already out of its window).</returns>
    public bool Add(CompiledTrait trait, in TraitInput input, DateTimeOffset now)
    {
        if (IsWindowed)
        {
            if (input.At <= now - trait.Window!.Value)
            {
                return false;
            }

            var entries = _entries ??= new List<TraitEntry>(1);
            if (entries.Count == entries.Capacity && entries.Capacity < 2)
            {
                // Most profiles hold an entry or two: room for four (the list's first growth) would mostly stay empty.
                entries.Capacity++;
            }

            // An entry keeps what its kind reads, as its packed form does: the event's source and record id only order
            // last values (else a cached state would keep every event's strings alive for the window's length), and
            // the text only serves values.
            entries.Add(trait.Kind switch
            {
                TraitKind.LastValue => new TraitEntry { At = input.At, Source = input.Source, RecordId = input.RecordId, Json = input.Json },
                TraitKind.DistinctCount => new TraitEntry { At = input.At, Json = input.Json },
                _ => new TraitEntry { At = input.At, Number = input.Number },
            });
            if (trait.Kind == TraitKind.DistinctCount && Distinct is null)
            {
                Aggregate(trait); // Its distinct set is built from the entries once.
            }
            else
            {
                // The aggregates fold the entries in any order: one more entry is one more step (no pass over all).
                Accumulate(trait, input.At, input.Source, input.RecordId, input.Number, input.Json);
                if (trait.Kind == TraitKind.DistinctCount)
                {
                    Count = Distinct!.Count;
                }
            }

            return true;
        }

        Accumulate(trait, input.At, input.Source, input.RecordId, input.Number, input.Json);
        return true;
    }

    /// <summary>Drops the entries of a windowed trait that fell out of its window.</summary>
    /// <returns>Whether any entry was dropped (the value may have changed).</returns>
    public bool Expire(CompiledTrait trait, DateTimeOffset now)
    {
        if (Entries is not { Count: > 0 })
        {
            return false;
        }

        // A loop, not RemoveAll with a lambda: this runs for every windowed trait of every profile updated.
        var cutoff = now - trait.Window!.Value;
        var kept = 0;
        for (var i = 0; i < Entries.Count; i++)
        {
            if (Entries[i].At > cutoff)
            {
                Entries[kept++] = Entries[i];
            }
        }

        if (kept == Entries.Count)
        {
            return false;
        }

        Entries.RemoveRange(kept, Entries.Count - kept);
        Aggregate(trait);
        return true;
    }

    /// <summary>When the oldest entry of a windowed trait leaves the window.</summary>
    public DateTimeOffset? DueAt(CompiledTrait trait)
    {
        if (Entries is not { Count: > 0 } entries)
        {
            return null;
        }

        var oldest = entries[0].At;
        for (var i = 1; i < entries.Count; i++)
        {
            oldest = entries[i].At < oldest ? entries[i].At : oldest;
        }

        return oldest + trait.Window!.Value;
    }

    /// <summary>The trait's value as a number, for the kinds whose value is one (<see langword="null"/> when it has none).</summary>
    public decimal? NumberValue(CompiledTrait trait) => Overflow == true ? null : trait.Kind switch
    {
        TraitKind.Count => Count,
        TraitKind.Sum => Sum,
        TraitKind.Min => Min,
        TraitKind.Max => Max,
        TraitKind.Average => Count == 0 ? null : Sum / Count,
        TraitKind.DistinctCount => Distinct?.Count ?? 0,
        _ => null,
    };

    /// <summary>The trait's value as JSON text.</summary>
    public string ValueJson(CompiledTrait trait)
    {
        if (Overflow == true)
        {
            return "null";
        }

        return trait.Kind switch
        {
            TraitKind.Count => Count.ToString(CultureInfo.InvariantCulture),
            TraitKind.Sum => Number(Sum),
            TraitKind.Min => Min is { } min ? Number(min) : "null",
            TraitKind.Max => Max is { } max ? Number(max) : "null",
            TraitKind.Average => Count == 0 ? "null" : Number(Sum / Count),
            TraitKind.FirstOccurredAt => Time(FirstAt),
            TraitKind.LastOccurredAt => Time(LastAt),
            TraitKind.LastValue => LastJson ?? "null",
            _ => (Distinct?.Count ?? 0).ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset? value) => value is { } time ? JsonSerializer.Serialize(time.ToUniversalTime(), EventLink.Internal.EventLinkJsonContext.Default.DateTimeOffset) : "null";

    private void Aggregate(CompiledTrait trait)
    {
        Count = 0;
        Sum = 0;
        Overflow = null;
        Min = Max = null;
        FirstAt = LastAt = null;
        LastValue = null;
        Distinct = trait.Kind == TraitKind.DistinctCount ? new HashSet<string>(StringComparer.Ordinal) : null;
        for (var i = 0; i < _entries?.Count; i++)
        {
            var entry = _entries[i];
            Accumulate(trait, entry.At, entry.Source, entry.RecordId, entry.Number, entry.Json);
        }

        // Only the entries are state for a windowed trait; the distinct set is rebuilt from them.
        if (trait.Kind == TraitKind.DistinctCount)
        {
            Count = Distinct!.Count;
        }
    }

    /// <summary>Adds an event to the fields the trait's kind reads (the count always: averages and windowed distinct counts read it).</summary>
    private void Accumulate(CompiledTrait trait, DateTimeOffset at, string source, string recordId, decimal? number, string? json)
    {
        Count++;
        switch (trait.Kind)
        {
            case TraitKind.Sum or TraitKind.Average when number is { } n:
                try
                {
                    Sum = checked(Sum + n);
                }
                catch (OverflowException)
                {
                    Overflow = true;
                }

                break;
            case TraitKind.Min when number is { } n:
                Min = Min is { } min && min <= n ? min : n;
                break;
            case TraitKind.Max when number is { } n:
                Max = Max is { } max && max >= n ? max : n;
                break;
            case TraitKind.FirstOccurredAt:
                FirstAt = FirstAt is { } first && first <= at ? first : at;
                break;
            case TraitKind.LastOccurredAt:
                LastAt = LastAt is { } last && last >= at ? last : at;
                break;
            case TraitKind.LastValue when json is not null:
                if (_extra is not LastValueBox box || Later(at, source, recordId, in box.Entry))
                {
                    SetLastValue(new TraitEntry { At = at, Source = source, RecordId = recordId, Json = json });
                }

                break;
            case TraitKind.DistinctCount when json is not null:
                Distinct?.Add(json);
                break;
        }
    }

    /// <summary>Sets or clears a presence flag; returns <paramref name="present"/>.</summary>
    private bool Set(Fields flag, bool present)
    {
        _has = present ? _has | flag : _has & ~flag;
        return present;
    }

    /// <summary>Keeps <paramref name="entry"/> as the last value, in the state's own box once it has one.</summary>
    private void SetLastValue(TraitEntry entry)
    {
        if (_extra is LastValueBox box)
        {
            box.Entry = entry;
        }
        else
        {
            _extra = new LastValueBox { Entry = entry };
        }
    }

    /// <summary>The last value's entry, kept by reference: most states have none, so it takes no room in them.</summary>
    private sealed class LastValueBox
    {
        public TraitEntry Entry;
    }

    /// <summary>Timeline order: occurred-at, then source, then record id.</summary>
    private static bool Later(DateTimeOffset at, string source, string recordId, in TraitEntry than)
    {
        var byTime = at.CompareTo(than.At);
        if (byTime != 0)
        {
            return byTime > 0;
        }

        var bySource = string.CompareOrdinal(source, than.Source);
        return bySource != 0 ? bySource > 0 : string.CompareOrdinal(recordId, than.RecordId) > 0;
    }
}

/// <summary>An event kept by a windowed trait (or the last value of a trait); a struct, so keeping one allocates nothing.</summary>
internal struct TraitEntry
{
    public TraitEntry()
    {
    }

    [JsonPropertyName("a")] public DateTimeOffset At { get; set; }

    [JsonPropertyName("s")] public string Source { get; set; } = "";

    [JsonPropertyName("r")] public string RecordId { get; set; } = "";

    [JsonPropertyName("n")] public decimal? Number { get; set; }

    [JsonPropertyName("j")] public string? Json { get; set; }
}

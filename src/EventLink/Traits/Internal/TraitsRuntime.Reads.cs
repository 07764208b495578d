using System.Text.Json;

namespace EventLink.Traits.Internal;

/// <summary>
/// Reading what traits need from an event in the pass that parses it: per append-only record type, an extractor that
/// also selects every path a trait or trigger reads (<see cref="ParseScratch"/>), so an event linked at ingest is not
/// parsed again into a <see cref="JsonDocument"/>. Values are compared and read as they would be from the document.
/// </summary>
internal sealed partial class TraitsRuntime
{
    private readonly Dictionary<RecordType, TypeReads> _reads = [];

    /// <summary>The extractor that also reads what traits read from <paramref name="type"/>'s payloads, or null when none is read.</summary>
    public PayloadExtractor? ExtractorFor(RecordType type) => _reads.TryGetValue(type, out var reads) ? reads.Extractor : null;

    private void PrepareReads(EventLinkSchema schema)
    {
        foreach (var type in schema.RecordTypes.Values)
        {
            if (type.Kind != RecordKind.AppendOnly || type.OccurredAtFormat == TimestampFormat.SegmentCorrected)
            {
                continue; // Parsed into a document anyway.
            }

            var paths = new List<FieldPath>();
            int Slot(FieldPath path)
            {
                var at = paths.IndexOf(path);
                if (at < 0)
                {
                    paths.Add(path);
                    at = paths.Count - 1;
                }

                return type.Relations.Count + at;
            }

            int[] Where(CompiledFilter filter)
            {
                var slots = new int[filter.Where.Length];
                for (var k = 0; k < slots.Length; k++)
                {
                    slots[k] = Slot(filter.Where[k].Path);
                }

                return slots;
            }

            var property = new int[_traits.Count];
            var where = new int[_traits.Count][];
            var applies = new List<int>();
            for (var i = 0; i < _traits.Count; i++)
            {
                var trait = _traits[i];
                if (!trait.Filter.MatchesType(type.Name))
                {
                    where[i] = [];
                    property[i] = -1;
                    continue;
                }

                applies.Add(i);
                where[i] = Where(trait.Filter);
                property[i] = trait.ReadsProperty ? Slot(trait.Property!) : -1;
            }

            var triggerWhere = _triggers.Select(t => t.Filter.MatchesType(type.Name) ? Where(t.Filter) : []).ToArray();
            if (paths.Count > 0)
            {
                var (conditions, ids) = Conditions([.. _traits.Select((t, i) => (t.Filter, where[i])), .. _triggers.Select((t, k) => (t.Filter, triggerWhere[k]))]);
                _reads[type] = new TypeReads(PayloadExtractor.Create(type, paths), type.Relations.Count + paths.Count, property, [.. applies], conditions,
                    ids[.._traits.Count], ids[_traits.Count..], _traits);
            }
        }
    }

    /// <summary>
    /// The distinct property conditions of a record type's filters (a status read by a sum and by a windowed sum is
    /// compared once an event), and for each filter the indexes of its conditions among them.
    /// </summary>
    private static ((int Slot, ComparisonOperator Operator, string? Value)[] Conditions, int[][] Ids) Conditions((CompiledFilter Filter, int[] Slots)[] filters)
    {
        var distinct = new List<(int Slot, ComparisonOperator Operator, string? Value)>();
        var ids = new int[filters.Length][];
        for (var f = 0; f < filters.Length; f++)
        {
            var (filter, slots) = filters[f];
            ids[f] = new int[slots.Length];
            for (var k = 0; k < slots.Length; k++)
            {
                var condition = (slots[k], filter.Where[k].Operator, filter.Where[k].Value);
                var at = distinct.IndexOf(condition);
                if (at < 0)
                {
                    distinct.Add(condition);
                    at = distinct.Count - 1;
                }

                ids[f][k] = at;
            }
        }

        return ([.. distinct], ids);
    }

    /// <summary>As the document path of <c>Evaluate</c>, from the values the extractor selected.</summary>
    private EventFacts? EvaluateSelected(long eventId, string recordType, string source, string recordId, string eventName, DateTimeOffset occurredAt,
        SelectedValue[] values, ReadOnlySpan<byte> payload, TypeReads reads, ComputedEntry? target, DateTimeOffset now)
    {
        var inputs = target is null ? new TraitInput?[_traits.Count] : null;
        List<string>? triggers = null;

        // Traits reading the same property (a sum, a minimum, an average of one amount) parse its number once, and
        // filters sharing a condition (a status) compare it once: 0 not yet, 1 a number / holds, 2 not a number / fails.
        Span<decimal> numbers = stackalloc decimal[values.Length];
        Span<byte> parsed = stackalloc byte[values.Length];
        Span<byte> held = stackalloc byte[reads.Conditions.Length];
        parsed.Clear();
        held.Clear();
        foreach (ref readonly var step in reads.Steps.AsSpan())
        {
            var i = step.Index;
            var trait = step.Trait;
            if ((step.ChecksHeader && !trait.Filter.MatchesHeader(recordType, source, eventName))
                || (step.Conditions.Length > 0 && !Matches(reads, step.Conditions, values, payload, held)))
            {
                continue;
            }

            decimal? number = null;
            string? json = null;
            if (step.Slot is var slot and >= 0)
            {
                ref readonly var value = ref values[slot];
                if (value.Kind == JsonValueKind.Undefined)
                {
                    continue;
                }

                if (step.ReadsJson)
                {
                    // The value kept last time, when the same text (a country), is kept again rather than decoded anew.
                    var kept = target?.States[i].LastJson;
                    json = kept is not null && ValueComparison.IsRawText(value, payload, kept) ? kept : ValueComparison.RawText(value, payload);
                }
                else
                {
                    if (parsed[slot] == 0)
                    {
                        var read = ValueComparison.ReadNumber(value, payload);
                        parsed[slot] = read is null ? (byte)2 : (byte)1;
                        numbers[slot] = read.GetValueOrDefault();
                    }

                    if (parsed[slot] == 2)
                    {
                        continue;
                    }

                    number = numbers[slot];
                }
            }

            var input = new TraitInput(occurredAt, source, recordId, number, json);
            if (target is null)
            {
                inputs![i] = input;
            }
            else if (target.States[i].Add(trait, input, now))
            {
                target.Changed[i] = true;
            }
        }

        for (var t = 0; t < _triggers.Count; t++)
        {
            var filter = _triggers[t].Filter;
            if (filter.MatchesHeader(recordType, source, eventName) && Matches(reads, reads.TriggerConditions[t], values, payload, held))
            {
                (triggers ??= []).Add(_triggers[t].Name);
            }
        }

        return target is not null && triggers is null ? null : new EventFacts(eventId, inputs ?? new TraitInput?[_traits.Count], triggers is null ? [] : [.. triggers]);
    }

    /// <summary>Whether every condition of a filter holds, each distinct condition compared once an event (<paramref name="held"/>).</summary>
    private static bool Matches(TypeReads reads, int[] conditions, SelectedValue[] values, ReadOnlySpan<byte> payload, Span<byte> held)
    {
        foreach (var id in conditions)
        {
            if (held[id] == 0)
            {
                var (slot, comparison, expected) = reads.Conditions[id];
                held[id] = ValueComparison.Holds(values[slot], payload, comparison, expected) ? (byte)1 : (byte)2;
            }

            if (held[id] == 2)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// One trait as an event of a type is evaluated for it: its index and definition, whether its filter names a source
    /// or an event name, its filter's conditions, the slot of the value it reads (-1: none) and whether it keeps it as text.
    /// </summary>
    private readonly record struct Step(int Index, CompiledTrait Trait, bool ChecksHeader, int[] Conditions, int Slot, bool ReadsJson);

    /// <summary>Where the values traits read from one record type are, after its relations.</summary>
    private sealed class TypeReads(PayloadExtractor extractor, int length, int[] property, int[] applies, (int Slot, ComparisonOperator Operator, string? Value)[] conditions,
        int[][] traitConditions, int[][] triggerConditions, IReadOnlyList<CompiledTrait> traits)
    {
        private readonly int[] _json = [.. property.Where(p => p >= 0)];

        /// <summary>Gets, for each trait whose filter may match an event of the type, what evaluating it reads, in trait order.</summary>
        public Step[] Steps { get; } = [.. applies.Select(i => new Step(i, traits[i], !traits[i].Filter.MatchesAnySourceAndName, traitConditions[i], property[i], traits[i].ReadsJson))];

        public PayloadExtractor Extractor { get; } = extractor;

        /// <summary>Gets the distinct property conditions of the type's filters: the slot read, the operator, the value.</summary>
        public (int Slot, ComparisonOperator Operator, string? Value)[] Conditions { get; } = conditions;

        /// <summary>Gets, per event trigger, its filter's conditions (indexes into <see cref="Conditions"/>).</summary>
        public int[][] TriggerConditions { get; } = triggerConditions;

        /// <summary>
        /// Whether the record was read by this extractor and every value a trait keeps as text has its text in the
        /// payload (an object, an array or an escaped string is read from a document instead).
        /// </summary>
        public bool CanRead(SelectedValue[] values, RecordType type)
        {
            if (values.Length != length)
            {
                return false;
            }

            foreach (var slot in _json)
            {
                if (values[slot].Kind is JsonValueKind.Object or JsonValueKind.Array || values[slot].Error is not null || (values[slot].Kind == JsonValueKind.String && values[slot].Text is not null))
                {
                    return false;
                }
            }

            return true;
        }
    }
}

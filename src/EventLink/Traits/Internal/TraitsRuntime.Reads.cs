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
            for (var i = 0; i < _traits.Count; i++)
            {
                var trait = _traits[i];
                var applies = trait.Filter.MatchesType(type.Name);
                where[i] = applies ? Where(trait.Filter) : [];
                property[i] = applies && trait.ReadsProperty ? Slot(trait.Property!) : -1;
            }

            var triggerWhere = _triggers.Select(t => t.Filter.MatchesType(type.Name) ? Where(t.Filter) : []).ToArray();
            if (paths.Count > 0)
            {
                _reads[type] = new TypeReads(PayloadExtractor.Create(type, paths), type.Relations.Count + paths.Count, property, where, triggerWhere);
            }
        }
    }

    /// <summary>As the document path of <c>Evaluate</c>, from the values the extractor selected.</summary>
    private EventFacts? EvaluateSelected(long eventId, string recordType, string source, string recordId, string eventName, DateTimeOffset occurredAt,
        SelectedValue[] values, ReadOnlySpan<byte> payload, TypeReads reads, ComputedEntry? target, DateTimeOffset now)
    {
        var inputs = target is null ? new TraitInput?[_traits.Count] : null;
        List<string>? triggers = null;

        // Traits reading the same property (a sum, a minimum, an average of one amount) parse its number once.
        Span<decimal> numbers = stackalloc decimal[values.Length];
        Span<byte> parsed = stackalloc byte[values.Length]; // 0: not yet, 1: a number, 2: not a number.
        parsed.Clear();
        for (var i = 0; i < _traits.Count; i++)
        {
            var trait = _traits[i];
            if (!trait.Filter.MatchesHeader(recordType, source, eventName) || !Matches(trait.Filter, reads.Where[i], values, payload))
            {
                continue;
            }

            decimal? number = null;
            string? json = null;
            if (reads.Property[i] is var slot and >= 0)
            {
                ref readonly var value = ref values[slot];
                if (value.Kind == JsonValueKind.Undefined)
                {
                    continue;
                }

                if (trait.ReadsJson)
                {
                    json = ValueComparison.RawText(value, payload);
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
            else
            {
                target.States[i].Add(trait, input, now);
                target.Changed[i] = true;
            }
        }

        for (var t = 0; t < _triggers.Count; t++)
        {
            var filter = _triggers[t].Filter;
            if (filter.MatchesHeader(recordType, source, eventName) && Matches(filter, reads.TriggerWhere[t], values, payload))
            {
                (triggers ??= []).Add(_triggers[t].Name);
            }
        }

        return target is not null && triggers is null ? null : new EventFacts(eventId, inputs ?? new TraitInput?[_traits.Count], triggers is null ? [] : [.. triggers]);
    }

    private static bool Matches(CompiledFilter filter, int[] slots, SelectedValue[] values, ReadOnlySpan<byte> payload)
    {
        var where = filter.Where;
        for (var k = 0; k < where.Length; k++)
        {
            if (!ValueComparison.Holds(values[slots[k]], payload, where[k].Operator, where[k].Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Where the values traits read from one record type are, after its relations.</summary>
    private sealed class TypeReads(PayloadExtractor extractor, int length, int[] property, int[][] where, int[][] triggerWhere)
    {
        private readonly int[] _json = [.. property.Where(p => p >= 0)];

        public PayloadExtractor Extractor { get; } = extractor;

        public int[] Property { get; } = property;

        public int[][] Where { get; } = where;

        public int[][] TriggerWhere { get; } = triggerWhere;

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

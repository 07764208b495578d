using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EventLink.Traits.Internal;

/// <summary>What one linked event contributes: per compiled trait its input (or null), and the event triggers it matches.</summary>
internal sealed record EventFacts(long EventId, TraitInput?[] Inputs, string[] Triggers);

/// <summary>The traits options compiled against the schema: what the engine evaluates on every linked event.</summary>
internal sealed partial class TraitsRuntime
{
    private const int MaxDepth = 32;
    private readonly List<CompiledTrait> _traits = [];
    private readonly List<CompiledAudience> _audiences = [];
    private readonly List<CompiledEventTrigger> _triggers = [];
    private readonly List<string> _errors = [];

    private TraitsRuntime(TraitsOptions options) => Options = options;

    public static TraitsRuntime Empty { get; } = new(new TraitsOptions());

    public TraitsOptions Options { get; }

    /// <summary>Gets every trait: the defined ones in order, then the internal ones behind audience conditions.</summary>
    public IReadOnlyList<CompiledTrait> Traits => _traits;

    public IReadOnlyList<CompiledAudience> Audiences => _audiences;

    public IReadOnlyList<CompiledEventTrigger> Triggers => _triggers;

    public bool IsEmpty => _traits.Count == 0 && _audiences.Count == 0 && _triggers.Count == 0;

    public bool UsesAttributes { get; private set; }

    /// <summary>Gets whether an audience evaluated every time reads merged attributes (then a profile's are read for every evaluation).</summary>
    public bool ReadsAttributesEveryTime => UsesAttributes && _audiences.Exists(a => a.AlwaysEvaluated);

    /// <summary>Gets the windowed traits (by index): the ones whose entries expire.</summary>
    public int[] Windowed => field ??= [.. Enumerable.Range(0, _traits.Count).Where(i => _traits[i].Window is not null)];

    /// <summary>Gets a digest of every trait's name and definition, in order: states packed for other definitions are not read (<see cref="TraitState.Unpack"/>).</summary>
    public ulong StateDigest => field != 0 ? field : field = Digest(_traits);

    private static ulong Digest(List<CompiledTrait> traits)
    {
        var text = string.Join('\n', traits.Select(t => t.Name + '\u0001' + t.Fingerprint));
        return Math.Max(1, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }

    /// <exception cref="ArgumentException">The options are invalid for the schema.</exception>
    public static TraitsRuntime Create(EventLinkSchema schema, TraitsOptions? options)
    {
        if (options is null)
        {
            return Empty;
        }

        var runtime = new TraitsRuntime(options);
        runtime.Compile(schema);
        if (runtime._errors.Count == 0)
        {
            runtime.PrepareReads(schema);
        }

        return runtime._errors.Count == 0 ? runtime : throw new ArgumentException(string.Join(Environment.NewLine, runtime._errors), nameof(options));
    }

    public static IReadOnlyList<string> Validate(EventLinkSchema schema, TraitsOptions options)
    {
        var runtime = new TraitsRuntime(options);
        runtime.Compile(schema);
        return runtime._errors;
    }

    /// <summary>Evaluates one event against every trait and trigger; the payload is parsed only when a matching definition reads it.</summary>
    public EventFacts Evaluate(long eventId, string recordType, string source, string recordId, string eventName, DateTimeOffset occurredAt, Func<JsonDocument> open) =>
        Evaluate(eventId, recordType, source, recordId, eventName, occurredAt, null, open, null, default)!;

    /// <summary>
    /// Evaluates an event as it is linked at ingest; with <paramref name="target"/>, its inputs are added to that decoded
    /// state in place (the traits it changes marked) and the facts are returned only when the event matches a trigger.
    /// </summary>
    public EventFacts? Evaluate(ParsedRecord record, long eventId, ComputedEntry? target, DateTimeOffset now) =>
        record.RelationValues is { } values && _reads.TryGetValue(record.Type, out var reads) && reads.CanRead(values, record.Type)
            ? EvaluateSelected(eventId, record.Type.Name, record.Source, record.RecordId, record.EventName, record.OccurredAt, values, record.Utf8Payload.Span, reads, target, now)
            : Evaluate(eventId, record.Type.Name, record.Source, record.RecordId, record.EventName, record.OccurredAt, record, null, target, now);

    /// <summary>
    /// The payload is the record's (its document, or its bytes parsed here) or else what <paramref name="open"/> parses;
    /// a record whose extractor read every value is evaluated from them instead (<see cref="EvaluateSelected"/>).
    /// </summary>
    private EventFacts? Evaluate(long eventId, string recordType, string source, string recordId, string eventName, DateTimeOffset occurredAt, ParsedRecord? record,
        Func<JsonDocument>? open, ComputedEntry? target, DateTimeOffset now)
    {
        var inputs = target is null ? new TraitInput?[_traits.Count] : null;
        List<string>? triggers = null;
        JsonDocument? document = null;
        JsonDocument Open() => document ??= record is null ? open!() : record.Document ?? JsonDocument.Parse(record.Utf8Payload);
        try
        {
            for (var i = 0; i < _traits.Count; i++)
            {
                var trait = _traits[i];
                if (!trait.Filter.MatchesHeader(recordType, source, eventName))
                {
                    continue;
                }

                JsonElement? root = null;
                if (trait.NeedsPayload)
                {
                    root = Open().RootElement;
                    if (!trait.Filter.MatchesPayload(root.Value))
                    {
                        continue;
                    }
                }

                var input = trait.Read(source, recordId, occurredAt, root);
                if (target is null)
                {
                    inputs![i] = input;
                }
                else if (input is { } value && target.States[i].Add(trait, value, now))
                {
                    target.Changed[i] = true;
                }
            }

            foreach (var trigger in _triggers)
            {
                if (trigger.Filter.MatchesHeader(recordType, source, eventName)
                    && (!trigger.Filter.NeedsPayload || trigger.Filter.MatchesPayload(Open().RootElement)))
                {
                    (triggers ??= []).Add(trigger.Name);
                }
            }
        }
        catch (JsonException)
        {
            // Stored payloads are valid JSON; a payload that is not contributes nothing rather than failing the batch.
        }
        finally
        {
            // The record's own document is the record's to dispose.
            if (document is not null && document != record?.Document)
            {
                document.Dispose();
            }
        }

        return target is not null && triggers is null ? null : new EventFacts(eventId, inputs ?? new TraitInput?[_traits.Count], triggers is null ? [] : [.. triggers]);
    }

    private void Compile(EventLinkSchema schema)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (options, i) in Options.Traits.Select((t, i) => (t, i)))
        {
            var at = $"Traits[{i}] '{options?.Name}'";
            if (options is null || string.IsNullOrWhiteSpace(options.Name))
            {
                _errors.Add($"Traits[{i}]: a trait needs a name.");
                continue;
            }

            if (options.Name.StartsWith('~') || !names.Add(options.Name))
            {
                _errors.Add(options.Name.StartsWith('~') ? $"{at}: names starting with '~' are reserved." : $"{at}: another trait has this name.");
                continue;
            }

            FieldPath? property = null;
            var readsProperty = options.Kind is not (TraitKind.Count or TraitKind.FirstOccurredAt or TraitKind.LastOccurredAt);
            if (readsProperty && string.IsNullOrWhiteSpace(options.Property))
            {
                _errors.Add($"{at}: a {options.Kind} trait needs a Property to read.");
            }
            else if (readsProperty && !FieldPath.TryParse(options.Property, out property!, out var error))
            {
                _errors.Add($"{at}: Property '{options.Property}' is not a valid path: {error}.");
            }

            if (options.Window is { } window && window <= TimeSpan.Zero)
            {
                _errors.Add($"{at}: Window must be positive (was {window}).");
            }

            if (CompileFilter(schema, options.Filter, at) is { } filter)
            {
                _traits.Add(new CompiledTrait(options.Name, options.Kind, readsProperty ? property : null, filter, options.Window));
            }
        }

        var audiences = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (options, i) in Options.Audiences.Select((a, i) => (a, i)))
        {
            var at = $"Audiences[{i}] '{options?.Name}'";
            if (options is null || string.IsNullOrWhiteSpace(options.Name))
            {
                _errors.Add($"Audiences[{i}]: an audience needs a name.");
            }
            else if (!audiences.Add(options.Name))
            {
                _errors.Add($"{at}: another audience has this name.");
            }
            else if (CompileCondition(schema, options.Condition, at + " Condition", 0) is { } condition)
            {
                _audiences.Add(new CompiledAudience(options.Name, condition));
            }
        }

        var triggers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (options, i) in Options.EventTriggers.Select((t, i) => (t, i)))
        {
            var at = $"EventTriggers[{i}] '{options?.Name}'";
            if (options is null || string.IsNullOrWhiteSpace(options.Name))
            {
                _errors.Add($"EventTriggers[{i}]: an event trigger needs a name.");
            }
            else if (!triggers.Add(options.Name))
            {
                _errors.Add($"{at}: another event trigger has this name.");
            }
            else if (CompileFilter(schema, options.Filter, at) is { } filter)
            {
                _triggers.Add(new CompiledEventTrigger(options.Name, filter));
            }
        }

        if (Options.RefreshInterval <= TimeSpan.Zero)
        {
            _errors.Add($"TraitsOptions.RefreshInterval must be positive (was {Options.RefreshInterval}).");
        }

        if (Options.RefreshBatchSize is < 1 or > 100_000)
        {
            _errors.Add($"TraitsOptions.RefreshBatchSize must be between 1 and 100,000 (was {Options.RefreshBatchSize}).");
        }

    }

    private CompiledFilter? CompileFilter(EventLinkSchema schema, EventFilterOptions? options, string at)
    {
        options ??= new EventFilterOptions();
        var ok = true;
        if (options.RecordType is { } type)
        {
            if (!schema.TryGetRecordType(type, out var recordType))
            {
                _errors.Add($"{at}: Filter.RecordType '{type}' is not in the schema (known: {string.Join(", ", schema.RecordTypes.Keys.Order(StringComparer.Ordinal))}).");
                ok = false;
            }
            else if (recordType.Kind != RecordKind.AppendOnly)
            {
                _errors.Add($"{at}: Filter.RecordType '{type}' is a merged record type; traits and audiences read events (append-only record types).");
                ok = false;
            }
        }

        var where = new List<(FieldPath, ComparisonOperator, string?)>();
        foreach (var (condition, i) in options.Where.Select((w, i) => (w, i)))
        {
            if (condition is null || !FieldPath.TryParse(condition.Property, out var path, out var error))
            {
                _errors.Add($"{at}: Filter.Where[{i}].Property '{condition?.Property}' is not a valid path.");
                ok = false;
                continue;
            }

            if (condition.Operator != ComparisonOperator.Exists && condition.Value is null)
            {
                _errors.Add($"{at}: Filter.Where[{i}] ({condition.Property} {condition.Operator}) needs a Value.");
                ok = false;
            }

            where.Add((path, condition.Operator, condition.Value));
        }

        return ok ? new CompiledFilter(options, [.. where]) : null;
    }

    private AudienceNode? CompileCondition(EventLinkSchema schema, AudienceConditionOptions? options, string at, int depth)
    {
        if (options is null)
        {
            _errors.Add($"{at}: the condition is missing.");
            return null;
        }

        if (depth > MaxDepth)
        {
            _errors.Add($"{at}: conditions nest deeper than {MaxDepth} levels.");
            return null;
        }

        var kinds = (options.All.Count > 0 ? 1 : 0) + (options.Any.Count > 0 ? 1 : 0) + (options.Not is null ? 0 : 1)
            + (options.Trait is null ? 0 : 1) + (options.Attribute is null ? 0 : 1) + (options.Did is null ? 0 : 1) + (options.DidNot is null ? 0 : 1);
        if (kinds != 1)
        {
            _errors.Add($"{at}: set exactly one of All, Any, Not, Trait, Attribute, Did or DidNot (found {kinds}).");
            return null;
        }

        if (options.All.Count > 0 || options.Any.Count > 0)
        {
            var list = options.All.Count > 0 ? options.All : options.Any;
            var children = list.Select((c, i) => CompileCondition(schema, c, $"{at}.{(options.All.Count > 0 ? "All" : "Any")}[{i}]", depth + 1)).ToList();
            return children.Contains(null) ? null : options.All.Count > 0 ? new AllNode([.. children!]) : new AnyNode([.. children!]);
        }

        if (options.Not is not null)
        {
            return CompileCondition(schema, options.Not, at + ".Not", depth + 1) is { } child ? new NotNode(child) : null;
        }

        if (options.Trait is { } trait)
        {
            if (!Options.Traits.Any(t => t?.Name == trait))
            {
                _errors.Add($"{at}: Trait '{trait}' is not a defined trait.");
                return null;
            }

            return Comparison(options, at) ? new CompareNode(_traits.FindIndex(t => t.Name == trait), attribute: null, options.Operator, options.Value) : null;
        }

        if (options.Attribute is { } attribute)
        {
            UsesAttributes = true;
            return Comparison(options, at) ? new CompareNode(-1, attribute, options.Operator, options.Value) : null;
        }

        if (options.Within is { } within && within <= TimeSpan.Zero)
        {
            _errors.Add($"{at}: Within must be positive (was {within}).");
            return null;
        }

        if (options.NotFollowedBy is not null)
        {
            if (options.Did is null || options.Within is null)
            {
                _errors.Add($"{at}: NotFollowedBy needs Did and Within.");
                return null;
            }

            var first = Internal(schema, TraitKind.LastOccurredAt, options.Did, null, at + ".Did");
            var then = Internal(schema, TraitKind.LastOccurredAt, options.NotFollowedBy, null, at + ".NotFollowedBy");
            return first is null || then is null ? null : new NotFollowedNode(first.Value, then.Value, options.Within.Value);
        }

        var count = Internal(schema, TraitKind.Count, options.Did ?? options.DidNot!, options.Within, at);
        return count is null ? null : new DidNode(count.Value, negate: options.DidNot is not null);
    }

    private bool Comparison(AudienceConditionOptions options, string at)
    {
        if (options.Operator != ComparisonOperator.Exists && options.Value is null)
        {
            _errors.Add($"{at}: {options.Trait ?? options.Attribute} {options.Operator} needs a Value.");
            return false;
        }

        return true;
    }

    /// <summary>An internal trait behind an event-history condition, shared by conditions with the same definition.</summary>
    private int? Internal(EventLinkSchema schema, TraitKind kind, EventFilterOptions filterOptions, TimeSpan? window, string at)
    {
        if (CompileFilter(schema, filterOptions, at) is not { } filter)
        {
            return null;
        }

        var candidate = new CompiledTrait("~", kind, null, filter, window);
        var name = "~" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(candidate.Fingerprint)))[..16];
        var index = _traits.FindIndex(t => t.Name == name);
        if (index < 0)
        {
            _traits.Add(new CompiledTrait(name, kind, null, filter, window));
            index = _traits.Count - 1;
        }

        return index;
    }
}

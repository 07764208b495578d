using System.Globalization;
using System.Text.Json;

namespace EventLink.Traits.Internal;

/// <summary>An event filter compiled against the schema.</summary>
internal sealed class CompiledFilter
{
    private readonly (FieldPath Path, ComparisonOperator Operator, string? Value)[] _where;

    public CompiledFilter(EventFilterOptions options, (FieldPath, ComparisonOperator, string?)[] where)
    {
        RecordType = options.RecordType;
        Source = options.Source;
        EventName = options.EventName;
        _where = where;
        Text = Describe(options);
    }

    public string? RecordType { get; }

    public string? Source { get; }

    public string? EventName { get; }

    public bool NeedsPayload => _where.Length > 0;

    /// <summary>Gets whether any source and event name match (only the record type and the payload are read).</summary>
    public bool MatchesAnySourceAndName => Source is null && EventName is null;

    /// <summary>Gets the property conditions, in order.</summary>
    public ReadOnlySpan<(FieldPath Path, ComparisonOperator Operator, string? Value)> Where => _where;

    /// <summary>Whether an event of <paramref name="recordType"/> may match (its source and name aside).</summary>
    public bool MatchesType(string recordType) => RecordType is null || RecordType == recordType;

    public string Text { get; }

    /// <summary>Whether the event's type, source and name match (no payload needed).</summary>
    public bool MatchesHeader(string recordType, string source, string eventName) =>
        (RecordType is null || RecordType == recordType) && (Source is null || Source == source) && (EventName is null || EventName == eventName);

    public bool MatchesPayload(JsonElement root)
    {
        foreach (var (path, comparison, value) in _where)
        {
            JsonElement? selected = path.TrySelect(root, out var element) ? element : null;
            if (!ValueComparison.Holds(selected, comparison, value))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(EventFilterOptions options)
    {
        var text = options.RecordType ?? "any event";
        if (options.Source is not null)
        {
            text += $" from {options.Source}";
        }

        if (options.EventName is not null)
        {
            text += $" named {options.EventName}";
        }

        if (options.Where.Count > 0)
        {
            text += " where " + string.Join(" and ", options.Where.Select(w => $"{w.Property} {Symbol(w.Operator)}{(w.Operator == ComparisonOperator.Exists ? "" : " " + w.Value)}"));
        }

        return text;
    }

    public static string Symbol(ComparisonOperator comparison) => comparison switch
    {
        ComparisonOperator.Equals => "=",
        ComparisonOperator.NotEquals => "!=",
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterThanOrEqual => ">=",
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.LessThanOrEqual => "<=",
        _ => "exists",
    };
}

/// <summary>A trait compiled against the schema; internal traits (names starting with <c>~</c>) back audience conditions.</summary>
internal sealed class CompiledTrait(string name, TraitKind kind, FieldPath? property, CompiledFilter filter, TimeSpan? window)
{
    public string Name { get; } = name;

    public TraitKind Kind { get; } = kind;

    public FieldPath? Property { get; } = property;

    public CompiledFilter Filter { get; } = filter;

    public TimeSpan? Window { get; } = window;

    public bool Hidden => Name.StartsWith('~');

    /// <summary>Gets the readable definition, such as <c>sum(amount) of charge where status = succeeded in last 30d</c>.</summary>
    public string Definition { get; } = Describe(kind, property, filter, window);

    /// <summary>Gets what the stored state was computed for: a changed definition invalidates it (the profile is recomputed).</summary>
    public string Fingerprint => Definition;

    /// <summary>Gets a short digest of <see cref="Fingerprint"/>, what the compact encoding of a state stores.</summary>
    public string Key { get; } = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Describe(kind, property, filter, window))))[..16];

    /// <summary>Gets whether the value is a number (compared as one by audience conditions).</summary>
    public bool IsNumeric => Kind is not (TraitKind.FirstOccurredAt or TraitKind.LastOccurredAt or TraitKind.LastValue);

    /// <summary>What an event contributes, or <see langword="null"/> when it does not match or lacks the value the trait reads.</summary>
    public TraitInput? Read(string source, string recordId, DateTimeOffset occurredAt, JsonElement? root)
    {
        decimal? number = null;
        string? json = null;
        if (Property is not null && Kind is not (TraitKind.Count or TraitKind.FirstOccurredAt or TraitKind.LastOccurredAt))
        {
            if (root is not { } payload || !Property.TrySelect(payload, out var value))
            {
                return null;
            }

            if (Kind is TraitKind.LastValue or TraitKind.DistinctCount)
            {
                json = value.GetRawText();
            }
            else if ((number = ValueComparison.ReadNumber(value)) is null)
            {
                return null;
            }
        }

        return new TraitInput(occurredAt, source, recordId, number, json);
    }

    public bool NeedsPayload => Filter.NeedsPayload || ReadsProperty;

    /// <summary>Gets whether the trait reads a value from the payload (its kind reads one and it names a property).</summary>
    public bool ReadsProperty => Property is not null && Kind is not (TraitKind.Count or TraitKind.FirstOccurredAt or TraitKind.LastOccurredAt);

    /// <summary>Gets whether the value read is kept as JSON text (else as a number).</summary>
    public bool ReadsJson => Kind is TraitKind.LastValue or TraitKind.DistinctCount;

    private static string Describe(TraitKind kind, FieldPath? property, CompiledFilter filter, TimeSpan? window)
    {
        var head = kind switch
        {
            TraitKind.Count => "count",
            TraitKind.Sum => $"sum({property})",
            TraitKind.Min => $"min({property})",
            TraitKind.Max => $"max({property})",
            TraitKind.Average => $"avg({property})",
            TraitKind.FirstOccurredAt => "min(occurred_at)",
            TraitKind.LastOccurredAt => "max(occurred_at)",
            TraitKind.LastValue => $"last({property})",
            _ => $"distinct({property})",
        };
        var text = $"{head} of {filter.Text}";
        return window is { } w ? $"{text} in last {Span(w)}" : text;
    }

    private static string Span(TimeSpan span) =>
        span.TotalDays >= 1 && span.Ticks % TimeSpan.TicksPerDay == 0 ? $"{span.TotalDays.ToString(CultureInfo.InvariantCulture)}d"
        : span.Ticks % TimeSpan.TicksPerHour == 0 ? $"{span.TotalHours.ToString(CultureInfo.InvariantCulture)}h"
        : span.ToString("c", CultureInfo.InvariantCulture);
}

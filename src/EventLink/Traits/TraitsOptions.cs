using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace EventLink;

/// <summary>
/// Computed traits, audiences and triggers: what a profile's event history says, kept current as events are linked
/// and as time passes. Bind from configuration (<c>BindTraits</c>) or set in C# (<c>AddTraits</c>); validated at start-up.
/// </summary>
public sealed class TraitsOptions
{
    /// <summary>Gets the computed traits, each kept on every profile.</summary>
    /// <value>The default value is an empty list.</value>
    public List<ComputedTraitOptions> Traits { get; } = [];

    /// <summary>Gets the audiences: named conditions whose members are kept current.</summary>
    /// <value>The default value is an empty list.</value>
    public List<AudienceOptions> Audiences { get; } = [];

    /// <summary>Gets the event triggers: a notification each time an event matching a filter is linked to a profile.</summary>
    /// <value>The default value is an empty list.</value>
    public List<EventTriggerOptions> EventTriggers { get; } = [];

    /// <summary>Gets or sets how often the background refresh service (<c>AddTraitsRefreshService</c>) evaluates profiles whose windows or waits fell due.</summary>
    /// <value>The default value is one minute.</value>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets the tenants the background refresh service evaluates; empty means the default tenant.</summary>
    /// <value>The default value is an empty list.</value>
    public List<string> RefreshTenants { get; } = [];

    /// <summary>Gets or sets how many due profiles one refresh session evaluates before committing.</summary>
    /// <value>The default value is 500.</value>
    [Range(1, 100_000)]
    public int RefreshBatchSize { get; set; } = 500;
}

/// <summary>What a computed trait aggregates.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TraitKind>))]
public enum TraitKind
{
    /// <summary>How many matching events.</summary>
    Count,

    /// <summary>The sum of a numeric property.</summary>
    Sum,

    /// <summary>The smallest value of a numeric property.</summary>
    Min,

    /// <summary>The largest value of a numeric property.</summary>
    Max,

    /// <summary>The average of a numeric property.</summary>
    Average,

    /// <summary>When the first matching event occurred.</summary>
    FirstOccurredAt,

    /// <summary>When the last matching event occurred.</summary>
    LastOccurredAt,

    /// <summary>The value of a property on the last matching event (by occurred-at, then source, then record id).</summary>
    LastValue,

    /// <summary>How many distinct values a property takes.</summary>
    DistinctCount,
}

/// <summary>A computed trait: an aggregate of the events linked to a profile.</summary>
public sealed class ComputedTraitOptions
{
    /// <summary>Gets or sets the trait's name, unique among traits, such as <c>lifetime_value</c>.</summary>
    /// <value>The default value is empty (invalid).</value>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets what the trait aggregates.</summary>
    /// <value>The default value is <see cref="TraitKind.Count"/>.</value>
    public TraitKind Kind { get; set; } = TraitKind.Count;

    /// <summary>Gets or sets the payload property (a dotted path) that Sum, Min, Max, Average, LastValue and DistinctCount read; events without it are left out.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Property { get; set; }

    /// <summary>Gets or sets which events count.</summary>
    /// <value>The default value is a filter that matches every event.</value>
    public EventFilterOptions Filter { get; set; } = new();

    /// <summary>Gets or sets the trailing window (events that occurred within it before now), or <see langword="null"/> for all time.</summary>
    /// <value>The default value is <see langword="null"/> (all time).</value>
    public TimeSpan? Window { get; set; }

    /// <summary>Gets or sets a description shown with the trait's definition.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Description { get; set; }
}

/// <summary>Which events a trait, an audience condition or a trigger considers; every criterion set must hold.</summary>
public sealed class EventFilterOptions
{
    /// <summary>Gets or sets the record type, such as <c>charge</c>.</summary>
    /// <value>The default value is <see langword="null"/> (any).</value>
    public string? RecordType { get; set; }

    /// <summary>Gets or sets the source, such as <c>stripe</c>.</summary>
    /// <value>The default value is <see langword="null"/> (any).</value>
    public string? Source { get; set; }

    /// <summary>Gets or sets the event name, such as <c>checklist_started</c>.</summary>
    /// <value>The default value is <see langword="null"/> (any).</value>
    public string? EventName { get; set; }

    /// <summary>Gets the conditions on payload properties.</summary>
    /// <value>The default value is an empty list.</value>
    public List<PropertyConditionOptions> Where { get; } = [];
}

/// <summary>How a value is compared.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ComparisonOperator>))]
public enum ComparisonOperator
{
    /// <summary>Equal (numbers compared as numbers, else text).</summary>
    Equals,

    /// <summary>Not equal, or missing.</summary>
    NotEquals,

    /// <summary>Greater than (numbers, or ISO-8601 times and text ordinally).</summary>
    GreaterThan,

    /// <summary>Greater than or equal.</summary>
    GreaterThanOrEqual,

    /// <summary>Less than.</summary>
    LessThan,

    /// <summary>Less than or equal.</summary>
    LessThanOrEqual,

    /// <summary>Present and not null (the value is ignored).</summary>
    Exists,
}

/// <summary>A condition on a payload property (or, in audiences, on a trait or an attribute).</summary>
public sealed class PropertyConditionOptions
{
    /// <summary>Gets or sets the property, a dotted path such as <c>status</c> or <c>plan.tier</c>.</summary>
    /// <value>The default value is empty (invalid).</value>
    public string Property { get; set; } = "";

    /// <summary>Gets or sets the comparison.</summary>
    /// <value>The default value is <see cref="ComparisonOperator.Equals"/>.</value>
    public ComparisonOperator Operator { get; set; } = ComparisonOperator.Equals;

    /// <summary>Gets or sets the value compared with, as text (<c>succeeded</c>, <c>100</c>, <c>true</c>).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Value { get; set; }
}

namespace EventLink;

/// <summary>An audience: a named condition over a profile's attributes, computed traits and event history.</summary>
public sealed class AudienceOptions
{
    /// <summary>Gets or sets the audience's name, unique among audiences, such as <c>stalled_onboarding</c>.</summary>
    /// <value>The default value is empty (invalid).</value>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the condition a member satisfies.</summary>
    /// <value>The default value is an empty condition (invalid).</value>
    public AudienceConditionOptions Condition { get; set; } = new();

    /// <summary>Gets or sets a description shown with the audience.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Description { get; set; }
}

/// <summary>
/// One node of an audience's condition: exactly one of <see cref="All"/>, <see cref="Any"/>, <see cref="Not"/>,
/// <see cref="Trait"/>, <see cref="Attribute"/>, <see cref="Did"/> or <see cref="DidNot"/> is set. The static
/// methods build each kind in C#; configuration binds the same shape.
/// </summary>
public sealed class AudienceConditionOptions
{
    /// <summary>Gets the conditions that must all hold.</summary>
    /// <value>The default value is an empty list.</value>
    public List<AudienceConditionOptions> All { get; } = [];

    /// <summary>Gets the conditions of which at least one must hold.</summary>
    /// <value>The default value is an empty list.</value>
    public List<AudienceConditionOptions> Any { get; } = [];

    /// <summary>Gets or sets a condition that must not hold.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public AudienceConditionOptions? Not { get; set; }

    /// <summary>Gets or sets a computed trait compared by <see cref="Operator"/> with <see cref="Value"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Trait { get; set; }

    /// <summary>Gets or sets a merged attribute compared by <see cref="Operator"/> with <see cref="Value"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Attribute { get; set; }

    /// <summary>Gets or sets the comparison of a trait or an attribute.</summary>
    /// <value>The default value is <see cref="ComparisonOperator.Equals"/>.</value>
    public ComparisonOperator Operator { get; set; } = ComparisonOperator.Equals;

    /// <summary>Gets or sets the value a trait or an attribute is compared with, as text.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Value { get; set; }

    /// <summary>
    /// Gets or sets events the profile did: within the trailing <see cref="Within"/> when set; or, with
    /// <see cref="NotFollowedBy"/>, the most recent of them is at least <see cref="Within"/> old and not followed.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public EventFilterOptions? Did { get; set; }

    /// <summary>Gets or sets events the profile did not do (within the trailing <see cref="Within"/> when set).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public EventFilterOptions? DidNot { get; set; }

    /// <summary>Gets or sets, with <see cref="Did"/>, the events that must not have followed its most recent event.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public EventFilterOptions? NotFollowedBy { get; set; }

    /// <summary>Gets or sets the time span of <see cref="Did"/> and <see cref="DidNot"/> (required with <see cref="NotFollowedBy"/>).</summary>
    /// <value>The default value is <see langword="null"/> (all time).</value>
    public TimeSpan? Within { get; set; }

    /// <summary>All of the conditions.</summary>
    /// <param name="conditions">The conditions.</param>
    /// <returns>The condition.</returns>
    public static AudienceConditionOptions AllOf(params AudienceConditionOptions[] conditions) => Fill(new AudienceConditionOptions(), conditions, all: true);

    /// <summary>At least one of the conditions.</summary>
    /// <param name="conditions">The conditions.</param>
    /// <returns>The condition.</returns>
    public static AudienceConditionOptions AnyOf(params AudienceConditionOptions[] conditions) => Fill(new AudienceConditionOptions(), conditions, all: false);

    /// <summary>The negation of a condition.</summary>
    /// <param name="condition">The condition.</param>
    /// <returns>The condition.</returns>
    public static AudienceConditionOptions NotOf(AudienceConditionOptions condition) => new() { Not = condition };

    /// <summary>A comparison of a computed trait, such as <c>lifetime_value &gt; 100</c>.</summary>
    /// <param name="trait">The trait's name.</param>
    /// <param name="comparison">The comparison.</param>
    /// <param name="value">The value, as text.</param>
    /// <returns>The condition.</returns>
    public static AudienceConditionOptions TraitIs(string trait, ComparisonOperator comparison, string? value) => new() { Trait = trait, Operator = comparison, Value = value };

    /// <summary>A comparison of a merged attribute, such as <c>plan = pro</c>.</summary>
    /// <param name="attribute">The attribute's name.</param>
    /// <param name="comparison">The comparison.</param>
    /// <param name="value">The value, as text.</param>
    /// <returns>The condition.</returns>
    public static AudienceConditionOptions AttributeIs(string attribute, ComparisonOperator comparison, string? value) => new() { Attribute = attribute, Operator = comparison, Value = value };

    /// <summary>The profile did a matching event (within the trailing span, when given).</summary>
    /// <param name="filter">The events.</param>
    /// <param name="within">The trailing span, or <see langword="null"/> for all time.</param>
    /// <returns>The condition.</returns>
    public static AudienceConditionOptions DidEvent(EventFilterOptions filter, TimeSpan? within = null) => new() { Did = filter, Within = within };

    /// <summary>The profile did no matching event (within the trailing span, when given).</summary>
    /// <param name="filter">The events.</param>
    /// <param name="within">The trailing span, or <see langword="null"/> for all time.</param>
    /// <returns>The condition.</returns>
    public static AudienceConditionOptions DidNotEvent(EventFilterOptions filter, TimeSpan? within = null) => new() { DidNot = filter, Within = within };

    /// <summary>The profile did <paramref name="first"/> and did not do <paramref name="then"/> within <paramref name="within"/> after its most recent <paramref name="first"/>.</summary>
    /// <param name="first">The event that starts the wait, such as <c>checklist_started</c>.</param>
    /// <param name="then">The event that ends it, such as <c>checklist_completed</c>.</param>
    /// <param name="within">How long to wait.</param>
    /// <returns>The condition.</returns>
    public static AudienceConditionOptions DidNotFollowWithin(EventFilterOptions first, EventFilterOptions then, TimeSpan within) => new() { Did = first, NotFollowedBy = then, Within = within };

    private static AudienceConditionOptions Fill(AudienceConditionOptions target, AudienceConditionOptions[] conditions, bool all)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        foreach (var condition in conditions)
        {
            (all ? target.All : target.Any).Add(condition);
        }

        return target;
    }
}

/// <summary>An "event matched" trigger: a notification each time a matching event is linked to a profile (once per event).</summary>
public sealed class EventTriggerOptions
{
    /// <summary>Gets or sets the trigger's name, unique among event triggers.</summary>
    /// <value>The default value is empty (invalid).</value>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets which events fire it.</summary>
    /// <value>The default value is a filter that matches every event.</value>
    public EventFilterOptions Filter { get; set; } = new();
}

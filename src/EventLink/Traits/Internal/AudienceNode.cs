using System.Text.Json;

namespace EventLink.Traits.Internal;

/// <summary>
/// What an audience condition reads: the profile's decoded trait states (internal ones included), its attributes and
/// the time. Numeric traits are compared as numbers straight from their state; others through their JSON value.
/// One context serves the profiles of a unit of work one after the other (<see cref="Reset"/>).
/// </summary>
internal sealed class AudienceContext(IReadOnlyList<CompiledTrait> traits)
{
    private TraitState[] _states = [];

    public IReadOnlyDictionary<string, JsonElement>? Attributes { get; set; }

    public DateTimeOffset Now { get; private set; }

    /// <summary>Gets or sets the earliest time a condition would change by time alone.</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>Sets the profile evaluated next (null once done with one, so that the context keeps none alive).</summary>
    public void Reset(TraitState[]? states, DateTimeOffset now)
    {
        _states = states ?? [];
        Now = now;
        Attributes = null;
        DueAt = null;
    }

    public void Due(DateTimeOffset at)
    {
        if (DueAt is not { } due || at < due)
        {
            DueAt = at;
        }
    }

    /// <summary>Whether the trait compares as stated; <paramref name="expectedNumber"/> is <paramref name="expected"/> parsed once, for numeric traits.</summary>
    public bool Holds(int trait, ComparisonOperator comparison, string? expected, decimal? expectedNumber)
    {
        var compiled = traits[trait];
        if (compiled.IsNumeric)
        {
            return ValueComparison.Holds(_states[trait].NumberValue(compiled), comparison, expectedNumber);
        }

        return ValueComparison.Holds(JsonElement.Parse(_states[trait].ValueJson(compiled)), comparison, expected);
    }

    public decimal Number(int trait) => _states[trait].NumberValue(traits[trait]) ?? 0;

    public DateTimeOffset? LastAt(int trait) => _states[trait].LastAt;
}

/// <summary>A compiled audience condition.</summary>
internal abstract class AudienceNode
{
    /// <summary>Adds the traits (by index) the condition reads to <paramref name="inputs"/>.</summary>
    public abstract void CollectInputs(HashSet<int> inputs);

    /// <summary>Gets whether the condition may change by time alone or reads attributes (then it is evaluated every time).</summary>
    public virtual bool ReadsTimeOrAttributes => false;

    /// <summary>Evaluates the condition; every node is evaluated (no short-circuit) so due times are all collected.</summary>
    public abstract bool Evaluate(AudienceContext context);
}

internal sealed class AllNode(AudienceNode[] children) : AudienceNode
{
    public override bool ReadsTimeOrAttributes => children.Any(c => c.ReadsTimeOrAttributes);

    public override void CollectInputs(HashSet<int> inputs)
    {
        foreach (var child in children)
        {
            child.CollectInputs(inputs);
        }
    }

    public override bool Evaluate(AudienceContext context)
    {
        var result = true;
        foreach (var child in children)
        {
            result &= child.Evaluate(context);
        }

        return result;
    }
}

internal sealed class AnyNode(AudienceNode[] children) : AudienceNode
{
    public override bool ReadsTimeOrAttributes => children.Any(c => c.ReadsTimeOrAttributes);

    public override void CollectInputs(HashSet<int> inputs)
    {
        foreach (var child in children)
        {
            child.CollectInputs(inputs);
        }
    }

    public override bool Evaluate(AudienceContext context)
    {
        var result = false;
        foreach (var child in children)
        {
            result |= child.Evaluate(context);
        }

        return result;
    }
}

internal sealed class NotNode(AudienceNode child) : AudienceNode
{
    public override bool ReadsTimeOrAttributes => child.ReadsTimeOrAttributes;

    public override void CollectInputs(HashSet<int> inputs) => child.CollectInputs(inputs);

    public override bool Evaluate(AudienceContext context) => !child.Evaluate(context);
}

/// <summary>A comparison of a trait (by its index) or a merged attribute (by its name).</summary>
internal sealed class CompareNode(int trait, string? attribute, ComparisonOperator comparison, string? value) : AudienceNode
{
    private readonly decimal? _number = ValueComparison.TryNumber(value, out var number) ? number : null;

    public override bool ReadsTimeOrAttributes => attribute is not null;

    public override void CollectInputs(HashSet<int> inputs)
    {
        if (attribute is null)
        {
            inputs.Add(trait);
        }
    }

    public override bool Evaluate(AudienceContext context)
    {
        if (attribute is null)
        {
            return context.Holds(trait, comparison, value, _number);
        }

        JsonElement? actual = context.Attributes is { } attributes && attributes.TryGetValue(attribute, out var element) ? element : null;
        return ValueComparison.Holds(actual, comparison, value);
    }
}

/// <summary>Did (or did not) a matching event: an internal count trait, windowed or not, is above zero.</summary>
internal sealed class DidNode(int countTrait, bool negate) : AudienceNode
{
    public override void CollectInputs(HashSet<int> inputs) => inputs.Add(countTrait);

    public override bool Evaluate(AudienceContext context) => context.Number(countTrait) > 0 != negate;
}

/// <summary>The most recent first event is at least <c>within</c> old and no then-event occurred at or after it.</summary>
internal sealed class NotFollowedNode(int lastFirst, int lastThen, TimeSpan within) : AudienceNode
{
    public override bool ReadsTimeOrAttributes => true;

    public override void CollectInputs(HashSet<int> inputs)
    {
        inputs.Add(lastFirst);
        inputs.Add(lastThen);
    }

    public override bool Evaluate(AudienceContext context)
    {
        if (context.LastAt(lastFirst) is not { } first || (context.LastAt(lastThen) is { } then && then >= first))
        {
            return false;
        }

        if (context.Now >= first + within)
        {
            return true;
        }

        context.Due(first + within);
        return false;
    }
}

/// <summary>A compiled audience.</summary>
internal sealed class CompiledAudience
{
    public CompiledAudience(string name, AudienceNode condition)
    {
        Name = name;
        Condition = condition;
        var inputs = new HashSet<int>();
        condition.CollectInputs(inputs);
        Inputs = [.. inputs.Order()];
        AlwaysEvaluated = condition.ReadsTimeOrAttributes;
    }

    public string Name { get; }

    public AudienceNode Condition { get; }

    /// <summary>Gets the traits (by index) the condition reads: an event that changes none of them leaves the audience as it was.</summary>
    public int[] Inputs { get; }

    /// <summary>Gets whether the condition reads the time or attributes, so that it is evaluated whenever its profile is.</summary>
    public bool AlwaysEvaluated { get; }
}

/// <summary>A compiled event trigger.</summary>
internal sealed class CompiledEventTrigger(string name, CompiledFilter filter)
{
    public string Name { get; } = name;

    public CompiledFilter Filter { get; } = filter;
}

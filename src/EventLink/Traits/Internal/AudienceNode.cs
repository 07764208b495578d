using System.Text.Json;

namespace EventLink.Traits.Internal;

/// <summary>What an audience condition reads: the profile's trait values (internal ones included), its attributes and the time.</summary>
internal sealed class AudienceContext(IReadOnlyDictionary<string, JsonElement> traits, IReadOnlyDictionary<string, JsonElement>? attributes, DateTimeOffset now)
{
    public IReadOnlyDictionary<string, JsonElement> Traits { get; } = traits;

    public IReadOnlyDictionary<string, JsonElement>? Attributes { get; } = attributes;

    public DateTimeOffset Now { get; } = now;

    /// <summary>Gets or sets the earliest time a condition would change by time alone.</summary>
    public DateTimeOffset? DueAt { get; set; }

    public void Due(DateTimeOffset at)
    {
        if (DueAt is not { } due || at < due)
        {
            DueAt = at;
        }
    }
}

/// <summary>A compiled audience condition.</summary>
internal abstract class AudienceNode
{
    /// <summary>Evaluates the condition; every node is evaluated (no short-circuit) so due times are all collected.</summary>
    public abstract bool Evaluate(AudienceContext context);
}

internal sealed class AllNode(AudienceNode[] children) : AudienceNode
{
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
    public override bool Evaluate(AudienceContext context) => !child.Evaluate(context);
}

/// <summary>A comparison of a trait (by its name) or a merged attribute.</summary>
internal sealed class CompareNode(string name, bool attribute, ComparisonOperator comparison, string? value) : AudienceNode
{
    public override bool Evaluate(AudienceContext context)
    {
        var source = attribute ? context.Attributes : context.Traits;
        JsonElement? actual = source is not null && source.TryGetValue(name, out var element) ? element : null;
        return ValueComparison.Holds(actual, comparison, value);
    }
}

/// <summary>Did (or did not) a matching event: an internal count trait, windowed or not, is above zero.</summary>
internal sealed class DidNode(string countTrait, bool negate) : AudienceNode
{
    public override bool Evaluate(AudienceContext context)
    {
        var did = context.Traits.TryGetValue(countTrait, out var count) && count.ValueKind == JsonValueKind.Number && count.GetInt64() > 0;
        return did != negate;
    }
}

/// <summary>The most recent first event is at least <c>within</c> old and no then-event occurred at or after it.</summary>
internal sealed class NotFollowedNode(string lastFirst, string lastThen, TimeSpan within) : AudienceNode
{
    public override bool Evaluate(AudienceContext context)
    {
        if (Time(context, lastFirst) is not { } first || (Time(context, lastThen) is { } then && then >= first))
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

    private static DateTimeOffset? Time(AudienceContext context, string trait) =>
        context.Traits.TryGetValue(trait, out var value) && value.ValueKind == JsonValueKind.String ? value.GetDateTimeOffset() : null;
}

/// <summary>A compiled audience.</summary>
internal sealed class CompiledAudience(string name, AudienceNode condition)
{
    public string Name { get; } = name;

    public AudienceNode Condition { get; } = condition;
}

/// <summary>A compiled event trigger.</summary>
internal sealed class CompiledEventTrigger(string name, CompiledFilter filter)
{
    public string Name { get; } = name;

    public CompiledFilter Filter { get; } = filter;
}

namespace EventLink.Storage;

/// <summary>A computed trait's stored value and incremental state on a profile.</summary>
/// <param name="Name">The trait's name (names starting with <c>~</c> are internal traits behind audience conditions).</param>
/// <param name="ValueJson">The value as JSON text.</param>
/// <param name="StateJson">The engine's incremental state, opaque to stores.</param>
public sealed record TraitStateRow(string Name, string ValueJson, string StateJson);

/// <summary>A profile's membership of an audience.</summary>
/// <param name="Audience">The audience's name.</param>
/// <param name="ProfileId">The member.</param>
/// <param name="EnteredAt">When it entered.</param>
public sealed record AudienceMemberRow(string Audience, Guid ProfileId, DateTimeOffset EnteredAt);

/// <summary>Everything computed about one profile: trait states, audience memberships and when it next needs evaluating.</summary>
/// <param name="Traits">The trait states.</param>
/// <param name="Audiences">The memberships.</param>
/// <param name="DueAt">When a window expires or a wait ends, or <see langword="null"/> when time alone changes nothing.</param>
public sealed record ComputedStateRow(IReadOnlyList<TraitStateRow> Traits, IReadOnlyList<AudienceMemberRow> Audiences, DateTimeOffset? DueAt)
{
    /// <summary>Gets the state of a profile nothing was computed for.</summary>
    public static ComputedStateRow Empty { get; } = new([], [], null);

    /// <summary>Gets the state of every trait of the profile packed in one value, opaque to stores: what the engine writes (with <see cref="Traits"/> empty).</summary>
    /// <value>The packed state, or <see langword="null"/> when the trait states are rows of <see cref="Traits"/> (as they were stored before they were packed).</value>
    public byte[]? State { get; init; }

    /// <summary>Gets whether nothing is computed: no trait state, membership or due time.</summary>
    public bool IsEmpty => Traits.Count == 0 && Audiences.Count == 0 && DueAt is null && State is null;
}

/// <summary>An entry of the trigger log.</summary>
/// <param name="Sequence">The store-assigned sequence (ignored on append).</param>
/// <param name="Kind">What happened.</param>
/// <param name="Name">The audience or event trigger.</param>
/// <param name="ProfileId">The profile.</param>
/// <param name="EventId">The event, for <see cref="TriggerKind.EventMatched"/>.</param>
/// <param name="At">When it happened.</param>
public sealed record TriggerRow(long Sequence, TriggerKind Kind, string Name, Guid ProfileId, long? EventId, DateTimeOffset At);

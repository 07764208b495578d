using System.Text.Json;
using System.Text.Json.Serialization;
using EventLink.Serialization;

namespace EventLink;

/// <summary>A computed trait's current value on a profile, with its definition.</summary>
/// <param name="Name">The trait's name.</param>
/// <param name="ValueJson">The value as JSON text (<c>null</c> when no event matched yet).</param>
/// <param name="Definition">A readable definition, such as <c>sum(amount) of charge where status = succeeded</c>.</param>
public sealed record ComputedTrait(string Name, [property: JsonPropertyName("value"), JsonConverter(typeof(RawJsonConverter))] string ValueJson, string Definition)
{
    /// <summary>Gets the value as a JSON element.</summary>
    /// <remarks>Not serialised: <see cref="ValueJson"/> carries the value, once, as the JSON value <c>value</c>.</remarks>
    [JsonIgnore]
    public JsonElement Value => JsonElement.Parse(ValueJson);

    /// <summary>Gets the value as a number, or <see langword="null"/> when it is not one.</summary>
    public decimal? AsDecimal() => Value is { ValueKind: JsonValueKind.Number } number ? number.GetDecimal() : null;
}

/// <summary>A profile's membership of an audience.</summary>
/// <param name="Audience">The audience's name.</param>
/// <param name="ProfileId">The member.</param>
/// <param name="EnteredAt">When the profile entered the audience (the engine's clock).</param>
public sealed record AudienceMembership(string Audience, Guid ProfileId, DateTimeOffset EnteredAt);

/// <summary>The computed side of a profile: its traits and the audiences it belongs to.</summary>
/// <param name="ProfileId">The profile.</param>
/// <param name="Traits">The computed traits, ordered as defined.</param>
/// <param name="Audiences">The audiences the profile belongs to, ordered by name.</param>
public sealed record ComputedProfile(Guid ProfileId, IReadOnlyList<ComputedTrait> Traits, IReadOnlyList<AudienceMembership> Audiences)
{
    /// <summary>Gets a trait by name.</summary>
    /// <param name="name">The trait's name.</param>
    /// <returns>The trait, or <see langword="null"/>.</returns>
    public ComputedTrait? GetTrait(string name) => Traits.FirstOrDefault(t => t.Name == name);

    /// <summary>Gets whether the profile belongs to an audience.</summary>
    /// <param name="audience">The audience's name.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool IsIn(string audience) => Audiences.Any(a => a.Audience == audience);
}

/// <summary>What a trigger notification reports.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TriggerKind>))]
public enum TriggerKind
{
    /// <summary>A profile entered an audience.</summary>
    AudienceEntered,

    /// <summary>A profile left an audience (its condition stopped holding, or it was merged into another profile).</summary>
    AudienceExited,

    /// <summary>An event matching an event trigger was linked to a profile.</summary>
    EventMatched,
}

/// <summary>A trigger notification: stored with the change it reports, so each transition is reported exactly once.</summary>
/// <param name="Sequence">The position in the tenant's trigger log (growing, never reused): the cursor to resume after.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Name">The audience or event trigger.</param>
/// <param name="ProfileId">The profile.</param>
/// <param name="EventId">The event's store id, for <see cref="TriggerKind.EventMatched"/>.</param>
/// <param name="At">When it happened (the engine's clock).</param>
public sealed record TriggerNotification(long Sequence, TriggerKind Kind, string Name, Guid ProfileId, long? EventId, DateTimeOffset At);

/// <summary>What a refresh of due profiles did.</summary>
/// <param name="ProfilesEvaluated">Profiles whose windows or waits fell due and were evaluated.</param>
/// <param name="Transitions">Audience entries and exits recorded.</param>
public sealed record TraitsRefreshResult(int ProfilesEvaluated, int Transitions);

using System.Text;

namespace EventLink.Testing;

/// <summary>Assertions on computed traits and audiences.</summary>
public sealed partial class EventLinkTestHost
{
    /// <summary>Asserts a computed trait's value (as JSON text, such as <c>14800</c> or <c>"pro"</c>) on the profile holding an identity.</summary>
    /// <param name="identityKind">The identity kind finding the profile.</param>
    /// <param name="value">The raw identity value.</param>
    /// <param name="trait">The trait's name.</param>
    /// <param name="expectedJson">The expected value as JSON text (<c>null</c> when the trait has no value).</param>
    /// <returns>A task.</returns>
    public async Task TraitShouldBeAsync(string identityKind, string value, string trait, string expectedJson)
    {
        var profile = (await ProfileAsync(identityKind, value).ConfigureAwait(false)).Profile;
        var computed = await EventLink.GetComputedAsync(profile.Id).ConfigureAwait(false);
        var actual = computed?.GetTrait(trait);
        if (actual is not null && actual.ValueJson == expectedJson)
        {
            return;
        }

        var text = new StringBuilder($"Expected trait '{trait}' of {identityKind} '{value}' to be {expectedJson}, ");
        text.AppendLine(actual is null ? "but the profile has no such trait." : $"but it is {actual.ValueJson} ({actual.Definition}).");
        foreach (var other in computed?.Traits ?? [])
        {
            text.AppendLine($"  {other.Name} = {other.ValueJson}  ({other.Definition})");
        }

        throw new EventLinkAssertionException(text.ToString().TrimEnd());
    }

    /// <summary>Asserts whether the profile holding an identity is in an audience.</summary>
    /// <param name="identityKind">The identity kind finding the profile.</param>
    /// <param name="value">The raw identity value.</param>
    /// <param name="audience">The audience's name.</param>
    /// <param name="member">Whether it should be a member.</param>
    /// <returns>A task.</returns>
    public async Task AudienceShouldContainAsync(string identityKind, string value, string audience, bool member = true)
    {
        var profile = (await ProfileAsync(identityKind, value).ConfigureAwait(false)).Profile;
        var computed = await EventLink.GetComputedAsync(profile.Id).ConfigureAwait(false);
        var audiences = computed?.Audiences.Select(a => a.Audience).ToList() ?? [];
        if (audiences.Contains(audience) == member)
        {
            return;
        }

        var expectation = member ? "to be" : "not to be";
        var finding = member ? "it is not" : "it is in it";
        throw new EventLinkAssertionException(
            $"Expected {identityKind} '{value}' {expectation} in audience '{audience}', but {finding}. Its audiences: {(audiences.Count == 0 ? "none" : string.Join(", ", audiences))}.");
    }
}

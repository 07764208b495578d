using System.Text;

namespace EventLink.Testing;

/// <summary>Assertions about one profile.</summary>
public sealed class ProfileAssertions
{
    internal ProfileAssertions(Profile profile) => Profile = profile;

    /// <summary>Gets the profile.</summary>
    public Profile Profile { get; }

    /// <summary>Asserts an attribute's value (strings compare as text, other values as their JSON) and, optionally, which source won it.</summary>
    /// <param name="name">The attribute.</param>
    /// <param name="expected">The expected value.</param>
    /// <param name="fromSource">The source expected to have won it, when given.</param>
    /// <returns>These assertions, to chain.</returns>
    public ProfileAssertions ShouldHaveAttribute(string name, string expected, string? fromSource = null)
    {
        var attribute = Profile.GetAttribute(name);
        if (attribute is not null && attribute.AsString() == expected && (fromSource is null || attribute.Source == fromSource))
        {
            return this;
        }

        var text = new StringBuilder($"Expected attribute '{name}' = '{expected}'{(fromSource is null ? string.Empty : $" from {fromSource}")}, ");
        text.AppendLine(attribute is null ? "but the profile has no such attribute." : $"but it is '{attribute.AsString()}' from {attribute.Source}/{attribute.RecordType}/{attribute.RecordId} ({attribute.ObservedAt:O}).");
        throw new EventLinkAssertionException(text.Append(Render()).ToString().TrimEnd());
    }

    /// <summary>Asserts the profile holds an identity.</summary>
    /// <param name="kind">The identity kind.</param>
    /// <param name="normalizedValue">The normalised value.</param>
    /// <returns>These assertions, to chain.</returns>
    public ProfileAssertions ShouldHaveIdentity(string kind, string normalizedValue)
    {
        if (Profile.Identities.Any(i => i.Kind == kind && i.Value == normalizedValue))
        {
            return this;
        }

        throw new EventLinkAssertionException($"Expected the profile to hold {kind}:{normalizedValue}, but it does not.{Environment.NewLine}{Render()}".TrimEnd());
    }

    /// <summary>Renders the profile: identities, then attributes with the record that won each.</summary>
    /// <returns>The text.</returns>
    public string Render()
    {
        var text = new StringBuilder($"Profile {Profile.Id} ({Profile.Entity})").AppendLine();
        foreach (var identity in Profile.Identities)
        {
            text.AppendLine($"  identity  {identity.Key}  ← {identity.Source}/{identity.RecordType}/{identity.RecordId}");
        }

        var width = Profile.Attributes.Count == 0 ? 0 : Profile.Attributes.Max(a => a.Name.Length);
        foreach (var attribute in Profile.Attributes)
        {
            text.AppendLine($"  {attribute.Name.PadRight(width)}  {attribute.ValueJson}  ← {attribute.Source}/{attribute.RecordType}/{attribute.RecordId} ({attribute.ObservedAt:yyyy-MM-dd})");
        }

        return text.ToString();
    }
}

using EventLink.Storage;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What the start-up check of the store's capabilities validates: nothing is set on it, the validator reads the
/// configured features and the chosen store.
/// </summary>
internal sealed class StoreCapabilityRequirements;

/// <summary>
/// Fails start-up (host start with <c>ValidateOnStart</c>, or <see cref="EventLink.EventLinkBuilder.Build"/>) when a
/// configured feature needs a <see cref="StoreCapabilities"/> value the chosen store does not declare.
/// </summary>
internal sealed class StoreCapabilityValidator(IServiceProvider services) : IValidateOptions<StoreCapabilityRequirements>
{
    public ValidateOptionsResult Validate(string? name, StoreCapabilityRequirements options)
    {
        List<(string Feature, StoreCapabilities Capability)> features;
        try
        {
            features = [.. ConfiguredFeatures()];
        }
        catch (OptionsValidationException)
        {
            // The options of a feature are invalid: their own validator reports it, and nothing is created.
            return ValidateOptionsResult.Skip;
        }

        if (features.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        var store = services.GetRequiredService<EventLinkStore>();
        var missing = new List<string>();
        foreach (var (feature, capability) in features)
        {
            if (!store.Capabilities.HasFlag(capability))
            {
                missing.Add($"{feature} but the store '{store.GetType().Name}' does not support StoreCapabilities.{capability}.");
            }
        }

        return missing.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(missing);
    }

    /// <summary>The features that are configured, each with the capability it needs.</summary>
    private IEnumerable<(string Feature, StoreCapabilities Capability)> ConfiguredFeatures()
    {
        var traits = services.GetRequiredService<IOptions<EventLink.TraitsOptions>>().Value;
        if (traits.Traits.Count > 0 || traits.Audiences.Count > 0 || traits.EventTriggers.Count > 0)
        {
            yield return ("Traits are configured", StoreCapabilities.Traits);
        }

        if (services.GetRequiredService<IOptions<EventLink.EventLinkSyncOptions>>().Value.Syncs.Count > 0)
        {
            yield return ("Syncs are configured", StoreCapabilities.Destinations);
        }

        var quality = services.GetRequiredService<IOptions<EventLink.DataQualityOptions>>().Value;
        if (quality.Contracts.Count > 0 || quality.Transformations.Count > 0)
        {
            yield return ("Data contracts or transformations are configured", StoreCapabilities.DataQuality);
        }

        var schema = services.GetRequiredService<IOptions<EventLink.EventLinkSchemaOptions>>().Value;
        if (schema.RecordTypes.FirstOrDefault(t => t.Value.Memberships.Count > 0 || t.Value.Members.Count > 0).Key is { } recordType)
        {
            yield return ($"Record type '{recordType}' declares memberships", StoreCapabilities.IdentityGraph);
        }
    }
}

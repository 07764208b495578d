using EventLink.Storage;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>What the start-up check of the store validates: nothing is set on it, the validator opens the chosen store.</summary>
internal sealed class StoreStartupCheck;

/// <summary>
/// Fails host start-up (<c>ValidateOnStart</c>) when the chosen store cannot be opened: a SQLite file in a missing or
/// read-only directory, a PostgreSQL server that cannot be reached, or a schema that cannot be migrated. The message
/// names the store and the cause, instead of the first ingest failing later.
/// </summary>
internal sealed class StoreStartupValidator(IServiceProvider services) : IValidateOptions<StoreStartupCheck>
{
    public ValidateOptionsResult Validate(string? name, StoreStartupCheck options)
    {
        EventLinkStore store;
        try
        {
            store = services.GetRequiredService<EventLinkStore>();
        }
        catch (OptionsValidationException)
        {
            // The store's own options are invalid: their validator reports it.
            return ValidateOptionsResult.Skip;
        }

        try
        {
            // Start-up validation is synchronous; opening the store is the one awaited step, once per host.
            store.InitializeAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ValidateOptionsResult.Fail($"EventLink could not open its store ({store.GetType().Name}): {ex.Message}");
        }
    }
}

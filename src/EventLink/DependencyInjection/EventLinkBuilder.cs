using EventLink.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventLink;

/// <summary>
/// Builds an <see cref="IEventLink"/> without a host: <c>new EventLinkBuilder().AddSchema(…).UseSqlite(…).Build()</c>.
/// It accepts every <see cref="IEventLinkBuilder"/> extension the DI registration does.
/// </summary>
public sealed class EventLinkBuilder : IEventLinkBuilder
{
    /// <summary>Gets the private service collection the instance is built from (add a logger factory or time provider here).</summary>
    public IServiceCollection Services { get; } = new ServiceCollection();

    /// <summary>Builds the instance; dispose it (it is <see cref="IAsyncDisposable"/>) to release the store.</summary>
    /// <returns>The instance.</returns>
    /// <exception cref="SchemaValidationException">The schema is invalid.</exception>
    /// <exception cref="OptionsValidationException">
    /// Options are invalid, or a configured feature needs a <see cref="Storage.StoreCapabilities"/> value the store does not declare.
    /// </exception>
    public IEventLink Build()
    {
        var services = new ServiceCollection();
        foreach (var descriptor in Services)
        {
            ((ICollection<ServiceDescriptor>)services).Add(descriptor);
        }

        services.AddEventLink();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        try
        {
            var core = provider.GetRequiredService<EventLinkCore>();
            return new EventLinkClient(core, provider.GetService<ITenantAccessor>(), owned: provider);
        }
        catch (OptionsValidationException ex) when (ex.OptionsType == typeof(EventLinkSchemaOptions))
        {
            provider.Dispose();
            throw new SchemaValidationException(ex.Failures.ToList());
        }
        catch
        {
            // The store may exist already (the capability check reads it), and stores are IAsyncDisposable only.
            provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }
}

using System.Diagnostics.Metrics;
using EventLink;
using EventLink.Destinations.Internal;
using EventLink.Internal;
using EventLink.Quality.Internal;
using EventLink.Storage;
using EventLink.Storage.InMemory;
using EventLink.Traits.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers EventLink in a service collection.</summary>
public static class EventLinkServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IEventLink"/> and everything it needs. The in-memory store is used unless another is
    /// chosen (for example <c>UseSqlite</c>); when the host starts, the schema is validated and the store is opened
    /// (created or migrated), so a store that cannot be reached fails start-up rather than the first call.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Defines the schema, the store and options.</param>
    /// <returns>The builder, for further configuration.</returns>
    /// <exception cref="InvalidOperationException">
    /// EventLink is already registered and <paramref name="configure"/> is given: a second configured registration
    /// would silently merge two schemas into one instance, so it is refused. A call without configuration is a no-op
    /// beside an existing registration.
    /// </exception>
    public static IEventLinkBuilder AddEventLink(this IServiceCollection services, Action<IEventLinkBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new ServiceCollectionEventLinkBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(EventLinkRegistration)))
        {
            if (configure is not null)
            {
                throw new InvalidOperationException(
                    "AddEventLink has already been called on this service collection. A second call with configuration would merge both " +
                    "schemas and stores into one instance; configure EventLink in one AddEventLink call (continue with the builder it returns).");
            }

            return builder;
        }

        services.AddSingleton<EventLinkRegistration>();
        configure?.Invoke(builder);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<EventLinkOptions>().ValidateOnStart();
        services.AddOptions<EventLinkSchemaOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventLinkOptions>, EventLinkOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventLinkSchemaOptions>, EventLinkSchemaOptionsValidator>());
        DataQualityBuilderExtensions.Register(services);
        TraitsBuilderExtensions.Register(services);
        services.AddOptions<StoreCapabilityRequirements>().ValidateOnStart();
        services.AddOptions<StoreStartupCheck>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreStartupCheck>, StoreStartupValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreCapabilityRequirements>, StoreCapabilityValidator>());
        services.TryAddSingleton(sp => EventLinkSchema.Create(sp.GetRequiredService<IOptions<EventLinkSchemaOptions>>().Value));
        services.TryAddSingleton<EventLinkStore, InMemoryEventLinkStore>();
        services.TryAddSingleton(sp =>
        {
            // Data quality is validated before the store is created, so a bad configuration leaves nothing to dispose.
            var schema = sp.GetRequiredService<EventLinkSchema>();
            var quality = DataQualityRuntime.Create(schema, sp.GetRequiredService<IOptions<DataQualityOptions>>().Value);
            var traits = TraitsRuntime.Create(schema, sp.GetRequiredService<IOptions<TraitsOptions>>().Value);
            _ = sp.GetRequiredService<IOptions<StoreCapabilityRequirements>>().Value; // Features the store cannot keep fail here.
            return new EventLinkCore(
                schema,
                sp.GetRequiredService<EventLinkStore>(),
                sp.GetRequiredService<IOptions<EventLinkOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILoggerFactory>()?.CreateLogger("EventLink") ?? NullLogger.Instance,
                new EventLinkMetrics(sp.GetService<IMeterFactory>()),
                ownsStore: false,
                quality,
                SyncSettings.Create(sp),
                traits);
        });
        services.TryAddSingleton<IEventLink>(sp => new EventLinkClient(sp.GetRequiredService<EventLinkCore>(), sp.GetService<ITenantAccessor>()));
        return builder;
    }

    /// <summary>Marks a service collection EventLink is registered in.</summary>
    private sealed class EventLinkRegistration;

    private sealed class ServiceCollectionEventLinkBuilder(IServiceCollection services) : IEventLinkBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class EventLinkOptionsValidator : IValidateOptions<EventLinkOptions>
    {
        public ValidateOptionsResult Validate(string? name, EventLinkOptions options)
        {
            var errors = new List<string>();
            if (options.MaxPayloadBytes < 1)
            {
                errors.Add($"EventLinkOptions.MaxPayloadBytes must be positive (was {options.MaxPayloadBytes}).");
            }

            if (options.BatchSize is < 1 or > 1_000_000)
            {
                errors.Add($"EventLinkOptions.BatchSize must be between 1 and 1,000,000 (was {options.BatchSize}).");
            }

            if (string.IsNullOrWhiteSpace(options.DefaultTenant))
            {
                errors.Add("EventLinkOptions.DefaultTenant must not be empty.");
            }
            else if (options.DefaultTenant.Length > Names.MaxTenantLength || !Names.IsWellFormed(options.DefaultTenant))
            {
                errors.Add($"EventLinkOptions.DefaultTenant must have at most {Names.MaxTenantLength} characters, none of them a control character or a lone surrogate.");
            }

            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }

    private sealed class EventLinkSchemaOptionsValidator : IValidateOptions<EventLinkSchemaOptions>
    {
        public ValidateOptionsResult Validate(string? name, EventLinkSchemaOptions options)
        {
            try
            {
                EventLinkSchema.Create(options);
                return ValidateOptionsResult.Success;
            }
            catch (SchemaValidationException ex)
            {
                return ValidateOptionsResult.Fail(ex.Errors.Count > 0 ? ex.Errors : [ex.Message]);
            }
        }
    }
}

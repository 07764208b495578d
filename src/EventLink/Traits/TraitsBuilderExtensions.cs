using EventLink.Traits.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventLink;

/// <summary>Computed traits, audiences and triggers: configuration methods of <see cref="IEventLinkBuilder"/>.</summary>
public static class TraitsBuilderExtensions
{
    /// <summary>Defines computed traits, audiences and event triggers in C#. May be called several times; definitions add up.</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Adds definitions.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddTraits<TBuilder>(this TBuilder builder, Action<TraitsOptions> configure)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Registers the options validation (called by <c>AddEventLink</c>).</summary>
    internal static void Register(IServiceCollection services)
    {
        services.AddOptions<TraitsOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TraitsOptions>, SchemaBoundOptionsValidator<TraitsOptions>>(provider =>
            new SchemaBoundOptionsValidator<TraitsOptions>(provider.GetRequiredService<IOptions<EventLinkSchemaOptions>>(), TraitsRuntime.Validate)));
    }
}

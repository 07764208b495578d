using EventLink.Quality.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventLink;

/// <summary>Data-quality configuration methods of <see cref="IEventLinkBuilder"/>.</summary>
public static class DataQualityBuilderExtensions
{
    /// <summary>Configures contracts, transformations, event renames, drift and anomaly detection in C#. May be called several times; settings add up.</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddDataQuality<TBuilder>(this TBuilder builder, Action<DataQualityOptions> configure)
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
        services.AddOptions<DataQualityOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DataQualityOptions>, SchemaBoundOptionsValidator<DataQualityOptions>>(provider =>
            new SchemaBoundOptionsValidator<DataQualityOptions>(provider.GetRequiredService<IOptions<EventLinkSchemaOptions>>(), DataQualityRuntime.Validate)));
    }
}

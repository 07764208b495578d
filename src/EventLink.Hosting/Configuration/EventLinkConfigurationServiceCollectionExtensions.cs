using EventLink;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers EventLink configured from a configuration section.</summary>
public static class EventLinkConfigurationServiceCollectionExtensions
{
    /// <summary>
    /// Registers EventLink configured from a configuration section: its <c>Schema</c> child binds
    /// <see cref="EventLinkSchemaOptions"/>, the rest binds <see cref="EventLinkOptions"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, such as <c>Configuration.GetSection("EventLink")</c>.</param>
    /// <param name="configure">Further configuration, such as the store.</param>
    /// <returns>The builder.</returns>
    public static IEventLinkBuilder AddEventLink(this IServiceCollection services, IConfiguration configuration, Action<IEventLinkBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddEventLink(builder =>
        {
            builder.BindConfiguration(configuration);
            configure?.Invoke(builder);
        });
    }
}

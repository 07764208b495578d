using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EventLink;

/// <summary>Registers EventLink's background work as hosted services of the .NET generic host.</summary>
public static class EventLinkHostingBuilderExtensions
{
    /// <summary>Runs the syncs in the background (<see cref="EventLinkSyncService"/>, an <see cref="IHostedService"/>).</summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddSyncService<TBuilder>(this TBuilder builder)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EventLinkSyncService>());
        return builder;
    }

    /// <summary>Registers <see cref="EventLinkTraitsRefreshService"/>, a hosted service that evaluates due profiles every <see cref="TraitsOptions.RefreshInterval"/>.</summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddTraitsRefreshService<TBuilder>(this TBuilder builder)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<EventLinkTraitsRefreshService>();
        return builder;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventLink;

/// <summary>Registers destinations, syncs, privacy rules and the background sync service.</summary>
public static class DestinationBuilderExtensions
{
    /// <summary>Adds a destination created by a factory (a singleton of the container), under a name syncs refer to.</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The destination's name.</param>
    /// <param name="factory">Creates the destination.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddDestination<TBuilder>(this TBuilder builder, string name, Func<IServiceProvider, IEventLinkDestination> factory)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddKeyedSingleton(name, (sp, _) => factory(sp));
        return builder;
    }

    /// <summary>
    /// Adds an <see cref="HttpWebhookDestination"/>. Its <see cref="HttpClient"/> is the keyed service
    /// <c>EventLink.{name}</c> when one is registered (with <c>IHttpClientFactory</c>:
    /// <c>services.AddHttpClient("EventLink.crm").AddAsKeyed()</c>), else one client shared by every webhook whose
    /// connections are renewed every two minutes, so DNS changes are seen.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The destination's name.</param>
    /// <param name="configure">Sets the URL, headers and signing secret.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddHttpWebhookDestination<TBuilder>(this TBuilder builder, string name, Action<HttpWebhookDestinationOptions> configure)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var clientName = "EventLink." + name;
        return builder.AddDestination(name, sp =>
        {
            var options = new HttpWebhookDestinationOptions();
            configure(options);
            return new HttpWebhookDestination(sp.GetKeyedService<HttpClient>(clientName) ?? SharedWebhookClient.Value, options, sp.GetService<TimeProvider>() ?? TimeProvider.System);
        });
    }

    // The guidance for HttpClient without IHttpClientFactory: one long-lived client whose pooled connections expire.
    private static readonly Lazy<HttpClient> SharedWebhookClient = new(() => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }));

    /// <summary>Adds a <see cref="JsonLinesFileDestination"/>.</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The destination's name.</param>
    /// <param name="path">The file.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddJsonLinesFileDestination<TBuilder>(this TBuilder builder, string name, string path)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return builder.AddDestination(name, _ => new JsonLinesFileDestination(path));
    }

    /// <summary>Adds a sync: what goes to which destination.</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The sync's name (part of every idempotency key; keep it stable).</param>
    /// <param name="configure">Sets the destination, content, filters, mapping, purpose and identity hashing.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddSync<TBuilder>(this TBuilder builder, string name, Action<SyncDefinition> configure)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        if (name.Contains(EventLink.Destinations.Internal.SyncSettings.ReservedSeparator, StringComparison.Ordinal))
        {
            throw new ArgumentException($"A sync's name may not contain '{EventLink.Destinations.Internal.SyncSettings.ReservedSeparator}' (it names the sync's trigger feed): '{name}'.", nameof(name));
        }

        builder.Services.Configure<EventLinkSyncOptions>(options =>
        {
            var sync = new SyncDefinition();
            configure(sync);
            options.Syncs[name] = sync;
        });
        return builder;
    }

    /// <summary>Configures how syncs deliver (attempts, backoff, page size, interval, tenants).</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder.</returns>
    public static TBuilder ConfigureSyncs<TBuilder>(this TBuilder builder, Action<EventLinkSyncOptions> configure)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Configures consent fields and restricted fields.</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder.</returns>
    public static TBuilder ConfigurePrivacy<TBuilder>(this TBuilder builder, Action<EventLinkPrivacyOptions> configure)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}

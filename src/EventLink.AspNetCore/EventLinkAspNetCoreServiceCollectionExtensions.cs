using EventLink.AspNetCore.Webhooks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the options of EventLink's ASP.NET Core endpoints.</summary>
public static class EventLinkAspNetCoreServiceCollectionExtensions
{
    /// <summary>
    /// Configures the webhook endpoints mapped by <c>MapEventLinkWebhooks</c>: the body limit and each tool's secret
    /// (bind them from configuration with <c>services.Configure&lt;EventLinkWebhookOptions&gt;(section)</c> as well).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the secrets.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddEventLinkWebhooks(this IServiceCollection services, Action<EventLinkWebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<EventLinkWebhookOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services;
    }
}

using EventLink.Kafka;
using EventLink.Kafka.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using System.Diagnostics.Metrics;

namespace EventLink;

/// <summary>Adds the Kafka source to an <see cref="IEventLinkBuilder"/>.</summary>
public static class KafkaEventLinkBuilderExtensions
{
    /// <summary>
    /// Runs a hosted consumer that ingests the configured topics in batches, committing each partition's offsets only
    /// after <c>IngestAsync</c> returned for the batch. The options are validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the cluster, the group, the topics and the batching.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static IEventLinkBuilder AddKafkaSource(this IEventLinkBuilder builder, Action<KafkaSourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<KafkaSourceOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaSourceOptions>, KafkaSourceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, KafkaSourceService>(sp => new KafkaSourceService(
            sp.GetRequiredService<IEventLink>(),
            sp.GetRequiredService<IOptions<KafkaSourceOptions>>().Value,
            new KafkaMetrics(sp.GetService<IMeterFactory>()),
            sp.GetService<ILoggerFactory>()?.CreateLogger("EventLink.Kafka") ?? NullLogger.Instance,
            sp.GetRequiredService<TimeProvider>())));
        return builder;
    }
}

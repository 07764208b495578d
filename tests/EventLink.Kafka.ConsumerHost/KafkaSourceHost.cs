using EventLink.Kafka;
using EventLink.Presets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventLink.Kafka.Tests;

/// <summary>
/// One instance of the Kafka source as an application would host it: Stripe and Segment topics read by their presets,
/// in one consumer group, into the given store. Shared by the tests (in-process instances) and the consumer host
/// (the instance that is SIGKILLed).
/// </summary>
internal static class KafkaSourceHost
{
    public const string StripeTopic = "stripe-deliveries";
    public const string SegmentTopic = "segment-deliveries";

    public static IHost Build(string bootstrapServers, string groupId, Action<IEventLinkBuilder> useStore, Action<KafkaSourceOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddMetrics();
        builder.Services.AddEventLink(el =>
        {
            el.AddSchema(schema => schema.AddStripe().AddSegment());
            useStore(el);
            el.AddKafkaSource(options =>
            {
                options.BootstrapServers = bootstrapServers;
                options.GroupId = groupId;
                options.AddTopic(StripeTopic, SourcePresets.Stripe);
                options.AddTopic(SegmentTopic, SourcePresets.Segment);
                options.BatchSize = 200;
                options.Linger = TimeSpan.FromMilliseconds(50);
                options.RetryDelay = TimeSpan.FromMilliseconds(200);
                options.MaxRetryDelay = TimeSpan.FromSeconds(1);

                // The mock cluster's group coordinator waits up to session.timeout.ms - 1 s for members to rejoin, and
                // a SIGKILLed member leaves only when its session times out: short sessions keep the tests quick.
                options.ConsumerConfig["session.timeout.ms"] = "6000";
                options.ConsumerConfig["heartbeat.interval.ms"] = "200";
                options.ConsumerConfig["log_level"] = "3";
                configure?.Invoke(options);
            });
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        return builder.Build();
    }
}

using EventLink.Kafka;
using EventLink.Presets;
using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Samples.Snippets;

/// <summary>Snippets of docs/kafka.md.</summary>
public static class KafkaSnippets
{
    public static void Register(IServiceCollection services, string connectionString)
    {
        #region kafka-source
        services.AddEventLink(eventLink => eventLink
            .AddSchema(schema => schema.AddStripe().AddSegment())
            .UsePostgreSql(connectionString)
            .AddKafkaSource(kafka =>
            {
                kafka.BootstrapServers = "broker-1:9092,broker-2:9092";
                kafka.GroupId = "eventlink-ingest";
                kafka.AddTopic("stripe-webhooks", SourcePresets.Stripe);     // value = a Stripe webhook body
                kafka.AddTopic("segment-events", SourcePresets.Segment);     // value = a Segment message
                kafka.AddTopic("billing-events", "billing");                 // value = one record; header names its type
                kafka.BatchSize = 500;
                kafka.Linger = TimeSpan.FromMilliseconds(100);
            }));
        #endregion
    }

    public static void RealCluster(KafkaSourceOptions kafka)
    {
        #region kafka-real-cluster
        kafka.BootstrapServers = "pkc-12345.eu-west-1.aws.confluent.cloud:9092";
        kafka.ConsumerConfig["security.protocol"] = "SASL_SSL";
        kafka.ConsumerConfig["sasl.mechanisms"] = "PLAIN";
        kafka.ConsumerConfig["sasl.username"] = Environment.GetEnvironmentVariable("KAFKA_API_KEY")!;
        kafka.ConsumerConfig["sasl.password"] = Environment.GetEnvironmentVariable("KAFKA_API_SECRET")!;
        #endregion
    }

    public static void MockCluster(KafkaSourceOptions kafka)
    {
        #region kafka-mock-cluster
        // In-process brokers speaking the Kafka protocol (librdkafka's mock cluster): for tests and local runs only.
        kafka.ConsumerConfig["test.mock.num.brokers"] = "1";
        #endregion
    }
}

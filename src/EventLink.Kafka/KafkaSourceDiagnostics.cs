namespace EventLink.Kafka;

/// <summary>The names under which the Kafka source reports metrics and traces.</summary>
public static class KafkaSourceDiagnostics
{
    /// <summary>
    /// The <see cref="System.Diagnostics.Metrics.Meter"/> name: <c>eventlink.kafka.records</c> (by topic and outcome),
    /// <c>eventlink.kafka.batch.duration</c>, <c>eventlink.kafka.batch.failures</c> and
    /// <c>eventlink.kafka.consumer.lag</c> (by topic and partition).
    /// </summary>
    public const string MeterName = "EventLink.Kafka";

    /// <summary>
    /// The <see cref="System.Diagnostics.ActivitySource"/> name: one <c>kafka batch</c> span per batch, current while
    /// the batch is ingested (so EventLink's own spans nest under it), linked to the producers' contexts found in
    /// <c>traceparent</c> headers.
    /// </summary>
    public const string ActivitySourceName = "EventLink.Kafka";
}

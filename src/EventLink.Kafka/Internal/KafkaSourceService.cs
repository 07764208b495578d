using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventLink.Kafka.Internal;

/// <summary>The hosted service: runs one consumer loop until the host stops.</summary>
internal sealed class KafkaSourceService(IEventLink link, KafkaSourceOptions options, KafkaMetrics metrics, ILogger logger, TimeProvider time)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // librdkafka's Consume blocks its thread: the loop gets one of its own rather than a pool thread.
        Task.Factory.StartNew(
            () => new KafkaConsumerLoop(link, options, metrics, logger, time).RunAsync(stoppingToken),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();

    public override void Dispose()
    {
        metrics.Dispose();
        base.Dispose();
    }
}

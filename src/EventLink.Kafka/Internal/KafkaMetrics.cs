using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EventLink.Kafka.Internal;

/// <summary>The source's instruments on the <see cref="KafkaSourceDiagnostics.MeterName"/> meter.</summary>
internal sealed class KafkaMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _records;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _duration;
    private readonly ConcurrentDictionary<(string Topic, int Partition), long> _lag = new();

    public KafkaMetrics(IMeterFactory? factory)
    {
        _ownsMeter = factory is null;
        _meter = factory?.Create(KafkaSourceDiagnostics.MeterName) ?? new Meter(KafkaSourceDiagnostics.MeterName);
        _records = _meter.CreateCounter<long>("eventlink.kafka.records", "{record}", "Records ingested from Kafka, by topic and outcome (ignored: a preset's delivery of a kind it does not keep).");
        _failures = _meter.CreateCounter<long>("eventlink.kafka.batch.failures", "{batch}", "Attempts to store a batch that failed (nothing of it committed).");
        _duration = _meter.CreateHistogram<double>("eventlink.kafka.batch.duration", "s", "Time from a batch's first consumed message to its committed offsets.");
        _meter.CreateObservableGauge("eventlink.kafka.consumer.lag", ObserveLag, "{message}", "Messages of a partition past this consumer's position (high watermark minus position).");
    }

    public void Record(string topic, string outcome, long count = 1) =>
        _records.Add(count, new KeyValuePair<string, object?>("messaging.destination.name", topic), new KeyValuePair<string, object?>("eventlink.outcome", outcome));

    public void Failed() => _failures.Add(1);

    public void BatchDone(TimeSpan elapsed) => _duration.Record(elapsed.TotalSeconds);

    public void SetLag(string topic, int partition, long lag) => _lag[(topic, partition)] = Math.Max(0, lag);

    public void ForgetLag(string topic, int partition) => _lag.TryRemove((topic, partition), out _);

    public bool TryGetLag(string topic, int partition, out long lag) => _lag.TryGetValue((topic, partition), out lag);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private IEnumerable<Measurement<long>> ObserveLag()
    {
        foreach (var ((topic, partition), lag) in _lag)
        {
            yield return new Measurement<long>(lag, new TagList
            {
                { "messaging.destination.name", topic },
                { "messaging.destination.partition.id", partition.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            });
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EventLink.Kafka.Tests;

/// <summary>Sums the Kafka source's counters, per meter scope (one host's <see cref="IMeterFactory"/>).</summary>
internal sealed class KafkaMeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(object? Scope, string Instrument, string? Outcome), long> _sums = new();

    public KafkaMeterRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == KafkaSourceDiagnostics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "eventlink.outcome")
                {
                    outcome = tag.Value as string;
                }
            }

            _sums.AddOrUpdate((instrument.Meter.Scope, instrument.Name, outcome), value, (_, sum) => sum + value);
        });
        _listener.Start();
    }

    /// <summary>The sum of a counter, for one scope (or all when <see langword="null"/>) and one outcome (or all).</summary>
    public long Sum(string instrument, object? scope = null, string? outcome = null) =>
        _sums.Where(e => e.Key.Instrument == instrument && (scope is null || ReferenceEquals(e.Key.Scope, scope)) && (outcome is null || e.Key.Outcome == outcome)).Sum(e => e.Value);

    public void Dispose() => _listener.Dispose();
}

using System.Diagnostics.Metrics;

namespace EventLink.Internal;

/// <summary>The <c>EventLink</c> meter: records ingested by outcome, merges, batch durations, and identity index refreshes.</summary>
internal sealed partial class EventLinkMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = EventLink.Diagnostics.EventLinkDiagnostics.MeterName;

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public EventLinkMetrics(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _ownsMeter = meterFactory is null;
        RecordsIngested = _meter.CreateCounter<long>("eventlink.records.ingested", "{record}", "Records ingested, by outcome, record type and source.");
        ProfilesMerged = _meter.CreateCounter<long>("eventlink.profiles.merged", "{merge}", "Profiles unified into another profile.");
        BatchDuration = _meter.CreateHistogram<double>("eventlink.ingest.duration", "s", "Duration of one ingest batch, including its commit.");
        IndexRowsRead = _meter.CreateCounter<long>(
            "eventlink.index.rows_read",
            "{row}",
            "Identity rows read from the store to bring a process's in-memory identity index up to date, by refresh (full or changes).");
    }

    public Counter<long> RecordsIngested { get; }

    public Counter<long> ProfilesMerged { get; }

    public Histogram<double> BatchDuration { get; }

    /// <summary>Gets the rows read to refresh an identity index; tagged <c>refresh</c> = <c>full</c> (every identity) or <c>changes</c> (those changed since the index's version).</summary>
    public Counter<long> IndexRowsRead { get; }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}

namespace EventLink.Diagnostics;

/// <summary>
/// The names under which EventLink publishes its telemetry, for listeners and OpenTelemetry registrations
/// (<c>AddMeter(EventLinkDiagnostics.MeterName)</c>, <c>AddSource(EventLinkDiagnostics.ActivitySourceName)</c>).
/// </summary>
public static class EventLinkDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> that counts records by outcome, merges, batch durations and drift.</summary>
    public const string MeterName = "EventLink";

    /// <summary>
    /// The name of the <see cref="System.Diagnostics.ActivitySource"/> whose spans cover an ingest batch
    /// (<c>eventlink.ingest</c>, tagged with its outcome counts), a store commit (<c>eventlink.store.commit</c>), a sync
    /// delivery (<c>eventlink.sync.deliver</c>) and a quarantine replay (<c>eventlink.quarantine.replay</c>).
    /// </summary>
    public const string ActivitySourceName = "EventLink";
}

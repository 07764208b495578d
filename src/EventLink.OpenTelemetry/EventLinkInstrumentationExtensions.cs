using EventLink.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace OpenTelemetry;

/// <summary>
/// Registers EventLink's telemetry with OpenTelemetry: its spans (<see cref="EventLinkDiagnostics.ActivitySourceName"/>)
/// and its metrics (<see cref="EventLinkDiagnostics.MeterName"/>).
/// </summary>
public static class EventLinkInstrumentationExtensions
{
    /// <summary>
    /// Subscribes the tracer provider to EventLink's spans: <c>eventlink.ingest</c> (one per batch, tagged with its
    /// outcome counts), <c>eventlink.store.commit</c>, <c>eventlink.sync.deliver</c> and <c>eventlink.quarantine.replay</c>.
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static TracerProviderBuilder AddEventLinkInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(EventLinkDiagnostics.ActivitySourceName);
    }

    /// <summary>
    /// Subscribes the meter provider to EventLink's metrics: records ingested by outcome, profiles merged, batch
    /// durations, identity index refreshes and schema drift.
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MeterProviderBuilder AddEventLinkInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(EventLinkDiagnostics.MeterName);
    }
}

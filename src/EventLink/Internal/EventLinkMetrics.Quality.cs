using System.Diagnostics.Metrics;

namespace EventLink.Internal;

/// <summary>Data-quality instruments of the <c>EventLink</c> meter.</summary>
internal sealed partial class EventLinkMetrics
{
    /// <summary>Gets the counter of field shapes seen for the first time: a new field, or a known field with a new JSON type (schema drift).</summary>
    public Counter<long> SchemaShapes => field ??= _meter.CreateCounter<long>(
        "eventlink.schema.drift",
        "{shape}",
        "Field shapes (source, record type, field path, JSON type) seen for the first time: new fields and type changes.");
}

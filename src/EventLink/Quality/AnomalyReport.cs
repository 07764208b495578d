using System.Text.Json.Serialization;

namespace EventLink;

/// <summary>What kind of volume anomaly was found.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AnomalyKind>))]
public enum AnomalyKind
{
    /// <summary>An hour had more records than the band allows (a burst).</summary>
    AboveBand,

    /// <summary>An hour had fewer records than the band allows (a drop, or a silent hour).</summary>
    BelowBand,

    /// <summary>A source that normally delivers has sent nothing for <see cref="AnomalyOptions.SilentAfterHours"/> hours or more, up to now.</summary>
    Silent,
}

/// <summary>An hour (or a run of hours) whose volume is out of the ordinary for one source and record type.</summary>
/// <param name="Kind">What kind of anomaly.</param>
/// <param name="Source">The source.</param>
/// <param name="RecordType">The record type.</param>
/// <param name="Hour">The hour (UTC, start); for <see cref="AnomalyKind.Silent"/>, the first silent hour.</param>
/// <param name="Count">Records that arrived in the hour (0 for silence).</param>
/// <param name="Expected">The baseline median.</param>
/// <param name="Lower">The band's lower bound.</param>
/// <param name="Upper">The band's upper bound.</param>
/// <param name="Message">A readable explanation.</param>
public sealed record VolumeAnomaly(AnomalyKind Kind, string Source, string RecordType, DateTimeOffset Hour, long Count, double Expected, double Lower, double Upper, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}

/// <summary>The anomalies of a window of whole hours.</summary>
/// <param name="From">The first hour judged (inclusive).</param>
/// <param name="To">The end of the last whole hour judged (exclusive).</param>
/// <param name="Anomalies">The anomalies, ordered by hour, then source, then record type.</param>
public sealed record AnomalyReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<VolumeAnomaly> Anomalies);

namespace EventLink.AspNetCore.HealthChecks;

/// <summary>The thresholds of EventLink's health checks.</summary>
public sealed class EventLinkHealthCheckOptions
{
    /// <summary>Gets or sets how many dead letters a sync may hold before its check reports Degraded.</summary>
    /// <value>The default value is 0: any dead letter degrades.</value>
    public int MaxDeadLetters { get; set; }

    /// <summary>Gets or sets how many records the quarantine may gain between two checks before it reports Degraded.</summary>
    /// <value>The default value is 1000.</value>
    public long MaxQuarantineGrowth { get; set; } = 1000;
}

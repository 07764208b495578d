namespace EventLink.AspNetCore.Explorer;

/// <summary>The profile explorer of <c>MapEventLinkExplorer</c>.</summary>
public sealed class EventLinkExplorerOptions
{
    /// <summary>
    /// Gets or sets the authorization policy every page requires. The explorer shows personal data: outside the
    /// Development environment, mapping it without a policy fails at start-up.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (allowed in Development only).</value>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>Gets or sets how many timeline entries one page shows.</summary>
    /// <value>The default value is 20.</value>
    public int PageSize { get; set; } = 20;

    /// <summary>Gets or sets the time zone times are shown in (each labelled with it).</summary>
    /// <value>The default value is UTC.</value>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Gets or sets how many quarantined records the quarantine view lists.</summary>
    /// <value>The default value is 200.</value>
    public int QuarantineLimit { get; set; } = 200;
}

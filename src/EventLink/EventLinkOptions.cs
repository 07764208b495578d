using System.ComponentModel.DataAnnotations;

namespace EventLink;

/// <summary>Options of the EventLink engine.</summary>
public sealed class EventLinkOptions
{
    /// <summary>Gets or sets the largest payload accepted, in bytes; larger records are rejected.</summary>
    /// <value>The default value is 1 MiB (1,048,576).</value>
    [Range(1, int.MaxValue)]
    public int MaxPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>Gets or sets how many records a streamed ingest stores per atomic batch.</summary>
    /// <value>The default value is 1,000.</value>
    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>Gets or sets the tenant used when no tenant is given and no <see cref="ITenantAccessor"/> supplies one.</summary>
    /// <value>The default value is <c>default</c>.</value>
    [Required]
    public string DefaultTenant { get; set; } = "default";

    /// <summary>
    /// Gets or sets whether logs may carry personal data: identity values (the e-mail address that merged two
    /// profiles) and the details of a rejection, which can quote payload values. When off, logs name the identity kind
    /// and the rejection reason only.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool LogPersonalData { get; set; }
}

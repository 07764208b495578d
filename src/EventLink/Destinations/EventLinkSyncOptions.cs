using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace EventLink;

/// <summary>The syncs and how they deliver.</summary>
public sealed class EventLinkSyncOptions
{
    /// <summary>Gets the syncs, by name.</summary>
    public Dictionary<string, SyncDefinition> Syncs { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets how many failed attempts an item gets before it goes to the dead-letter list.</summary>
    /// <value>The default value is 5.</value>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Gets or sets the backoff after the first failure; it doubles with each further failure, with jitter (half fixed, half random).</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest backoff.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how many change-log entries a run reads at a time.</summary>
    /// <value>The default value is 100.</value>
    [Range(1, 100_000)]
    public int PageSize { get; set; } = 100;

    /// <summary>Gets or sets how long the background service waits between rounds of runs.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets the tenants the background service runs the syncs of.</summary>
    /// <value>The default value is empty: the default tenant only.</value>
    public List<string> Tenants { get; } = [];
}

/// <summary>What goes where: one sync of profiles and/or events to one destination.</summary>
public sealed class SyncDefinition
{
    /// <summary>Gets or sets the name of the destination (see <c>AddDestination</c>).</summary>
    [Required]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Gets or sets what the sync sends.</summary>
    /// <value>The default value is <see cref="SyncContent.Events"/>.</value>
    public SyncContent Send { get; set; } = SyncContent.Events;

    /// <summary>Gets the record types of the events sent; all when empty.</summary>
    public List<string> RecordTypes { get; } = [];

    /// <summary>Gets the event names sent; all when empty.</summary>
    public List<string> EventNames { get; } = [];

    /// <summary>Gets or sets a filter: items for which it returns <see langword="false"/> are skipped.</summary>
    /// <value>The default value is <see langword="null"/>: everything matching the record types and event names is sent.</value>
    public Func<SyncItem, bool>? Filter { get; set; }

    /// <summary>
    /// Gets the field mapping: output field name → selector in the event payload (or the profile's attributes).
    /// When empty the whole payload (or all attributes) is sent; otherwise only the mapped fields.
    /// </summary>
    public Dictionary<string, string> FieldMap { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the consent purpose the sync serves (such as <c>marketing</c>); items without consent for it are withheld.</summary>
    /// <value>The default value is <see langword="null"/>: no consent is required.</value>
    public string? Purpose { get; set; }

    /// <summary>Gets or sets whether restricted fields (<see cref="EventLinkPrivacyOptions.RestrictedFields"/>) may be sent.</summary>
    /// <value>The default value is <see langword="false"/>: they are stripped.</value>
    public bool AllowRestricted { get; set; }

    /// <summary>Gets or sets whether identities are sent as SHA-256 of their normalised value instead of in clear (as ad platforms require).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool HashIdentities { get; set; }
}

/// <summary>What a sync sends.</summary>
[Flags]
[JsonConverter(typeof(JsonStringEnumConverter<SyncContent>))]
public enum SyncContent
{
    /// <summary>Events linked to profiles.</summary>
    Events = 1,

    /// <summary>Profiles created or changed.</summary>
    Profiles = 2,

    /// <summary>Both events and profiles.</summary>
    Both = Events | Profiles,

    /// <summary>
    /// Trigger notifications (audience entered or exited, event matched) from the trigger log, read with the sync's own
    /// durable cursor; combine with the other values, such as <c>SyncContent.Both | SyncContent.Triggers</c>.
    /// </summary>
    Triggers = 4,
}

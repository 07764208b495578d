using System.ComponentModel.DataAnnotations;

namespace EventLink;

/// <summary>
/// Data-quality settings: contracts, transformations, event renames, schema-drift and anomaly detection.
/// Mutable options bound from configuration (section <c>EventLink:DataQuality</c> by convention) or set in C#
/// through <see cref="DataQualityBuilderExtensions.AddDataQuality{TBuilder}"/>.
/// </summary>
public sealed class DataQualityOptions
{
    /// <summary>Gets the data contracts, checked after transformations and before identity resolution.</summary>
    public List<ContractOptions> Contracts { get; } = [];

    /// <summary>Gets the transformation steps, applied in order to each matching record before it is parsed.</summary>
    public List<TransformationOptions> Transformations { get; } = [];

    /// <summary>Gets the event renames applied when timelines and coverage are read.</summary>
    public List<EventRenameOptions> EventRenames { get; } = [];

    /// <summary>Gets or sets how payload shapes are tracked for the schema-drift report.</summary>
    /// <value>The default value tracks every stored record.</value>
    public SchemaDriftOptions SchemaDrift { get; set; } = new();

    /// <summary>Gets or sets how hourly volumes are judged by <see cref="IEventLink.GetAnomaliesAsync"/>.</summary>
    /// <value>The default value compares each hour with the same hour of the 7 previous days, k = 3.</value>
    public AnomalyOptions Anomalies { get; set; } = new();
}

/// <summary>A rename of an event: old events answer timeline and coverage queries under the new name.</summary>
public sealed class EventRenameOptions
{
    /// <summary>Gets or sets the record type whose events are renamed.</summary>
    /// <value>The default value is <see langword="null"/>: every record type.</value>
    public string? RecordType { get; set; }

    /// <summary>Gets or sets the old event name.</summary>
    [Required]
    public string From { get; set; } = string.Empty;

    /// <summary>Gets or sets the new event name.</summary>
    [Required]
    public string To { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets when the source started sending the new name: events named <see cref="From"/> that occurred
    /// before it are shown as <see cref="To"/>; later ones keep their name.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: every event named <see cref="From"/> is renamed.</value>
    public DateTimeOffset? EffectiveFrom { get; set; }
}

/// <summary>How payload shapes are tracked for the schema-drift report.</summary>
public sealed class SchemaDriftOptions
{
    /// <summary>Gets or sets whether the shape of every stored record is tracked.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how deep nested objects are walked (1 = top-level fields only).</summary>
    /// <value>The default value is 4.</value>
    [Range(1, 32)]
    public int MaxDepth { get; set; } = 4;

    /// <summary>Gets or sets the most field paths tracked per record; the rest of a very wide payload is skipped.</summary>
    /// <value>The default value is 200.</value>
    [Range(1, 10_000)]
    public int MaxFieldsPerRecord { get; set; } = 200;

    /// <summary>
    /// Gets or sets how long a field may be absent, while its record type keeps arriving, before it is reported
    /// as <see cref="SchemaChangeKind.StoppedArriving"/> (measured on the records' occurred-at).
    /// </summary>
    /// <value>The default value is 1 day.</value>
    public TimeSpan StoppedAfter { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>How hourly volumes are judged: the band is median ± k·MAD of the same hour of the trailing days.</summary>
public sealed class AnomalyOptions
{
    /// <summary>Gets or sets how many previous days (at the same hour of day) form an hour's baseline.</summary>
    /// <value>The default value is 7.</value>
    [Range(1, 90)]
    public int TrailingDays { get; set; } = 7;

    /// <summary>Gets or sets the least number of baseline days a series needs before its hours are judged.</summary>
    /// <value>The default value is 3.</value>
    [Range(1, 90)]
    public int MinimumBaselineDays { get; set; } = 3;

    /// <summary>Gets or sets k: how many scaled MADs from the median an hour may be.</summary>
    /// <value>The default value is 3.</value>
    [Range(0.1, 100)]
    public double Sensitivity { get; set; } = 3;

    /// <summary>Gets or sets the least half-width of the band, in records, so a perfectly regular series does not flag ±1.</summary>
    /// <value>The default value is 1.</value>
    [Range(0, double.MaxValue)]
    public double MinimumSpread { get; set; } = 1;

    /// <summary>Gets or sets after how many whole hours without a record a source that normally delivers is reported silent.</summary>
    /// <value>The default value is 2.</value>
    [Range(1, 24 * 90)]
    public int SilentAfterHours { get; set; } = 2;
}

/// <summary>Fluent helpers of <see cref="DataQualityOptions"/>.</summary>
public static class DataQualityOptionsExtensions
{
    /// <summary>Adds a data contract.</summary>
    /// <param name="options">The options.</param>
    /// <param name="recordType">The record type.</param>
    /// <param name="configure">Defines the property rules.</param>
    /// <param name="policy">What happens to a record that breaks it.</param>
    /// <param name="eventName">Limits the contract to one event name of the type.</param>
    /// <returns>The contract.</returns>
    public static ContractOptions AddContract(this DataQualityOptions options, string recordType, Action<ContractOptions> configure, ContractPolicy policy = ContractPolicy.Quarantine, string? eventName = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configure);
        var contract = new ContractOptions { RecordType = recordType, Policy = policy, EventName = eventName };
        configure(contract);
        options.Contracts.Add(contract);
        return contract;
    }

    /// <summary>Adds steps to the transformation pipeline of a record type (optionally of one source).</summary>
    /// <param name="options">The options.</param>
    /// <param name="recordType">The record type.</param>
    /// <param name="configure">Adds the steps, in order.</param>
    /// <param name="source">Limits the steps to one source.</param>
    /// <returns>The options.</returns>
    public static DataQualityOptions Transform(this DataQualityOptions options, string recordType, Action<TransformationBuilder> configure, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configure);
        configure(new TransformationBuilder(options, recordType, source));
        return options;
    }

    /// <summary>Renames an event for timeline and coverage queries.</summary>
    /// <param name="options">The options.</param>
    /// <param name="from">The old name.</param>
    /// <param name="to">The new name.</param>
    /// <param name="effectiveFrom">When the source started sending the new name (older events are renamed).</param>
    /// <param name="recordType">Limits the rename to one record type.</param>
    /// <returns>The options.</returns>
    public static DataQualityOptions RenameEvent(this DataQualityOptions options, string from, string to, DateTimeOffset? effectiveFrom = null, string? recordType = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EventRenames.Add(new EventRenameOptions { From = from, To = to, EffectiveFrom = effectiveFrom, RecordType = recordType });
        return options;
    }
}

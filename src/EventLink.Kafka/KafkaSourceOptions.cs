using EventLink.Presets;

namespace EventLink.Kafka;

/// <summary>
/// Options of the Kafka source: the cluster, the consumer group, the topics and how each maps to EventLink records,
/// and the batching that decides when offsets are committed.
/// </summary>
public sealed class KafkaSourceOptions
{
    /// <summary>Gets or sets the brokers to connect to, as <c>host:port</c> pairs separated by commas.</summary>
    /// <value>The default value is <c>localhost:9092</c>.</value>
    public string BootstrapServers { get; set; } = "localhost:9092";

    /// <summary>Gets or sets the consumer group; every instance with the same group shares the topics' partitions.</summary>
    /// <value>The default value is <c>eventlink</c>.</value>
    public string GroupId { get; set; } = "eventlink";

    /// <summary>
    /// Gets further librdkafka consumer settings (security, timeouts, <c>client.id</c>, …), applied before the source's
    /// own: <c>enable.auto.commit</c> is always <c>false</c> (the source commits after each stored batch) and
    /// <c>enable.auto.offset.store</c> <c>false</c>.
    /// </summary>
    public IDictionary<string, string> ConsumerConfig { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets the topics to consume; add them with <see cref="AddTopic(string, string, string?)"/> or <see cref="AddTopic(string, SourcePreset, PresetOptions?)"/>.</summary>
    public IList<KafkaTopicOptions> Topics { get; } = [];

    /// <summary>Gets or sets the most messages ingested in one batch (one <c>IngestAsync</c> call, one commit).</summary>
    /// <value>The default value is 500.</value>
    public int BatchSize { get; set; } = 500;

    /// <summary>Gets or sets how long a batch waits for more messages after its first one before it is ingested.</summary>
    /// <value>The default value is 100 milliseconds.</value>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets or sets the first wait after a batch failed to be stored; each further failure doubles it.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest wait between two attempts to store a failed batch.</summary>
    /// <value>The default value is 30 seconds (well under librdkafka's <c>max.poll.interval.ms</c> of 5 minutes).</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the header that names a message's record type (on topics mapped to a record type, not a preset).</summary>
    /// <value>The default value is <c>eventlink-record-type</c>.</value>
    public string RecordTypeHeader { get; set; } = "eventlink-record-type";

    /// <summary>Maps a topic to a source and record type: each message's value is one record's JSON payload.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="source">The source's name, such as <c>billing</c>.</param>
    /// <param name="recordType">
    /// The record type; when <see langword="null"/>, each message names it in the <see cref="RecordTypeHeader"/> header
    /// (see <see cref="KafkaTopicOptions.RecordTypeFromKey"/> to read it from the key instead).
    /// </param>
    /// <returns>The topic's options, to change further.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in a required parameter (string source or SourcePreset preset), so no call can bind to two of them.")]
    public KafkaTopicOptions AddTopic(string topic, string source, string? recordType = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var options = new KafkaTopicOptions { Topic = topic, Source = source, RecordType = recordType };
        Topics.Add(options);
        return options;
    }

    /// <summary>Maps a topic to a preset: each message's value is what the tool delivers (a webhook body, an export line).</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="preset">The preset, such as <see cref="SourcePresets.Stripe"/>; the schema must include it.</param>
    /// <param name="presetOptions">The options the schema was built with; the preset's defaults when <see langword="null"/>.</param>
    /// <returns>The topic's options, to change further.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in a required parameter (string source or SourcePreset preset), so no call can bind to two of them.")]
    public KafkaTopicOptions AddTopic(string topic, SourcePreset preset, PresetOptions? presetOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(preset);
        presetOptions ??= preset.CreateOptions();
        var options = new KafkaTopicOptions { Topic = topic, Source = presetOptions.Source, Preset = preset, PresetOptions = presetOptions };
        Topics.Add(options);
        return options;
    }
}

/// <summary>How the messages of one topic become records.</summary>
public sealed class KafkaTopicOptions
{
    /// <summary>Gets or sets the topic.</summary>
    public string Topic { get; set; } = string.Empty;

    /// <summary>Gets or sets the source the records are ingested under (for a preset, its options' source).</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>Gets or sets the record type of every message, unless a header or the key names another.</summary>
    /// <value>The default value is <see langword="null"/>: each message names its type.</value>
    public string? RecordType { get; set; }

    /// <summary>Gets or sets whether a message's key (UTF-8) names its record type when no header does.</summary>
    /// <value>The default value is <see langword="false"/>: keys are for partitioning (see docs/kafka.md).</value>
    public bool RecordTypeFromKey { get; set; }

    /// <summary>Gets or sets the preset that reads each message's value; when set, <see cref="RecordType"/> is not used.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public SourcePreset? Preset { get; set; }

    /// <summary>Gets or sets the options the schema applied the <see cref="Preset"/> with.</summary>
    /// <value>The default value is <see langword="null"/>: the preset's defaults.</value>
    public PresetOptions? PresetOptions { get; set; }
}

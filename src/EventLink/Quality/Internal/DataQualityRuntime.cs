namespace EventLink.Quality.Internal;

/// <summary>The data-quality options compiled against the schema: what the engine consults on every record.</summary>
internal sealed class DataQualityRuntime
{
    private readonly Dictionary<string, CompiledContract> _byType = new(StringComparer.Ordinal);
    private readonly Dictionary<(string RecordType, string EventName), CompiledContract> _byEvent = [];
    private readonly Dictionary<string, TransformationPipeline> _pipelines = new(StringComparer.Ordinal);
    private readonly List<EventRenameOptions> _renames = [];

    private DataQualityRuntime(DataQualityOptions options) => Options = options;

    public static DataQualityRuntime Empty { get; } = new(new DataQualityOptions());

    public DataQualityOptions Options { get; }

    public IReadOnlyList<EventRenameOptions> Renames => _renames;

    public bool HasContracts => _byType.Count > 0 || _byEvent.Count > 0;

    public bool HasTransformations => _pipelines.Count > 0;

    /// <exception cref="ArgumentException">The options are invalid for the schema.</exception>
    public static DataQualityRuntime Create(EventLinkSchema schema, DataQualityOptions? options)
    {
        if (options is null)
        {
            return Empty;
        }

        var runtime = new DataQualityRuntime(options);
        var errors = runtime.Compile(schema);
        return errors.Count == 0 ? runtime : throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
    }

    public static List<string> Validate(EventLinkSchema schema, DataQualityOptions options) => new DataQualityRuntime(options).Compile(schema);

    public TransformationPipeline? PipelineOf(string recordType, string source) =>
        _pipelines.TryGetValue(recordType, out var pipeline) && pipeline.AppliesTo(source) ? pipeline : null;

    /// <summary>The contract of a record: the one of its event name, else the one of its type.</summary>
    public CompiledContract? ContractOf(string recordType, string eventName) =>
        _byEvent.TryGetValue((recordType, eventName), out var contract) ? contract
        : _byType.TryGetValue(recordType, out contract) ? contract : null;

    /// <summary>The name an event answers to (renames apply at query time).</summary>
    public string Rename(string recordType, string eventName, DateTimeOffset occurredAt)
    {
        // Renames chain (a → b, then b → c), bounded so a cycle in the configuration cannot loop.
        for (var hops = 0; hops < 16; hops++)
        {
            var rename = _renames.Find(r => r.From == eventName && (r.RecordType is null || r.RecordType == recordType) && (r.EffectiveFrom is null || occurredAt < r.EffectiveFrom));
            if (rename is null)
            {
                break;
            }

            eventName = rename.To;
        }

        return eventName;
    }

    private List<string> Compile(EventLinkSchema schema)
    {
        var errors = new List<string>();
        foreach (var contract in Options.Contracts)
        {
            if (contract is null || string.IsNullOrWhiteSpace(contract.RecordType) || !schema.RecordTypes.ContainsKey(contract.RecordType))
            {
                errors.Add($"Contract '{contract?.DisplayName}': record type '{contract?.RecordType}' is not in the schema.");
                continue;
            }

            if (!Enum.IsDefined(contract.Policy))
            {
                errors.Add($"Contract '{contract.DisplayName}': unknown policy {contract.Policy}.");
                continue;
            }

            if (contract.DisplayName.Contains('\t', StringComparison.Ordinal) || contract.Properties.Keys.Any(k => k.Contains('\t', StringComparison.Ordinal)))
            {
                errors.Add($"Contract '{contract.DisplayName}': names and selectors must not contain tabs.");
                continue;
            }

            CompiledContract compiled;
            try
            {
                compiled = CompiledContract.Compile(contract);
            }
            catch (ArgumentException ex)
            {
                errors.Add(ex.Message);
                continue;
            }

            var added = contract.EventName is null ? _byType.TryAdd(contract.RecordType, compiled) : _byEvent.TryAdd((contract.RecordType, contract.EventName), compiled);
            if (!added)
            {
                errors.Add($"Contract '{contract.DisplayName}' is defined twice.");
            }
        }

        foreach (var step in Options.Transformations)
        {
            if (step is null || string.IsNullOrWhiteSpace(step.RecordType) || !schema.RecordTypes.ContainsKey(step.RecordType))
            {
                errors.Add($"Transformation: record type '{step?.RecordType}' is not in the schema.");
                continue;
            }

            if (!_pipelines.TryGetValue(step.RecordType, out var pipeline))
            {
                pipeline = new TransformationPipeline();
                _pipelines.Add(step.RecordType, pipeline);
            }

            if (pipeline.Add(step) is { } error)
            {
                errors.Add(error);
            }
        }

        foreach (var rename in Options.EventRenames)
        {
            if (rename is null || string.IsNullOrWhiteSpace(rename.From) || string.IsNullOrWhiteSpace(rename.To) || rename.From == rename.To)
            {
                errors.Add($"Event rename '{rename?.From}' → '{rename?.To}' needs two different names.");
                continue;
            }

            _renames.Add(rename);
        }

        var drift = Options.SchemaDrift ?? new SchemaDriftOptions();
        if (drift.MaxDepth is < 1 or > 32 || drift.MaxFieldsPerRecord < 1 || drift.StoppedAfter <= TimeSpan.Zero)
        {
            errors.Add("DataQualityOptions.SchemaDrift: MaxDepth must be 1 to 32, MaxFieldsPerRecord and StoppedAfter positive.");
        }

        var anomalies = Options.Anomalies ?? new AnomalyOptions();
        if (anomalies.TrailingDays is < 1 or > 90 || anomalies.MinimumBaselineDays < 1 || anomalies.Sensitivity <= 0 || anomalies.MinimumSpread < 0 || anomalies.SilentAfterHours < 1)
        {
            errors.Add("DataQualityOptions.Anomalies: TrailingDays must be 1 to 90; MinimumBaselineDays, Sensitivity and SilentAfterHours positive; MinimumSpread not negative.");
        }

        return errors;
    }
}

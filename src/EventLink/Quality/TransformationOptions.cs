using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace EventLink;

/// <summary>What a transformation step does.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TransformationKind>))]
public enum TransformationKind
{
    /// <summary>Moves the value at <see cref="TransformationOptions.Path"/> to <see cref="TransformationOptions.To"/>.</summary>
    Rename,

    /// <summary>Removes the property at <see cref="TransformationOptions.Path"/>.</summary>
    Drop,

    /// <summary>Sets <see cref="TransformationOptions.Path"/> to <see cref="TransformationOptions.Value"/> (JSON text) or to what <see cref="TransformationOptions.Compute"/> returns.</summary>
    Set,

    /// <summary>Replaces the value at <see cref="TransformationOptions.Path"/> when its text is a key of <see cref="TransformationOptions.Map"/>.</summary>
    MapValues,

    /// <summary>Filters the record out when the value at <see cref="TransformationOptions.Path"/> is one of <see cref="TransformationOptions.Values"/> (or, with none given, when it is present), or when <see cref="TransformationOptions.Function"/> returns <see langword="false"/>.</summary>
    Filter,

    /// <summary>Runs <see cref="TransformationOptions.Function"/>, which may change the payload in place and returns <see langword="false"/> to filter the record out.</summary>
    Function,
}

/// <summary>One step of a record type's transformation pipeline, applied to the payload before it is parsed and linked.</summary>
public sealed class TransformationOptions
{
    /// <summary>Gets or sets the record type the step applies to.</summary>
    [Required]
    public string RecordType { get; set; } = string.Empty;

    /// <summary>Gets or sets the source the step is limited to.</summary>
    /// <value>The default value is <see langword="null"/>: every source.</value>
    public string? Source { get; set; }

    /// <summary>Gets or sets what the step does.</summary>
    /// <value>The default value is <see cref="TransformationKind.Rename"/>.</value>
    public TransformationKind Kind { get; set; } = TransformationKind.Rename;

    /// <summary>Gets or sets the selector the step reads or writes (property names separated by dots).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Path { get; set; }

    /// <summary>Gets or sets the new selector of a <see cref="TransformationKind.Rename"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? To { get; set; }

    /// <summary>Gets or sets the value of a <see cref="TransformationKind.Set"/>, as JSON text (<c>"usd"</c> with quotes, <c>42</c>, <c>true</c>).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Value { get; set; }

    /// <summary>Gets the replacements of a <see cref="TransformationKind.MapValues"/>: the value's text (strings as they are, numbers as written) to the new string value.</summary>
    public Dictionary<string, string> Map { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the values (as text) that make a <see cref="TransformationKind.Filter"/> drop the record.</summary>
    public List<string> Values { get; } = [];

    /// <summary>Gets or sets the computed value of a <see cref="TransformationKind.Set"/> (C# only); it receives the whole payload.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<JsonObject, JsonNode?>? Compute { get; set; }

    /// <summary>Gets or sets the function of a <see cref="TransformationKind.Function"/> or <see cref="TransformationKind.Filter"/> step (C# only): it may change the payload and returns <see langword="false"/> to filter the record out.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<JsonObject, bool>? Function { get; set; }
}

/// <summary>Adds steps to one record type's transformation pipeline, in order.</summary>
public sealed class TransformationBuilder
{
    private readonly DataQualityOptions _options;
    private readonly string _recordType;
    private readonly string? _source;

    internal TransformationBuilder(DataQualityOptions options, string recordType, string? source)
    {
        _options = options;
        _recordType = recordType;
        _source = source;
    }

    /// <summary>Moves a property.</summary>
    /// <param name="path">The selector of the property.</param>
    /// <param name="to">Its new selector.</param>
    /// <returns>This builder.</returns>
    public TransformationBuilder Rename(string path, string to) => Add(new() { Kind = TransformationKind.Rename, Path = path, To = to });

    /// <summary>Removes a property.</summary>
    /// <param name="path">The selector of the property.</param>
    /// <returns>This builder.</returns>
    public TransformationBuilder Drop(string path) => Add(new() { Kind = TransformationKind.Drop, Path = path });

    /// <summary>Sets a property to a constant.</summary>
    /// <param name="path">The selector of the property.</param>
    /// <param name="jsonValue">The value as JSON text (<c>"usd"</c> with quotes, <c>42</c>, <c>true</c>).</param>
    /// <returns>This builder.</returns>
    public TransformationBuilder Set(string path, string jsonValue) => Add(new() { Kind = TransformationKind.Set, Path = path, Value = jsonValue });

    /// <summary>Sets a property to a value computed from the payload; <see langword="null"/> removes it.</summary>
    /// <param name="path">The selector of the property.</param>
    /// <param name="compute">Computes the value.</param>
    /// <returns>This builder.</returns>
    public TransformationBuilder Set(string path, Func<JsonObject, JsonNode?> compute) => Add(new() { Kind = TransformationKind.Set, Path = path, Compute = compute });

    /// <summary>Replaces values of a property.</summary>
    /// <param name="path">The selector of the property.</param>
    /// <param name="map">The value's text to the new string value.</param>
    /// <returns>This builder.</returns>
    public TransformationBuilder MapValues(string path, IEnumerable<KeyValuePair<string, string>> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var step = new TransformationOptions { Kind = TransformationKind.MapValues, Path = path };
        foreach (var (from, to) in map)
        {
            step.Map[from] = to;
        }

        return Add(step);
    }

    /// <summary>Filters out records whose property has one of the values.</summary>
    /// <param name="path">The selector of the property.</param>
    /// <param name="values">The values (as text).</param>
    /// <returns>This builder.</returns>
    public TransformationBuilder FilterWhen(string path, params string[] values)
    {
        var step = new TransformationOptions { Kind = TransformationKind.Filter, Path = path };
        step.Values.AddRange(values);
        return Add(step);
    }

    /// <summary>Keeps only the records a predicate accepts; the others are filtered out and counted.</summary>
    /// <param name="predicate">Returns <see langword="true"/> to keep the record.</param>
    /// <returns>This builder.</returns>
    public TransformationBuilder Keep(Func<JsonObject, bool> predicate) => Add(new() { Kind = TransformationKind.Filter, Function = predicate });

    /// <summary>Runs a function that may change the payload in place; it returns <see langword="false"/> to filter the record out.</summary>
    /// <param name="function">The function.</param>
    /// <returns>This builder.</returns>
    public TransformationBuilder Apply(Func<JsonObject, bool> function) => Add(new() { Kind = TransformationKind.Function, Function = function });

    private TransformationBuilder Add(TransformationOptions step)
    {
        step.RecordType = _recordType;
        step.Source = _source;
        _options.Transformations.Add(step);
        return this;
    }
}

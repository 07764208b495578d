using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using EventLink.Quality.Internal;

namespace EventLink;

/// <summary>What happens to a record that breaks its contract.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ContractPolicy>))]
public enum ContractPolicy
{
    /// <summary>The record is stored in quarantine with the list of violations; replay it after relaxing the contract.</summary>
    Quarantine,

    /// <summary>The record is rejected (only a rejection note is kept).</summary>
    Reject,

    /// <summary>The record is accepted as usual; its violations are counted and reported.</summary>
    Allow,
}

/// <summary>The JSON type a property must have.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PropertyType>))]
public enum PropertyType
{
    /// <summary>Any type.</summary>
    Any,

    /// <summary>A JSON string.</summary>
    String,

    /// <summary>A JSON number.</summary>
    Number,

    /// <summary>A JSON number without a fractional part.</summary>
    Integer,

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>An ISO-8601 date-time string, or a number of Unix seconds or milliseconds.</summary>
    Timestamp,

    /// <summary>A JSON object.</summary>
    Object,

    /// <summary>A JSON array.</summary>
    Array,
}

/// <summary>A format a string property must have.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StringFormat>))]
public enum StringFormat
{
    /// <summary>No format.</summary>
    None,

    /// <summary>An e-mail address (<c>local@domain.tld</c>).</summary>
    Email,

    /// <summary>An ISO-8601 date-time (<c>2026-06-01T12:00:00Z</c>) or date (<c>2026-06-01</c>).</summary>
    Iso8601,
}

/// <summary>Which rule of a contract a value broke.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ContractRule>))]
public enum ContractRule
{
    /// <summary>A required property is missing or null.</summary>
    Required,

    /// <summary>The value has the wrong type.</summary>
    Type,

    /// <summary>The value is not one of the allowed values.</summary>
    Enum,

    /// <summary>The string does not have the required format.</summary>
    Format,

    /// <summary>The string is longer than allowed.</summary>
    MaxLength,
}

/// <summary>One broken rule of a contract.</summary>
/// <param name="Path">The property's selector (such as <c>amount</c> or <c>properties.plan</c>).</param>
/// <param name="Rule">The rule broken.</param>
/// <param name="Message">A readable explanation.</param>
public sealed record ContractViolation(string Path, ContractRule Rule, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}

/// <summary>A data contract of one record type, or of one event name of it.</summary>
public sealed class ContractOptions
{
    /// <summary>Gets or sets the contract's name, as reports show it.</summary>
    /// <value>The default value is <see langword="null"/>: <c>recordType</c>, or <c>recordType/eventName</c>.</value>
    public string? Name { get; set; }

    /// <summary>Gets or sets the record type the contract applies to.</summary>
    [Required]
    public string RecordType { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the event name (the value of the record type's event-name selector, such as a Segment
    /// <c>track</c> event) the contract is limited to. An event-specific contract replaces the record type's general one.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: every record of the type.</value>
    public string? EventName { get; set; }

    /// <summary>Gets or sets what happens to a record that breaks the contract.</summary>
    /// <value>The default value is <see cref="ContractPolicy.Quarantine"/>.</value>
    public ContractPolicy Policy { get; set; } = ContractPolicy.Quarantine;

    /// <summary>Gets the property rules by selector (such as <c>amount</c> or <c>properties.plan</c>).</summary>
    public Dictionary<string, PropertyContractOptions> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the contract's name as reports show it.</summary>
    public string DisplayName => Name ?? (EventName is null ? RecordType : $"{RecordType}/{EventName}");

    /// <summary>Adds or replaces the rule of one property.</summary>
    /// <param name="path">The property's selector.</param>
    /// <param name="type">The type it must have.</param>
    /// <param name="required">Whether it must be present and not null.</param>
    /// <returns>The rule, to refine (enum, format, max length).</returns>
    public PropertyContractOptions Property(string path, PropertyType type = PropertyType.Any, bool required = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var rule = new PropertyContractOptions { Type = type, Required = required };
        Properties[path] = rule;
        return rule;
    }

    /// <summary>Checks a payload against the contract.</summary>
    /// <param name="payload">The payload.</param>
    /// <returns>The violations, empty when the payload complies.</returns>
    /// <exception cref="ArgumentException">The contract is invalid (a selector does not parse, a max length is negative).</exception>
    public IReadOnlyList<ContractViolation> Validate(JsonElement payload) => CompiledContract.Compile(this).Check(payload);

    /// <summary>
    /// Creates a contract from a JSON-Schema subset: <c>properties</c> (nested objects become dotted selectors),
    /// <c>required</c>, <c>type</c> (a name or an array of names; <c>null</c> among them allows null),
    /// <c>enum</c>, <c>format</c> (<c>email</c>, <c>date-time</c>, <c>date</c>) and <c>maxLength</c>, with annotations
    /// (<c>title</c>, <c>description</c>, <c>$schema</c>, …) allowed. Any other keyword (such as <c>minimum</c>,
    /// <c>pattern</c>, <c>minLength</c>, <c>minItems</c>, <c>$ref</c> or <c>additionalProperties: false</c>) is refused
    /// with a <see cref="FormatException"/> naming it, so a schema is never half enforced.
    /// </summary>
    /// <param name="recordType">The record type the contract applies to.</param>
    /// <param name="jsonSchema">The JSON Schema text.</param>
    /// <param name="policy">What happens to a record that breaks it.</param>
    /// <returns>The contract.</returns>
    /// <exception cref="FormatException">The text is not a JSON Schema object, or uses an unsupported keyword, type or format.</exception>
    public static ContractOptions FromJsonSchema(string recordType, string jsonSchema, ContractPolicy policy = ContractPolicy.Quarantine)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recordType);
        ArgumentNullException.ThrowIfNull(jsonSchema);
        var contract = new ContractOptions { RecordType = recordType, Policy = policy };
        JsonSchemaImport.Import(jsonSchema, contract);
        return contract;
    }
}

/// <summary>The rule of one property of a contract.</summary>
public sealed class PropertyContractOptions
{
    /// <summary>Gets or sets the type the value must have.</summary>
    /// <value>The default value is <see cref="PropertyType.Any"/>.</value>
    public PropertyType Type { get; set; } = PropertyType.Any;

    /// <summary>Gets or sets whether the property must be present and not null.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Required { get; set; }

    /// <summary>Gets or sets whether an explicit JSON <c>null</c> is accepted for an optional property.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AllowNull { get; set; } = true;

    /// <summary>Gets the allowed values (compared with the value's text: strings as they are, numbers and booleans as written); any value when empty.</summary>
    public List<string> Enum { get; } = [];

    /// <summary>Gets or sets the format a string value must have.</summary>
    /// <value>The default value is <see cref="StringFormat.None"/>.</value>
    public StringFormat Format { get; set; } = StringFormat.None;

    /// <summary>Gets or sets the most characters a string value may have.</summary>
    /// <value>The default value is <see langword="null"/>: no limit.</value>
    [Range(0, int.MaxValue)]
    public int? MaxLength { get; set; }

    /// <summary>Limits the values to a set.</summary>
    /// <param name="values">The allowed values.</param>
    /// <returns>This rule.</returns>
    public PropertyContractOptions OneOf(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Enum.AddRange(values);
        return this;
    }

    /// <summary>Requires a string format.</summary>
    /// <param name="format">The format.</param>
    /// <returns>This rule.</returns>
    public PropertyContractOptions WithFormat(StringFormat format)
    {
        Format = format;
        return this;
    }

    /// <summary>Limits the length of a string value.</summary>
    /// <param name="maxLength">The most characters.</param>
    /// <returns>This rule.</returns>
    public PropertyContractOptions WithMaxLength(int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        MaxLength = maxLength;
        return this;
    }
}

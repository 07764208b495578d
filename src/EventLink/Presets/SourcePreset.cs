using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventLink.Presets;

/// <summary>
/// The record types, selectors and relation fields of one tool's payloads (Stripe, HubSpot, …), ready to add to a
/// schema, and the reader that turns what the tool delivers (a webhook body, an API response, an export line) into
/// records of those types. Get one from <see cref="SourcePresets"/>; add it with <see cref="Apply(SchemaBuilder, Action{PresetOptions})"/> or the
/// <c>AddStripe()</c>-style <see cref="SchemaBuilder"/> extensions.
/// </summary>
public sealed class SourcePreset
{
    private readonly PresetDefinition _definition;

    internal SourcePreset(PresetDefinition definition) => _definition = definition;

    /// <summary>Gets the preset's name, also the default source name, such as <c>stripe</c>.</summary>
    public string Name => _definition.Name;

    /// <summary>Gets the tool's name for people, such as <c>Stripe</c>.</summary>
    public string DisplayName => _definition.DisplayName;

    /// <summary>Gets the names of the record types the preset defines.</summary>
    public IReadOnlyList<string> RecordTypes => [.. _definition.Types.Select(t => t.Name)];

    /// <summary>Gets the identity kinds the preset declares (such as <c>stripe_customer_id</c>), with their normalisation.</summary>
    public IReadOnlyDictionary<string, IdentityNormalization> IdentityKinds => _definition.IdentityKinds;

    /// <summary>Creates the options of this preset, with its defaults, then the given overrides.</summary>
    /// <param name="configure">Overrides names, the source, or record types; none when <see langword="null"/>.</param>
    /// <returns>The options.</returns>
    public PresetOptions CreateOptions(Action<PresetOptions>? configure = null)
    {
        var options = new PresetOptions(this);
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Adds the preset's identity kinds and record types to a schema.</summary>
    /// <param name="schema">The schema being built.</param>
    /// <param name="configure">Overrides names, the source, or record types; none when <see langword="null"/>.</param>
    /// <returns>The schema builder.</returns>
    /// <exception cref="SchemaValidationException">A record type of the schema has the name of one of the preset's, with another kind.</exception>
    public SchemaBuilder Apply(SchemaBuilder schema, Action<PresetOptions>? configure = null) => Apply(schema, CreateOptions(configure));

    /// <summary>Adds the preset's identity kinds and record types to a schema, with options made by <see cref="CreateOptions"/>.</summary>
    /// <param name="schema">The schema being built.</param>
    /// <param name="options">The options.</param>
    /// <returns>The schema builder.</returns>
    /// <exception cref="SchemaValidationException">A record type of the schema has the name of one of the preset's, with another kind.</exception>
    public SchemaBuilder Apply(SchemaBuilder schema, PresetOptions options)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(options);
        _definition.DeclareIdentityKinds(schema);

        foreach (var type in _definition.Types)
        {
            var name = options.GetRecordTypeName(type.Name);
            RecordTypeOptions written;
            if (type.DefineMerged is { } merged)
            {
                MergedRecordTypeBuilder? builder = null;
                schema.Merged(name, b => builder = b.IncludeAllFields(false));
                merged(builder!, options);
                written = builder!.Options;
            }
            else
            {
                AppendOnlyRecordTypeBuilder? builder = null;
                schema.AppendOnly(name, b => builder = b);
                type.DefineAppendOnly!(builder!, options);
                written = builder!.Options;
            }

            foreach (var customize in options.CustomizationsOf(type.Name))
            {
                customize(written);
            }
        }

        return schema;
    }

    /// <summary>
    /// Reads one delivery of the tool (a webhook body, an API response or one exported line) into records of the
    /// preset's types: lists and pages are split, each item goes to its record type, and shapes that are not records
    /// yet (a Mailchimp activity report, a HubSpot deal's stage history) become one record per occurrence. Never throws
    /// on bad input.
    /// </summary>
    /// <param name="utf8Json">The delivery as UTF-8 JSON.</param>
    /// <param name="options">The options the schema was built with; the defaults when <see langword="null"/>.</param>
    /// <returns>The records, or why there are none.</returns>
    public PresetReadResult Read(ReadOnlyMemory<byte> utf8Json, PresetOptions? options = null)
    {
        options ??= CreateOptions();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json);
        }
        catch (JsonException ex)
        {
            return new PresetReadResult(PresetReadStatus.Unrecognized, [], $"not well-formed JSON: {ex.Message}");
        }

        using (document)
        {
            var reader = new PresetReader(options);
            _definition.Route(document.RootElement, reader);
            return reader.ToResult(DisplayName);
        }
    }

    /// <summary>Reads one delivery of the tool given as JSON text; see <see cref="Read(ReadOnlyMemory{byte}, PresetOptions?)"/>.</summary>
    /// <param name="json">The delivery as JSON text.</param>
    /// <param name="options">The options the schema was built with; the defaults when <see langword="null"/>.</param>
    /// <returns>The records, or why there are none.</returns>
    public PresetReadResult Read(string json, PresetOptions? options = null) =>
        Read(System.Text.Encoding.UTF8.GetBytes(json ?? string.Empty), options);

    /// <inheritdoc />
    public override string ToString() => $"{DisplayName} ({string.Join(", ", RecordTypes)})";

    internal PresetRecordType? Find(string recordType) => _definition.Types.FirstOrDefault(t => t.Name == recordType);
}

/// <summary>Whether a delivery was read into records.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PresetReadStatus>))]
public enum PresetReadStatus
{
    /// <summary>The delivery was read into one or more records.</summary>
    Read,

    /// <summary>The delivery is the tool's, but of a kind the preset does not keep (such as a Stripe <c>payout.paid</c> event); acknowledge it and move on.</summary>
    Ignored,

    /// <summary>The delivery is not JSON, or not in a shape of the tool's: bad input.</summary>
    Unrecognized,
}

/// <summary>What reading one delivery with a <see cref="SourcePreset"/> gave.</summary>
/// <param name="Status">Whether records were read.</param>
/// <param name="Records">The records, in the order to ingest them.</param>
/// <param name="Message">Why nothing (or not everything) was read, for people; <see langword="null"/> when everything was.</param>
public sealed record PresetReadResult(PresetReadStatus Status, IReadOnlyList<IngestRecord> Records, string? Message = null);

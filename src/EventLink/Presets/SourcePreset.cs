using System.Text.Json;
using System.Text.Json.Serialization;
using EventLink.Presets.Internal;

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
    /// on bad input. A body that is not JSON but a form (<c>a=1&amp;b[c]=2</c>) is read as one.
    /// </summary>
    /// <param name="utf8Json">The delivery as UTF-8 JSON (or form).</param>
    /// <param name="options">The options the schema was built with; the defaults when <see langword="null"/>.</param>
    /// <returns>The records, or why there are none.</returns>
    public PresetReadResult Read(ReadOnlyMemory<byte> utf8Json, PresetOptions? options = null) =>
        Read(utf8Json, PresetDelivery.Unspecified, options);

    /// <summary>
    /// Reads one delivery of the tool with what the transport knows about it (the call or endpoint it was posted to,
    /// its content type, when it arrived): Segment's <c>POST /v1/track</c> body without a <c>type</c>, PostHog's
    /// <c>/capture</c> and <c>/batch</c> bodies, Mailchimp's form-encoded webhooks. What the body says wins over the
    /// hint. Never throws on bad input.
    /// </summary>
    /// <param name="body">The delivery's body, UTF-8 JSON or (as <paramref name="delivery"/> says, or when it is not JSON) a form.</param>
    /// <param name="delivery">What the transport knows; <see cref="PresetDelivery.Unspecified"/> when nothing.</param>
    /// <param name="options">The options the schema was built with; the defaults when <see langword="null"/>.</param>
    /// <returns>The records, or why there are none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="delivery"/> is <see langword="null"/>.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in required parameters (body type, delivery), so no call can bind to two of them.")]
    public PresetReadResult Read(ReadOnlyMemory<byte> body, PresetDelivery delivery, PresetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        options ??= CreateOptions();
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return new PresetReadResult(PresetReadStatus.Unrecognized, [], "not well-formed JSON: it is not well-formed UTF-8");
        }

        if (delivery.IsFormUrlEncoded)
        {
            return ReadNotJson(body, delivery, options) ??
                new PresetReadResult(PresetReadStatus.Unrecognized, [], "the body is not a well-formed application/x-www-form-urlencoded form");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            // A tool that posts forms (Mailchimp) is read without a content type too; a JSON type says it is broken JSON.
            return (delivery.IsOtherMediaType ? null : ReadNotJson(body, delivery, options)) ??
                new PresetReadResult(PresetReadStatus.Unrecognized, [], $"not well-formed JSON: {ex.Message}");
        }

        using (document)
        {
            // A value no store keeps (a lone surrogate, a NUL) cannot be read into text: say so instead of failing on it.
            if (Ingestion.Internal.JsonValueRules.Check(body.Span, maxDepth: 64) is { } problem)
            {
                return new PresetReadResult(PresetReadStatus.Unrecognized, [], $"the delivery holds a value EventLink does not store: {problem}");
            }

            return Route(document.RootElement, delivery, options);
        }
    }

    /// <summary>A body that is not JSON: the tool's own reading of it first (Mailchimp's forms), else any form's.</summary>
    private PresetReadResult? ReadNotJson(ReadOnlyMemory<byte> body, PresetDelivery delivery, PresetOptions options)
    {
        if (_definition.ReadNonJson(body.Span) is { } converted)
        {
            using (converted)
            {
                return Route(converted.RootElement, delivery, options);
            }
        }

        return FormBody.LooksLikeForm(body.Span) && FormBody.TryRead(body.Span, out var form)
            ? Route(JsonSerializer.SerializeToElement(form, EventLink.Internal.EventLinkJsonContext.Default.JsonObject), delivery, options)
            : null;
    }

    /// <summary>Reads one delivery of the tool given as JSON text; see <see cref="Read(ReadOnlyMemory{byte}, PresetOptions?)"/>.</summary>
    /// <param name="json">The delivery as JSON text.</param>
    /// <param name="options">The options the schema was built with; the defaults when <see langword="null"/>.</param>
    /// <returns>The records, or why there are none.</returns>
    public PresetReadResult Read(string json, PresetOptions? options = null) =>
        Read(System.Text.Encoding.UTF8.GetBytes(json ?? string.Empty), options);

    /// <summary>Reads one delivery of the tool given as text, with what the transport knows about it; see <see cref="Read(ReadOnlyMemory{byte}, PresetDelivery, PresetOptions?)"/>.</summary>
    /// <param name="body">The delivery as JSON (or form) text.</param>
    /// <param name="delivery">What the transport knows; <see cref="PresetDelivery.Unspecified"/> when nothing.</param>
    /// <param name="options">The options the schema was built with; the defaults when <see langword="null"/>.</param>
    /// <returns>The records, or why there are none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="delivery"/> is <see langword="null"/>.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in required parameters (body type, delivery), so no call can bind to two of them.")]
    public PresetReadResult Read(string body, PresetDelivery delivery, PresetOptions? options = null) =>
        Read(System.Text.Encoding.UTF8.GetBytes(body ?? string.Empty), delivery, options);

    /// <summary>
    /// Gets the calls (endpoints) of the tool that <see cref="PresetDelivery.Call"/> can name for this preset, such as
    /// Segment's <c>track</c> or PostHog's <c>capture</c>; empty when the tool's bodies say what they are.
    /// </summary>
    public IReadOnlyList<string> DeliveryCalls => _definition.DeliveryCalls;

    /// <inheritdoc />
    public override string ToString() => $"{DisplayName} ({string.Join(", ", RecordTypes)})";

    private PresetReadResult Route(JsonElement root, PresetDelivery delivery, PresetOptions options)
    {
        var reader = new PresetReader(options, delivery);
        try
        {
            _definition.Route(root, reader);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            // A field the tool documents as JSON text (PostHog's properties) that is not: the delivery is not the tool's.
            return new PresetReadResult(PresetReadStatus.Unrecognized, [], $"not in a shape of {DisplayName}'s: {ex.Message}");
        }

        return reader.ToResult(DisplayName);
    }

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

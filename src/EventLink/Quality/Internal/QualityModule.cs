using System.Text.Json;
using EventLink.IdentityGraph.Internal;
using EventLink.Ingestion.Internal;
using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.Quality.Internal;

/// <summary>Data quality on the ingest path: transformations, contracts, and the shapes and volumes of each batch.</summary>
internal sealed class QualityModule(EventLinkCore core, DataQualityRuntime runtime)
{
    /// <summary>Gets the compiled data-quality options (none unless configured).</summary>
    public DataQualityRuntime Runtime { get; } = runtime;

    public SchemaDriftOptions DriftOptions => Runtime.Options.SchemaDrift ?? DefaultDriftOptions;

    private static SchemaDriftOptions DefaultDriftOptions { get; } = new();

    /// <summary>
    /// Runs the record type's transformations. Returns the record to parse (rewritten, or as it was when no step
    /// applies or the payload is not an object the parser will reject), or <see langword="null"/> when a step
    /// filtered it out: then a note counts it once and its result is <see cref="IngestOutcome.Filtered"/>.
    /// </summary>
    public async ValueTask<IngestRecord?> TransformAsync(Batch batch, IngestRecord record, IngestResult[] results, int position, CancellationToken cancellationToken)
    {
        var source = record.Source.Trim();
        if (source.Length == 0
            || Runtime.PipelineOf(record.RecordType, source) is not { } pipeline
            || !core.Schema.TryGetRecordType(record.RecordType, out var type)
            || record.Utf8Payload.Length > core.Options.MaxPayloadBytes
            || !System.Text.Unicode.Utf8.IsValid(record.Utf8Payload.Span)
            || JsonValueRules.Check(record.Utf8Payload.Span, maxDepth: 64) is not null // The parser rejects it, with the reason.
            || TransformationPipeline.Parse(record.Utf8Payload) is not { } payload)
        {
            return record;
        }

        if (TransformationPipeline.HasRepeatedPropertyName(record.Utf8Payload))
        {
            // JsonObject keeps one value per name: the steps cannot rewrite the payload, and storing it untransformed
            // would skip them (a dropped field kept), so the record is refused.
            var problem = $"the payload holds a value EventLink does not store here: a repeated property name, which the transformations of '{type.Name}' cannot rewrite";
            var noteKey = "sha256:" + RecordParser.Hash(record.Utf8Payload.Span);
            await batch.Session.AddRejectionAsync(new RejectionRow(source, type.Name, noteKey, IngestReason.UnsupportedValue, problem, batch.Now), cancellationToken).ConfigureAwait(false);
            results[position] = new IngestResult(IngestOutcome.Rejected, source, type.Name, null, null, IngestReason.UnsupportedValue, problem);
            return null;
        }

        var filteredBy = pipeline.Apply(source, payload);
        if (filteredBy is null)
        {
            return new IngestRecord(record.Source, record.RecordType, JsonSerializer.SerializeToUtf8Bytes(payload, EventLinkJsonContext.Default.JsonObject));
        }

        var recordId = TransformationPipeline.ReadScalar(payload, type.RecordId)?.Trim();
        var key = string.IsNullOrEmpty(recordId) ? "sha256:" + RecordParser.Hash(record.Utf8Payload.Span) : recordId;
        var message = $"filtered out by a transformation: {filteredBy}";
        await batch.Session.AddQualityNoteAsync(new QualityNoteRow(source, type.Name, key, QualityNoteKind.Filtered, string.Empty, message, batch.Now), cancellationToken).ConfigureAwait(false);
        results[position] = new IngestResult(IngestOutcome.Filtered, source, type.Name, string.IsNullOrEmpty(recordId) ? null : recordId, null, IngestReason.None, message);
        return null;
    }

    /// <summary>
    /// Checks a parsed record against its contract and applies the contract's policy. Returns <see langword="null"/>
    /// when the record goes on as usual; else it was rejected here, or it is to be quarantined with the verdict's
    /// message (the pipeline does that, in record order).
    /// </summary>
    public async ValueTask<ContractVerdict?> EnforceContractAsync(Batch batch, int position, ParsedRecord parsed, IngestResult[] results, CancellationToken cancellationToken)
    {
        if (Runtime.ContractOf(parsed.Type.Name, parsed.EventName) is not { } contract)
        {
            return null;
        }

        var violations = Check(contract, parsed);
        if (violations.Count == 0)
        {
            return null;
        }

        var message = await NoteViolationsAsync(batch, parsed, contract, violations, cancellationToken).ConfigureAwait(false);
        switch (contract.Options.Policy)
        {
            case ContractPolicy.Allow:
                return null;
            case ContractPolicy.Reject:
                using (parsed)
                {
                    await batch.Session.AddRejectionAsync(new RejectionRow(parsed.Source, parsed.Type.Name, parsed.RecordId, IngestReason.ContractViolation, message, batch.Now), cancellationToken).ConfigureAwait(false);
                    Log.Rejected(core, parsed.Source, parsed.Type.Name, parsed.RecordId, IngestReason.ContractViolation, message);
                    results[position] = IngestResults.Of(IngestOutcome.Rejected, parsed, null, IngestReason.ContractViolation, message);
                }

                return new ContractVerdict(Rejected: true, message);
            default:
                return new ContractVerdict(Rejected: false, message);
        }
    }

    /// <summary>During a quarantine replay: returns <see langword="true"/> when the record still breaks its contract and so stays quarantined.</summary>
    public async ValueTask<bool> RecheckContractAsync(Batch batch, QuarantineEntry entry, ParsedRecord parsed, CancellationToken cancellationToken)
    {
        if (Runtime.ContractOf(parsed.Type.Name, parsed.EventName) is not { } contract)
        {
            return false;
        }

        var violations = Check(contract, parsed);
        if (violations.Count == 0)
        {
            return false;
        }

        var message = await NoteViolationsAsync(batch, parsed, contract, violations, cancellationToken).ConfigureAwait(false);
        if (contract.Options.Policy == ContractPolicy.Allow)
        {
            return false;
        }

        // Quarantined (never rejected: the record was acknowledged), and waiting for no identity any more.
        var session = batch.Session;
        if (entry.EventId is { } eventId)
        {
            await session.SetWaitsAsync(eventId, [], cancellationToken).ConfigureAwait(false);
            await session.SetQuarantineAsync(eventId, IngestReason.ContractViolation, message, cancellationToken).ConfigureAwait(false);
        }
        else if (await session.GetSourceRecordAsync(parsed.Source, parsed.RecordId, cancellationToken).ConfigureAwait(false) is { ProfileId: null } stored
            && (stored.QuarantineReason != IngestReason.ContractViolation || stored.QuarantineMessage != message))
        {
            await session.UpsertSourceRecordAsync(stored with { QuarantineReason = IngestReason.ContractViolation, QuarantineMessage = message }, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Writes the batch's payload shapes and hourly arrivals: one store call each, whatever the batch size.</summary>
    public async ValueTask FlushAsync(Batch batch, QualityBatch quality, IngestResult[] results, CancellationToken cancellationToken)
    {
        var tracker = new ShapeTracker(DriftOptions);
        var hour = new DateTimeOffset(batch.Now.UtcTicks - (batch.Now.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
        for (var i = 0; i < results.Length; i++)
        {
            if (quality.Tracked[i] is { } stored && results[i]?.Outcome is IngestOutcome.Created or IngestOutcome.Updated or IngestOutcome.Linked or IngestOutcome.Quarantined)
            {
                tracker.Arrived(stored.Source, stored.Type.Name, hour);
                tracker.Observe(stored.Source, stored.Type.Name, stored.Utf8Payload.Span, stored.OccurredAt, stored.ShapeSignature);
            }
        }

        if (tracker.IsEmpty)
        {
            return;
        }

        var fields = tracker.Fields();
        if (fields.Count > 0)
        {
            var isNew = await batch.Session.ObserveFieldsAsync(fields, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < fields.Count; i++)
            {
                if (isNew[i] && fields[i].Path != ShapeTracker.RecordPath)
                {
                    core.Metrics.SchemaShapes.Add(
                        1,
                        new KeyValuePair<string, object?>("source", fields[i].Source),
                        new KeyValuePair<string, object?>("record_type", fields[i].RecordType),
                        new KeyValuePair<string, object?>("field", fields[i].Path),
                        new KeyValuePair<string, object?>("json_type", fields[i].JsonType));
                }
            }
        }

        await batch.Session.AddHourlyCountsAsync(tracker.Hours(), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IngestResult> QuarantineMergedAsync(Batch batch, ParsedRecord record, string message, CancellationToken cancellationToken)
    {
        var session = batch.Session;
        var existing = await session.GetSourceRecordAsync(record.Source, record.RecordId, cancellationToken).ConfigureAwait(false);
        if (await RecordIdRule.OtherHolderAsync(batch, record, existing, cancellationToken).ConfigureAwait(false) is { } holder)
        {
            return await RecordIdRule.RejectAsync(batch, record, holder, cancellationToken).ConfigureAwait(false);
        }

        var comparison = existing is null ? 1 : ClaimWriter.CompareVersion(record, existing);
        if (comparison <= 0)
        {
            return IngestResults.Of(comparison == 0 ? IngestOutcome.Duplicate : IngestOutcome.Stale, record, existing!.ProfileId);
        }

        // The newest version is the one that breaks the contract: it replaces the older one, which leaves the profile.
        await session.UpsertSourceRecordAsync(ClaimWriter.NewVersion(batch, record, null, IngestReason.ContractViolation, message), cancellationToken).ConfigureAwait(false);
        if (existing?.ProfileId is { } previous)
        {
            await core.Graph.RefreshAttributesAsync(batch, previous, cancellationToken).ConfigureAwait(false);
        }

        return IngestResults.Of(IngestOutcome.Quarantined, record, null, IngestReason.ContractViolation, message);
    }

    private static List<ContractViolation> Check(CompiledContract contract, ParsedRecord parsed)
    {
        if (parsed.Document is not null)
        {
            return contract.Check(parsed.Root);
        }

        // Append-only records are read without a document on the hot path; only a contract pays for one.
        using var document = JsonDocument.Parse(parsed.Utf8Payload);
        return contract.Check(document.RootElement);
    }

    private static async ValueTask<string> NoteViolationsAsync(Batch batch, ParsedRecord parsed, CompiledContract contract, List<ContractViolation> violations, CancellationToken cancellationToken)
    {
        foreach (var violation in violations)
        {
            await batch.Session.AddQualityNoteAsync(
                new QualityNoteRow(parsed.Source, parsed.Type.Name, parsed.RecordId, QualityNoteKind.ContractViolation, $"{contract.Name}\t{violation.Path}\t{violation.Rule}", violation.Message, batch.Now),
                cancellationToken).ConfigureAwait(false);
        }

        return $"breaks contract '{contract.Name}': {string.Join("; ", violations.Select(v => v.Message))}";
    }
}

/// <summary>What one ingest batch remembers for data quality: each parsed record (its source, type, payload, occurred-at and shape signature).</summary>
internal sealed class QualityBatch(int count)
{
    public ParsedRecord?[] Tracked { get; } = new ParsedRecord?[count];

    public void Track(int position, ParsedRecord parsed) => Tracked[position] = parsed;
}

/// <summary>A contract broken by a record: rejected already, or to be quarantined with <paramref name="Message"/>.</summary>
internal readonly record struct ContractVerdict(bool Rejected, string Message);

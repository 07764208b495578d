using EventLink.Internal;
using EventLink.Quality.Internal;
using EventLink.Storage;

namespace EventLink.Ingestion.Internal;

/// <summary>
/// The record loop of an ingest batch, inside one unit of work: transform, parse, suppress, check the contract,
/// then link append-only records (inserted together) or claim merged ones through the identity graph; at the end
/// the observers write what they noted, then the data-quality figures.
/// </summary>
internal sealed class IngestionPipeline(EventLinkCore core)
{
    /// <summary>The longest source or record type name a rejection note keeps (a longer name is not a valid one anyway).</summary>
    private const int MaxNoteNameLength = 100;

    public ValueTask<IngestResult[]> IngestAsync(string tenant, IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken)
    {
        var activity = EventLinkTracing.Source.StartActivity(EventLinkTracing.IngestSpan);
        return activity is null ? IngestUntracedAsync(tenant, records, cancellationToken) : IngestTracedAsync(activity, tenant, records, cancellationToken);
    }

    private async ValueTask<IngestResult[]> IngestTracedAsync(System.Diagnostics.Activity activity, string tenant, IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken)
    {
        using (activity)
        {
            activity.SetTag("eventlink.tenant", tenant);
            activity.SetTag("eventlink.records", records.Count);
            try
            {
                var results = await IngestUntracedAsync(tenant, records, cancellationToken).ConfigureAwait(false);
                EventLinkTracing.TagOutcomes(activity, results);
                return results;
            }
            catch (Exception ex)
            {
                EventLinkTracing.Fail(activity, ex);
                throw;
            }
        }
    }

    private ValueTask<IngestResult[]> IngestUntracedAsync(string tenant, IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken)
    {
        var shape = ShapeOf(records);
        return core.WriteAsync(tenant, async batch =>
        {
            var results = new IngestResult[records.Count];

            // Consecutive append-only records are inserted together (one bulk call), then linked in order; a merged
            // record flushes them first, so the outcome is exactly that of ingesting one record after another.
            var pending = new List<(int Position, ParsedRecord Record, Resolution Resolution)>(records.Count);
            var quality = new QualityBatch(records.Count);
            var scratch = new ParseScratch(core.Quality.DriftOptions.Enabled ? new ShapeSignatures() : null, core.Traits.IsEmpty ? null : core.Traits.Runtime.ExtractorFor);

            // What applies to every record is looked up once per batch: a record pays only for the hooks configured.
            var transforms = core.Quality.Runtime.HasTransformations;
            var contracts = core.Quality.Runtime.HasContracts;
            IReadOnlySet<string>? tombstones = null;

            // A batch of events alone is one run: the store inserts it in bulk and reads nothing else, so there is nothing to prefetch.
            if (shape.HasMerged && batch.Session.Prefetches)
            {
                await BatchPrefetch.PrefetchAsync(core.Schema, core.Options.MaxPayloadBytes, batch, records, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                for (var i = 0; i < records.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var record = records[i];
                    ArgumentNullException.ThrowIfNull(record);

                    // The caller could not read it (a stream message out of shape): only the note is stored.
                    if (record.ReadError is { } readError)
                    {
                        results[i] = await RejectAsync(batch, record, new Rejection(IngestReason.Unreadable, readError, null), cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    // Data quality: transformations may rewrite the payload or filter the record out.
                    if (transforms)
                    {
                        if (await core.Quality.TransformAsync(batch, record, results, i, cancellationToken).ConfigureAwait(false) is not { } transformed)
                        {
                            continue;
                        }

                        record = transformed;
                    }

                    if (!RecordParser.TryParse(core.Schema, record, core.Options.MaxPayloadBytes, out var parsed, out var rejection, scratch))
                    {
                        results[i] = await RejectAsync(batch, record, rejection, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    // Erasure: a record of an erased person is not stored.
                    tombstones ??= await core.Erasure.ReadTombstonesAsync(batch, cancellationToken).ConfigureAwait(false);
                    if (tombstones.Count > 0 && core.Erasure.IsSuppressed(tombstones, parsed))
                    {
                        using (parsed)
                        {
                            results[i] = await core.Erasure.SuppressAsync(batch, parsed, cancellationToken).ConfigureAwait(false);
                        }

                        continue;
                    }

                    // Data quality: remember the stored shape; a contract may reject or quarantine the record.
                    quality.Track(i, parsed);
                    if (contracts && await core.Quality.EnforceContractAsync(batch, i, parsed, results, cancellationToken).ConfigureAwait(false) is { } verdict)
                    {
                        if (verdict.Rejected)
                        {
                            continue;
                        }

                        if (parsed.Type.Kind == RecordKind.AppendOnly)
                        {
                            // Stored unlinked and waiting for nothing: only a replay under a relaxed contract links it.
                            pending.Add((i, parsed, new Resolution(null, -1, [], IngestReason.ContractViolation, verdict.Message)));
                            continue;
                        }

                        await FlushAppendOnlyAsync(batch, pending, results, cancellationToken).ConfigureAwait(false);
                        using (parsed)
                        {
                            results[i] = await core.Quality.QuarantineMergedAsync(batch, parsed, verdict.Message, cancellationToken).ConfigureAwait(false);
                        }

                        continue;
                    }

                    if (parsed.Type.Kind == RecordKind.AppendOnly)
                    {
                        pending.Add((i, parsed, core.Linker.Resolve(batch, parsed)));
                        continue;
                    }

                    await FlushAppendOnlyAsync(batch, pending, results, cancellationToken).ConfigureAwait(false);
                    using (parsed)
                    {
                        results[i] = await core.Claims.IngestMergedAsync(batch, parsed, replay: false, cancellationToken).ConfigureAwait(false);
                    }
                }

                await FlushAppendOnlyAsync(batch, pending, results, cancellationToken).ConfigureAwait(false);
                await core.Observers.OnRecordsWrittenAsync(batch, cancellationToken).ConfigureAwait(false); // The change log is written here.
            }
            finally
            {
                foreach (var (_, record, _) in pending)
                {
                    record.Dispose();
                }
            }

            // Data quality: payload shapes (schema drift) and hourly arrivals (anomalies) of the stored records.
            await core.Quality.FlushAsync(batch, quality, results, cancellationToken).ConfigureAwait(false);

            // Logging and metrics: nothing per record unless a logger or a listener asks for it.
            var logQuarantined = core.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug);
            var countRecords = core.Metrics.RecordsIngested.Enabled;
            if (logQuarantined || countRecords)
            {
                foreach (var result in results)
                {
                    if (logQuarantined && result.Outcome == IngestOutcome.Quarantined)
                    {
                        Log.Quarantined(core.Logger, result.Source, result.RecordType, result.RecordId!, result.Reason);
                    }

                    if (countRecords)
                    {
                        core.Metrics.RecordsIngested.Add(
                            1,
                            new KeyValuePair<string, object?>("outcome", result.Outcome.ToString()),
                            new KeyValuePair<string, object?>("record_type", result.RecordType),
                            new KeyValuePair<string, object?>("source", result.Source));
                    }
                }
            }

            return results;
        }, cancellationToken, mode: ModeOf(shape));
    }

    /// <summary>
    /// A batch of plain events (no merged record, no event that claims identities) with no traits, destinations or
    /// transformations configured changes no profile or identity: it may run beside other processes' such batches.
    /// </summary>
    private StoreSessionMode ModeOf(BatchShape shape) =>

        // An observer (traits, the change log) writes derived state: that needs the tenant to itself.
        shape.HasMerged || shape.HasClaims || !core.Observers.IsEmpty || core.Quality.Runtime.HasTransformations
            ? StoreSessionMode.Exclusive
            : StoreSessionMode.AppendOnly;

    /// <summary>What kinds of records a batch carries, read once from the record types it names.</summary>
    private BatchShape ShapeOf(IReadOnlyList<IngestRecord> records)
    {
        var shape = default(BatchShape);
        foreach (var record in records)
        {
            if (record is not null && core.Schema.TryGetRecordType(record.RecordType, out var type))
            {
                shape = new BatchShape(shape.HasMerged || type.Kind == RecordKind.Merged, shape.HasClaims || type.MakesClaims);
                if (shape is { HasMerged: true, HasClaims: true })
                {
                    break;
                }
            }
        }

        return shape;
    }

    /// <summary>Whether a batch carries merged records, and events whose type claims identities.</summary>
    private readonly record struct BatchShape(bool HasMerged, bool HasClaims);

    private async ValueTask<IngestResult> RejectAsync(Batch batch, IngestRecord record, Rejection rejection, CancellationToken cancellationToken)
    {
        var key = rejection.RecordId ?? record.Origin ?? "sha256:" + RecordParser.Hash(record.Utf8Payload.Span);
        var message = record.Origin is null ? rejection.Message : $"{rejection.Message} (at {record.Origin})";

        // The names are the sender's: the note keeps what every store can hold (a bad name is cut and made printable).
        await batch.Session.AddRejectionAsync(
            new RejectionRow(Names.Storable(record.Source, MaxNoteNameLength), Names.Storable(record.RecordType, MaxNoteNameLength), key, rejection.Reason, Names.Printable(message), batch.Now),
            cancellationToken).ConfigureAwait(false);
        Log.Rejected(core, record.Source, record.RecordType, rejection.RecordId, rejection.Reason, rejection.Message);
        return new IngestResult(IngestOutcome.Rejected, record.Source, record.RecordType, rejection.RecordId, null, rejection.Reason, rejection.Message);
    }

    private async ValueTask FlushAppendOnlyAsync(Batch batch, List<(int Position, ParsedRecord Record, Resolution Resolution)> pending, IngestResult[] results, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var rows = new EventRow[pending.Count];
        for (var i = 0; i < pending.Count; i++)
        {
            rows[i] = ToEventRow(batch, pending[i].Record, pending[i].Resolution);
        }

        var ids = await batch.Session.TryInsertEventsAsync(rows, cancellationToken).ConfigureAwait(false);
        string?[]? others = null;
        List<ParsedRecord>? held = null;
        for (var i = 0; i < pending.Count; i++)
        {
            if (ids[i] is null)
            {
                (held ??= []).Add(pending[i].Record);
            }
        }

        if (held is not null)
        {
            // Not inserted: the same record again, or an id another record type holds (asked in one call).
            others = await RecordIdRule.OtherHoldersAsync(batch, held, cancellationToken).ConfigureAwait(false);
        }

        var heldIndex = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            var (position, record, resolution) = pending[i];
            if (ids[i] is not { } id)
            {
                results[position] = others![heldIndex++] is { } holder
                    ? await RecordIdRule.RejectAsync(batch, record, holder, cancellationToken).ConfigureAwait(false)
                    : IngestResults.Of(IngestOutcome.Duplicate, record, null);
                continue;
            }

            if (record.Type.MakesClaims)
            {
                results[position] = await core.Claims.ClaimEventAsync(batch, record, id, resolution, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // The common case, linked and waiting for nothing, completes here without entering an async method.
            results[position] = resolution.ProfileId is { } profileId && resolution.Waits.Count == 0
                ? core.Linker.Linked(batch, record, id, profileId)
                : await core.Linker.ApplyResolutionAsync(batch, record, id, resolution, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (_, record, _) in pending)
        {
            record.Dispose();
        }

        pending.Clear();
    }

    private static EventRow ToEventRow(Batch batch, ParsedRecord record, Resolution resolution)
    {
        var profileId = resolution.ProfileId;
        var reason = profileId is null ? resolution.Reason : IngestReason.None;
        var message = profileId is null ? resolution.Message : null;

        // A store that copies payloads (the in-memory store) is lent the record's UTF-8 bytes (well-formed: the parser
        // rejects anything else): no text is made. Any other store gets the text, as it always has.
        return batch.Session.CopiesEventPayloads
            ? new(0, record.Source, record.RecordId, record.Type.Name, record.EventName, record.OccurredAt, batch.Now, profileId, resolution.LinkIndex, reason, message, record.Utf8Payload)
            : new(0, record.Source, record.RecordId, record.Type.Name, record.EventName, record.OccurredAt, batch.Now, profileId, resolution.LinkIndex, reason, message, record.PayloadJson);
    }
}

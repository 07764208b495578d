using System.Text.Json;
using EventLink.Quality.Internal;
using EventLink.Storage;

namespace EventLink.Internal;

/// <summary>Ingestion: parse, resolve identities, link, merge, quarantine.</summary>
internal sealed partial class EventLinkCore
{
    public ValueTask<IngestResult[]> IngestBatchAsync(string tenant, IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken) =>
        WriteAsync(tenant, async batch =>
        {
            var results = new IngestResult[records.Count];

            // Consecutive append-only records are inserted together (one bulk call), then linked in order; a merged
            // record flushes them first, so the outcome is exactly that of ingesting one record after another.
            var pending = new List<(int Position, ParsedRecord Record, Resolution Resolution)>(records.Count);
            var quality = new QualityBatch(records.Count);
            var scratch = new ParseScratch(DriftOptions.Enabled ? new ShapeSignatures() : null);

            // What applies to every record is looked up once per batch: a record pays only for the hooks configured.
            var transforms = Quality.HasTransformations;
            var contracts = Quality.HasContracts;
            IReadOnlySet<string>? tombstones = null;
            if (batch.Session.Prefetches)
            {
                await PrefetchAsync(batch, records, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                for (var i = 0; i < records.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var record = records[i];
                    ArgumentNullException.ThrowIfNull(record);

                    // Data quality (EventLinkCore.Quality.cs): transformations may rewrite the payload or filter the record out.
                    if (transforms)
                    {
                        if (await TransformAsync(batch, record, results, i, cancellationToken).ConfigureAwait(false) is not { } transformed)
                        {
                            continue;
                        }

                        record = transformed;
                    }

                    if (!RecordParser.TryParse(Schema, record, Options.MaxPayloadBytes, out var parsed, out var rejection, scratch))
                    {
                        results[i] = await RejectAsync(batch, record, rejection, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    // Erasure hook: a record of an erased person is not stored (see EventLinkCore.Changes.cs).
                    tombstones ??= await ReadTombstonesAsync(batch, cancellationToken).ConfigureAwait(false);
                    if (tombstones.Count > 0 && IsSuppressed(tombstones, parsed))
                    {
                        using (parsed)
                        {
                            results[i] = await SuppressAsync(batch, parsed, cancellationToken).ConfigureAwait(false);
                        }

                        continue;
                    }

                    // Data quality: remember the stored shape; a contract may reject or quarantine the record.
                    quality.Track(i, parsed);
                    if (contracts && await EnforceContractAsync(batch, i, parsed, pending, results, cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }

                    if (parsed.Type.Kind == RecordKind.AppendOnly)
                    {
                        pending.Add((i, parsed, Resolve(batch, parsed)));
                        continue;
                    }

                    await FlushAppendOnlyAsync(batch, pending, results, cancellationToken).ConfigureAwait(false);
                    using (parsed)
                    {
                        results[i] = await IngestMergedAsync(batch, parsed, replay: false, cancellationToken).ConfigureAwait(false);
                    }
                }

                await FlushAppendOnlyAsync(batch, pending, results, cancellationToken).ConfigureAwait(false);
                await FlushChangesAsync(batch, cancellationToken).ConfigureAwait(false); // Outbox hook.
            }
            finally
            {
                foreach (var (_, record, _) in pending)
                {
                    record.Dispose();
                }
            }

            // Data quality: payload shapes (schema drift) and hourly arrivals (anomalies) of the stored records.
            await FlushQualityAsync(batch, quality, results, cancellationToken).ConfigureAwait(false);

            // Logging and metrics: nothing per record unless a logger or a listener asks for it.
            var logQuarantined = Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug);
            var countRecords = Metrics.RecordsIngested.Enabled;
            if (logQuarantined || countRecords)
            {
                foreach (var result in results)
                {
                    if (logQuarantined && result.Outcome == IngestOutcome.Quarantined)
                    {
                        Log.Quarantined(Logger, result.Source, result.RecordType, result.RecordId!, result.Reason);
                    }

                    if (countRecords)
                    {
                        Metrics.RecordsIngested.Add(
                            1,
                            new KeyValuePair<string, object?>("outcome", result.Outcome.ToString()),
                            new KeyValuePair<string, object?>("record_type", result.RecordType),
                            new KeyValuePair<string, object?>("source", result.Source));
                    }
                }
            }

            return results;
        }, cancellationToken, mode: ModeOf(records));

    /// <summary>
    /// A batch of plain events (no merged record, no event that claims identities) with no traits, destinations or
    /// transformations configured changes no profile or identity: it may run beside other processes' such batches.
    /// </summary>
    private StoreSessionMode ModeOf(IReadOnlyList<IngestRecord> records)
    {
        if (!Traits.IsEmpty || Sync.RecordsChanges || Quality.HasTransformations)
        {
            return StoreSessionMode.Exclusive;
        }

        foreach (var record in records)
        {
            if (record is not null && Schema.TryGetRecordType(record.RecordType, out var type) && (type.Kind != RecordKind.AppendOnly || type.MakesClaims))
            {
                return StoreSessionMode.Exclusive;
            }
        }

        return StoreSessionMode.AppendOnly;
    }

    private async ValueTask<IngestResult> RejectAsync(Batch batch, IngestRecord record, Rejection rejection, CancellationToken cancellationToken)
    {
        var key = rejection.RecordId ?? "sha256:" + RecordParser.Hash(record.Utf8Payload.Span);
        await batch.Session.AddRejectionAsync(
            new RejectionRow(record.Source, record.RecordType, key, rejection.Reason, rejection.Message, batch.Now),
            cancellationToken).ConfigureAwait(false);
        Log.Rejected(Logger, record.Source, record.RecordType, rejection.RecordId, rejection.Reason, rejection.Message);
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
        for (var i = 0; i < pending.Count; i++)
        {
            var (position, record, resolution) = pending[i];
            if (ids[i] is not { } id)
            {
                results[position] = Result(IngestOutcome.Duplicate, record, null);
                continue;
            }

            if (record.Type.MakesClaims)
            {
                results[position] = await ClaimEventAsync(batch, record, id, resolution, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // The common case, linked and waiting for nothing, completes here without entering an async method.
            results[position] = resolution.ProfileId is { } profileId && resolution.Waits.Count == 0
                ? Linked(batch, record, id, profileId)
                : await ApplyResolutionAsync(batch, record, id, resolution, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Links, creates or quarantines a stored event according to its resolution.</summary>
    private async ValueTask<IngestResult> ApplyResolutionAsync(Batch batch, ParsedRecord record, long eventId, Resolution resolution, CancellationToken cancellationToken)
    {
        var session = batch.Session;
        if (resolution.ProfileId is { } profileId)
        {
            if (resolution.Waits.Count > 0)
            {
                await session.SetWaitsAsync(eventId, resolution.Waits, cancellationToken).ConfigureAwait(false);
            }

            return Linked(batch, record, eventId, profileId);
        }

        await session.SetWaitsAsync(eventId, resolution.Waits, cancellationToken).ConfigureAwait(false);
        return Result(IngestOutcome.Quarantined, record, null, resolution.Reason, resolution.Message);
    }

    /// <summary>Notes a stored event linked to its profile.</summary>
    private IngestResult Linked(Batch batch, ParsedRecord record, long eventId, Guid profileId)
    {
        OnEventLinked(batch, eventId, profileId); // Outbox hook.
        OnTraitEventLinked(batch, record, eventId, profileId); // Traits hook.
        return Result(IngestOutcome.Linked, record, profileId);
    }

    /// <summary>Reads an append-only record's relation values in order and finds the first that matches a profile.</summary>
    private Resolution Resolve(Batch batch, ParsedRecord record)
    {
        List<EventWait>? waits = null;
        List<string>? problems = null;
        Span<char> buffer = batch.IdentityBuffer;
        Span<char> scratch = batch.RawValueBuffer;
        var relations = record.Type.Relations;
        for (var i = 0; i < relations.Count; i++)
        {
            var relation = relations[i];
            if (!record.TryGetRelationValue(i, scratch, out var raw))
            {
                (problems ??= []).Add($"'{relation.Field}' is missing");
                continue;
            }

            switch (IdentityMatcher.Match(Schema, batch.Index, relation.IdentityKind, raw, buffer, out var written, out var profileId))
            {
                case IdentityMatchStatus.Matched:
                    return new Resolution(profileId, relation.Index, (IReadOnlyList<EventWait>?)waits ?? [], IngestReason.None, null);
                case IdentityMatchStatus.Invalid:
                    (problems ??= []).Add($"'{relation.Field}' value '{Shorten(raw.ToString())}' is not a valid {relation.IdentityKind.Name}");
                    break;
                case IdentityMatchStatus.Blocked:
                    (problems ??= []).Add($"'{relation.Field}' value '{Shorten(raw.ToString())}' is blocked");
                    break;
                default:
                    (waits ??= new List<EventWait>(1)).Add(new EventWait(new IdentityKey(relation.IdentityKind.Name, new string(buffer[..written])), relation.Index));
                    break;
            }
        }

        if (waits is null)
        {
            return new Resolution(null, -1, [], IngestReason.NoUsableIdentifier,
                $"no usable identifier: {string.Join("; ", problems ?? [])}");
        }

        var target = string.Join(" or ", waits.Select(w => $"{w.Key.Kind} '{w.Key.Value}'"));
        return new Resolution(null, -1, waits, IngestReason.NoMatchingProfile, $"no profile has {target} yet");
    }

    private async ValueTask<IngestResult> IngestMergedAsync(Batch batch, ParsedRecord record, bool replay, CancellationToken cancellationToken)
    {
        var session = batch.Session;
        var keys = ReadIdentities(record, out var problems);
        var existing = await session.GetSourceRecordAsync(record.Source, record.RecordId, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.RecordType != record.Type.Name)
        {
            var message = $"record id '{record.RecordId}' of source '{record.Source}' already belongs to a '{existing.RecordType}' record";
            await session.AddRejectionAsync(new RejectionRow(record.Source, record.Type.Name, record.RecordId, IngestReason.RecordIdConflict, message, batch.Now), cancellationToken).ConfigureAwait(false);
            return Result(IngestOutcome.Rejected, record, null, IngestReason.RecordIdConflict, message);
        }

        // Versions are ordered by occurred-at, then by content hash, so any arrival order keeps the same one.
        var comparison = existing is null ? 1 : CompareVersion(record, existing);
        if (comparison == 0 && !replay)
        {
            return Result(IngestOutcome.Duplicate, record, existing!.ProfileId);
        }

        var newer = comparison > 0 || replay;
        if (keys.Count == 0)
        {
            // This version names nobody; the record keeps the profile its other versions gave it.
            if (existing?.ProfileId is { } kept)
            {
                if (!newer)
                {
                    return Result(IngestOutcome.Stale, record, kept);
                }

                await session.UpsertSourceRecordAsync(NewVersion(batch, record, kept, IngestReason.None, null), cancellationToken).ConfigureAwait(false);
                await RefreshAttributesAsync(batch, kept, cancellationToken).ConfigureAwait(false);
                OnProfileChanged(batch, kept, created: false); // Outbox hook.
                return Result(IngestOutcome.Updated, record, kept);
            }

            if (!newer)
            {
                return Result(IngestOutcome.Stale, record, null);
            }

            var message = $"no usable identity: {string.Join("; ", problems)}";
            await session.UpsertSourceRecordAsync(NewVersion(batch, record, null, IngestReason.NoUsableIdentifier, message), cancellationToken).ConfigureAwait(false);
            return Result(IngestOutcome.Quarantined, record, null, IngestReason.NoUsableIdentifier, message);
        }

        var claim = new ClaimKey(ClaimKind.Record, record.Source, record.RecordId);
        var before = await session.GetClaimAsync(claim, cancellationToken).ConfigureAwait(false);
        await session.UpsertClaimAsync(claim, record.Type.Name, record.OccurredAt, keys, cancellationToken).ConfigureAwait(false);
        await AddMembershipsAsync(batch, record, keys, cancellationToken).ConfigureAwait(false);
        if (newer)
        {
            await session.UpsertSourceRecordAsync(NewVersion(batch, record, existing?.ProfileId, IngestReason.None, null), cancellationToken).ConfigureAwait(false);
        }

        var claimChanged = before is null || record.OccurredAt < before.FirstOccurredAt || keys.Exists(k => !before.Identities.Contains(k));
        if (!claimChanged && existing?.ProfileId is { } unchanged)
        {
            if (!newer)
            {
                return Result(IngestOutcome.Stale, record, unchanged);
            }

            await RefreshAttributesAsync(batch, unchanged, cancellationToken).ConfigureAwait(false);
            OnProfileChanged(batch, unchanged, created: false); // Outbox hook.
            return Result(IngestOutcome.Updated, record, unchanged);
        }

        var change = await RecomputeAsync(batch, claim, refreshSeed: newer, cancellationToken).ConfigureAwait(false);
        var profileId = change.SeedProfile;
        var outcome = before is null && change.Created.Contains(profileId) ? IngestOutcome.Created
            : !newer && !change.ChangedAnything ? IngestOutcome.Stale
            : IngestOutcome.Updated;
        if (outcome != IngestOutcome.Stale)
        {
            OnProfileChanged(batch, profileId, outcome == IngestOutcome.Created); // Outbox hook.
        }

        return Result(outcome, record, profileId);
    }

    /// <summary>Records the accounts a person's merged record says it belongs to, and the members an account's record names.</summary>
    private async ValueTask AddMembershipsAsync(Batch batch, ParsedRecord record, List<IdentityKey> members, CancellationToken cancellationToken)
    {
        foreach (var member in record.Type.Members)
        {
            if (!RecordParser.TryReadScalar(member.Field, record.Root, out var raw) || !Schema.TryNormalize(member.IdentityKind.Name, raw, out var person))
            {
                continue;
            }

            foreach (var account in members)
            {
                await batch.Session.AddMembershipAsync(new MembershipRow(person, account, record.Source, record.RecordId), cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var membership in record.Type.Memberships)
        {
            if (!RecordParser.TryReadScalar(membership.Field, record.Root, out var raw) || !Schema.TryNormalize(membership.IdentityKind.Name, raw, out var account))
            {
                continue;
            }

            foreach (var member in members)
            {
                await batch.Session.AddMembershipAsync(new MembershipRow(member, account, record.Source, record.RecordId), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private List<IdentityKey> ReadIdentities(ParsedRecord record, out List<string> problems)
    {
        var keys = new List<IdentityKey>(record.Type.Identities.Count);
        var found = new List<string>();
        problems = found;
        foreach (var field in record.Type.Identities)
        {
            if (!field.Field.TrySelect(record.Root, out var element))
            {
                problems.Add($"'{field.Field}' is missing");
                continue;
            }

            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    AddKey(field, item);
                }
            }
            else
            {
                AddKey(field, element);
            }
        }

        return keys;

        void AddKey(IdentityField field, JsonElement element)
        {
            var raw = element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Number => element.GetRawText(),
                _ => null,
            };
            if (raw is null)
            {
                found.Add($"'{field.Field}' is a {element.ValueKind.ToString().ToLowerInvariant()}, not a value");
            }
            else if (!Schema.TryNormalize(field.Kind.Name, raw, out var key))
            {
                found.Add($"'{field.Field}' value '{Shorten(raw)}' is not a usable {field.Kind.Name} (malformed or blocked)");
            }
            else if (!keys.Contains(key))
            {
                keys.Add(key);
            }
        }
    }

    private async ValueTask<Guid> CreateProfileAsync(Batch batch, string entity, CancellationToken cancellationToken)
    {
        var id = NewProfileId(batch.Now);
        await batch.Session.CreateProfileAsync(new ProfileRow(id, entity, batch.Now), cancellationToken).ConfigureAwait(false);
        return id;
    }

    private async ValueTask RefreshAttributesAsync(Batch batch, Guid profileId, CancellationToken cancellationToken)
    {
        var records = await batch.Session.GetSourceRecordsAsync(profileId, cancellationToken).ConfigureAwait(false);
        await batch.Session.ReplaceAttributesAsync(profileId, AttributeMerger.Merge(Schema, records), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A version-7 id, strictly greater than the previous one of this engine: profiles created in the same
    /// millisecond still sort in creation order, which makes the survivor of a merge reproducible.
    /// </summary>
    private Guid NewProfileId(DateTimeOffset now)
    {
        lock (_idLock)
        {
            var id = Guid.CreateVersion7(now);
            if (id.CompareTo(_lastProfileId) <= 0)
            {
                Span<byte> bytes = stackalloc byte[16];
                _lastProfileId.TryWriteBytes(bytes, bigEndian: true, out _);
                for (var i = bytes.Length - 1; i >= 0 && ++bytes[i] == 0; i--)
                {
                }

                id = new Guid(bytes, bigEndian: true);
            }

            _lastProfileId = id;
            return id;
        }
    }

    private static SourceRecordRow NewVersion(Batch batch, ParsedRecord record, Guid? profileId, IngestReason reason, string? message) =>
        new(record.Source, record.RecordId, record.Type.Name, profileId, record.OccurredAt, batch.Now, record.ContentHash, record.PayloadJson, reason, message);

    private static int CompareVersion(ParsedRecord record, SourceRecordRow existing)
    {
        var byTime = record.OccurredAt.CompareTo(existing.OccurredAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(record.ContentHash, existing.ContentHash);
    }

    private static IngestResult Result(IngestOutcome outcome, ParsedRecord record, Guid? profileId, IngestReason reason = IngestReason.None, string? message = null) =>
        new(outcome, record.Source, record.Type.Name, record.RecordId, profileId, reason, message);

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private readonly record struct Resolution(Guid? ProfileId, int LinkIndex, IReadOnlyList<EventWait> Waits, IngestReason Reason, string? Message);
}

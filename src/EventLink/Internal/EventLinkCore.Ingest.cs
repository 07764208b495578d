using System.Text.Json;
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
            var pending = new List<(int Position, ParsedRecord Record, Resolution Resolution)>();
            var quality = new QualityBatch(records.Count);
            try
            {
                for (var i = 0; i < records.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var record = records[i];
                    ArgumentNullException.ThrowIfNull(record);

                    // Data quality (EventLinkCore.Quality.cs): transformations may rewrite the payload or filter the record out.
                    if (await TransformAsync(batch, record, results, i, cancellationToken).ConfigureAwait(false) is not { } transformed)
                    {
                        continue;
                    }

                    record = transformed;
                    if (!RecordParser.TryParse(Schema, record, Options.MaxPayloadBytes, out var parsed, out var rejection))
                    {
                        results[i] = await RejectAsync(batch, record, rejection, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    // Data quality: remember the stored shape; a contract may reject or quarantine the record.
                    quality.Track(i, parsed);
                    if (await EnforceContractAsync(batch, i, parsed, pending, results, cancellationToken).ConfigureAwait(false))
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

            foreach (var result in results)
            {
                if (result.Outcome == IngestOutcome.Quarantined)
                {
                    Log.Quarantined(Logger, result.Source, result.RecordType, result.RecordId!, result.Reason);
                }

                Metrics.RecordsIngested.Add(
                    1,
                    new KeyValuePair<string, object?>("outcome", result.Outcome.ToString()),
                    new KeyValuePair<string, object?>("record_type", result.RecordType),
                    new KeyValuePair<string, object?>("source", result.Source));
            }

            return results;
        }, cancellationToken);

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

            // A profile created by an earlier record of this run may now hold the identity this one waits for.
            if (resolution.ProfileId is null && resolution.Waits.Count > 0 && record.Type.OnUnmatched == UnmatchedPolicy.CreateProfile)
            {
                resolution = Resolve(batch, record);
                if (resolution.ProfileId is { } profileId)
                {
                    await batch.Session.LinkEventAsync(id, profileId, resolution.LinkIndex, cancellationToken).ConfigureAwait(false);
                }
            }

            results[position] = await ApplyResolutionAsync(batch, record, id, resolution, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (_, record, _) in pending)
        {
            record.Dispose();
        }

        pending.Clear();
    }

    private static EventRow ToEventRow(Batch batch, ParsedRecord record, Resolution resolution) => new(
        0,
        record.Source,
        record.RecordId,
        record.Type.Name,
        record.EventName,
        record.OccurredAt,
        batch.Now,
        resolution.ProfileId,
        resolution.LinkIndex,
        resolution.ProfileId is null ? resolution.Reason : IngestReason.None,
        resolution.ProfileId is null ? resolution.Message : null,
        record.PayloadJson);

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

            return Result(IngestOutcome.Linked, record, profileId);
        }

        await session.SetWaitsAsync(eventId, resolution.Waits, cancellationToken).ConfigureAwait(false);
        if (resolution.Waits.Count > 0 && record.Type.OnUnmatched == UnmatchedPolicy.CreateProfile)
        {
            var first = resolution.Waits[0];
            var entity = record.Type.Relations[first.RelationIndex].Target!.Entity;
            var created = await CreateProfileAsync(batch, entity, cancellationToken).ConfigureAwait(false);
            await AttachIdentityAsync(batch, first.Key, created, record, cancellationToken).ConfigureAwait(false);
            return Result(IngestOutcome.Created, record, created);
        }

        return Result(IngestOutcome.Quarantined, record, null, resolution.Reason, resolution.Message);
    }

    /// <summary>Reads an append-only record's relation values in order and finds the first that matches a profile.</summary>
    private Resolution Resolve(Batch batch, ParsedRecord record)
    {
        List<EventWait>? waits = null;
        List<string>? problems = null;
        Span<char> buffer = stackalloc char[IdentityMatcher.BufferLength];
        var relations = record.Type.Relations;
        for (var i = 0; i < relations.Count; i++)
        {
            var relation = relations[i];
            if (record.RelationValue(i) is not { } raw)
            {
                (problems ??= []).Add($"'{relation.Field}' is missing");
                continue;
            }

            switch (IdentityMatcher.Match(Schema, batch.Index, relation.IdentityKind, raw, buffer, out var written, out var profileId))
            {
                case IdentityMatchStatus.Matched:
                    return new Resolution(profileId, relation.Index, (IReadOnlyList<EventWait>?)waits ?? [], IngestReason.None, null);
                case IdentityMatchStatus.Invalid:
                    (problems ??= []).Add($"'{relation.Field}' value '{Shorten(raw)}' is not a valid {relation.IdentityKind.Name}");
                    break;
                case IdentityMatchStatus.Blocked:
                    (problems ??= []).Add($"'{relation.Field}' value '{Shorten(raw)}' is blocked");
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
        var candidates = new List<(Guid Profile, IdentityKey Via)>();
        if (existing?.ProfileId is { } existingProfile)
        {
            candidates.Add((existingProfile, new IdentityKey("record", $"{record.Source}/{record.RecordId}")));
        }

        foreach (var key in keys)
        {
            if (batch.Index.TryGet(key, out var holder) && !candidates.Exists(c => c.Profile == holder))
            {
                candidates.Add((holder, key));
            }
        }

        if (candidates.Count == 0 && keys.Count == 0)
        {
            if (!newer)
            {
                return Result(IngestOutcome.Stale, record, null);
            }

            var message = $"no usable identity: {string.Join("; ", problems)}";
            await session.UpsertSourceRecordAsync(NewVersion(batch, record, null, IngestReason.NoUsableIdentifier, message), cancellationToken).ConfigureAwait(false);
            return Result(IngestOutcome.Quarantined, record, null, IngestReason.NoUsableIdentifier, message);
        }

        var created = false;
        var merged = false;
        Guid survivor;
        if (candidates.Count == 0)
        {
            survivor = await CreateProfileAsync(batch, record.Type.Entity, cancellationToken).ConfigureAwait(false);
            created = true;
        }
        else
        {
            survivor = await ChooseSurvivorAsync(session, candidates, cancellationToken).ConfigureAwait(false);
            foreach (var (profile, via) in candidates)
            {
                if (profile != survivor)
                {
                    await MergeAsync(batch, survivor, profile, via, record, cancellationToken).ConfigureAwait(false);
                    merged = true;
                }
            }
        }

        var newIdentity = false;
        foreach (var key in keys)
        {
            if (!batch.Index.TryGet(key, out _))
            {
                await AttachIdentityAsync(batch, key, survivor, record, cancellationToken).ConfigureAwait(false);
                newIdentity = true;
            }
        }

        var relinked = existing is not null && existing.ProfileId != survivor;
        if (newer)
        {
            await session.UpsertSourceRecordAsync(NewVersion(batch, record, survivor, IngestReason.None, null), cancellationToken).ConfigureAwait(false);
        }
        else if (relinked)
        {
            await session.UpsertSourceRecordAsync(existing! with { ProfileId = survivor, QuarantineReason = IngestReason.None, QuarantineMessage = null }, cancellationToken).ConfigureAwait(false);
        }

        if (newer || merged || relinked)
        {
            await RefreshAttributesAsync(batch, survivor, cancellationToken).ConfigureAwait(false);
        }

        var outcome = created ? IngestOutcome.Created
            : !newer && !merged && !newIdentity && !relinked ? IngestOutcome.Stale
            : IngestOutcome.Updated;
        return Result(outcome, record, survivor);
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

    /// <summary>Gives an unheld identity to a profile and links every event that was waiting for it.</summary>
    private async ValueTask AttachIdentityAsync(Batch batch, IdentityKey key, Guid profileId, ParsedRecord record, CancellationToken cancellationToken)
    {
        await batch.Session.AddIdentityAsync(new IdentityRow(key, profileId, record.Source, record.Type.Name, record.RecordId, record.OccurredAt), cancellationToken).ConfigureAwait(false);
        batch.Index.Set(key, profileId);
        foreach (var pending in await batch.Session.GetWaitsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            if (pending.CurrentLinkIndex < 0 || pending.RelationIndex < pending.CurrentLinkIndex)
            {
                await batch.Session.LinkEventAsync(pending.EventId, profileId, pending.RelationIndex, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The survivor of a unification: the oldest profile, ties broken by id.</summary>
    private static async ValueTask<Guid> ChooseSurvivorAsync(EventLinkStoreSession session, List<(Guid Profile, IdentityKey Via)> candidates, CancellationToken cancellationToken)
    {
        if (candidates.Count == 1)
        {
            return candidates[0].Profile;
        }

        ProfileRow? best = null;
        foreach (var (id, _) in candidates)
        {
            var row = await session.GetProfileAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The store has no profile {id} although its identity index points at it.");
            if (best is null || row.CreatedAt < best.CreatedAt || (row.CreatedAt == best.CreatedAt && row.Id.CompareTo(best.Id) < 0))
            {
                best = row;
            }
        }

        return best!.Id;
    }

    private async ValueTask MergeAsync(Batch batch, Guid survivor, Guid loser, IdentityKey via, ParsedRecord record, CancellationToken cancellationToken)
    {
        var identities = await batch.Session.GetIdentitiesAsync(loser, cancellationToken).ConfigureAwait(false);
        await batch.Session.MergeProfilesAsync(new MergeRow(survivor, loser, via, record.Source, record.Type.Name, record.RecordId, batch.Now), cancellationToken).ConfigureAwait(false);
        foreach (var identity in identities)
        {
            batch.Index.Set(identity.Key, survivor);
        }

        Metrics.ProfilesMerged.Add(1);
        Log.Merged(Logger, loser, survivor, batch.Tenant, via, record.Source, record.RecordId);
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

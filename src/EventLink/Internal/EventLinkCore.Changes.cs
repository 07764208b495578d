using System.Runtime.CompilerServices;
using System.Text.Json;
using EventLink.Destinations.Internal;
using EventLink.Storage;

namespace EventLink.Internal;

/// <summary>
/// The change log (outbox) and suppression hooks of ingestion. Changes are collected per batch and appended to the
/// store at its end, in the same session (so atomically with the data they describe), one entry per linked event and
/// one per changed profile, each with the profile's consent as its merged records state it at that moment.
/// </summary>
internal sealed partial class EventLinkCore
{
    private readonly ConditionalWeakTable<Batch, BatchChanges> _batchChanges = [];

    /// <summary>Gets the syncs, destinations and privacy rules.</summary>
    public SyncSettings Sync { get; init; } = SyncSettings.Empty;

    /// <summary>Notes that an event was linked to a profile (at ingest, or leaving quarantine).</summary>
    private void OnEventLinked(Batch batch, long eventId, Guid profileId)
    {
        if (Sync.RecordsChanges)
        {
            _batchChanges.GetOrCreateValue(batch).Add(ChangeKind.EventLinked, profileId, eventId);
        }
    }

    /// <summary>Notes that a profile was created or updated.</summary>
    private void OnProfileChanged(Batch batch, Guid profileId, bool created)
    {
        OnTraitProfileChanged(batch, profileId); // Traits hook (EventLinkCore.Traits.cs).
        if (Sync.RecordsChanges)
        {
            _batchChanges.GetOrCreateValue(batch).Add(created ? ChangeKind.ProfileCreated : ChangeKind.ProfileUpdated, profileId, null);
        }
    }

    /// <summary>Appends the batch's changes to the change log; profiles merged away meanwhile are reported as their survivor.</summary>
    private async ValueTask FlushChangesAsync(Batch batch, CancellationToken cancellationToken)
    {
        if (!_batchChanges.TryGetValue(batch, out var changes))
        {
            return;
        }

        _batchChanges.Remove(batch);
        var survivors = new Dictionary<Guid, Guid>();
        var consents = new Dictionary<Guid, string?>();
        var profilesSeen = new HashSet<Guid>();
        foreach (var (kind, profileId, eventId) in changes.Items)
        {
            var survivor = await SurvivorAsync(batch.Session, profileId, survivors, cancellationToken).ConfigureAwait(false);
            if (kind != ChangeKind.EventLinked && !profilesSeen.Add(survivor))
            {
                continue;
            }

            if (!consents.TryGetValue(survivor, out var data))
            {
                data = await ProfileConsentJsonAsync(batch.Session, survivor, cancellationToken).ConfigureAwait(false);
                consents[survivor] = data;
            }

            await batch.Session.AppendChangeAsync(new ChangeRow(0, kind, survivor, eventId, data, batch.Now), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask<Guid> SurvivorAsync(EventLinkStoreSession session, Guid profileId, Dictionary<Guid, Guid> cache, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(profileId, out var known))
        {
            return known;
        }

        var current = profileId;
        for (var hops = 0; hops < 10_000; hops++)
        {
            var row = await session.GetProfileAsync(current, cancellationToken).ConfigureAwait(false);
            if (row?.MergedInto is not { } next)
            {
                break;
            }

            current = next;
        }

        cache[profileId] = current;
        return current;
    }

    /// <summary>The consent the profile's merged records state, most restrictive winning, as <c>{"consent":{…}}</c>; null when none is configured.</summary>
    private async ValueTask<string?> ProfileConsentJsonAsync(EventLinkStoreSession session, Guid profileId, CancellationToken cancellationToken)
    {
        if (!Sync.Privacy.HasConsentFields)
        {
            return null;
        }

        var consent = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var record in await session.GetSourceRecordsAsync(profileId, cancellationToken).ConfigureAwait(false))
        {
            Sync.Privacy.ReadConsent(record.RecordType, record.PayloadJson, consent);
        }

        return JsonSerializer.Serialize(new Dictionary<string, object> { ["consent"] = consent.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary() });
    }

    /// <summary>The consent a profile's merged records state now (for items that captured none, such as triggers).</summary>
    internal async ValueTask<string?> ProfileConsentJsonAsync(string tenant, Guid profileId, CancellationToken cancellationToken)
    {
        if (!Sync.Privacy.HasConsentFields)
        {
            return null;
        }

        // A session only read from and never committed: it changes nothing.
        await using var session = await Store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        return await ProfileConsentJsonAsync(session, profileId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the tenant's tombstones, once per batch.</summary>
    private async ValueTask<IReadOnlySet<string>> ReadTombstonesAsync(Batch batch, CancellationToken cancellationToken)
    {
        var holder = _batchChanges.GetOrCreateValue(batch);
        return holder.Tombstones ??= await batch.Session.ReadTombstonesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a record carries an identity (merged types) or relation value (append-only types) of an erased person.</summary>
    private bool IsSuppressed(IReadOnlySet<string> tombstones, ParsedRecord record)
    {
        if (tombstones.Count == 0)
        {
            return false;
        }

        if (record.Type.Kind == RecordKind.Merged)
        {
            return ReadIdentities(record, out _).Exists(key => tombstones.Contains(IdentityHashing.Tombstone(key)));
        }

        foreach (var relation in record.Type.Relations)
        {
            if (record.RelationValue(relation.Index) is { } raw
                && Schema.TryNormalize(relation.IdentityKind.Name, raw, out var key)
                && tombstones.Contains(IdentityHashing.Tombstone(key)))
            {
                return true;
            }
        }

        return false;
    }

    private async ValueTask<IngestResult> SuppressAsync(Batch batch, ParsedRecord record, CancellationToken cancellationToken)
    {
        await batch.Session.AddSuppressionAsync(new SuppressionRow(record.Source, record.Type.Name, record.RecordId, batch.Now), cancellationToken).ConfigureAwait(false);
        return Result(IngestOutcome.Suppressed, record, null, IngestReason.Erased, "the record belongs to an erased person");
    }

    /// <summary>Adds the suppressed counts to a coverage report.</summary>
    private async ValueTask<List<RecordTypeCoverage>> AddSuppressedAsync(string tenant, List<RecordTypeCoverage> rows, CancellationToken cancellationToken)
    {
        var suppressed = await Store.GetSuppressionCountsAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (suppressed.Count == 0)
        {
            return rows;
        }

        var byType = rows.ToDictionary(r => r.RecordType, StringComparer.Ordinal);
        foreach (var (type, count) in suppressed)
        {
            byType[type] = (byType.TryGetValue(type, out var row) ? row : new RecordTypeCoverage(type, 0, 0, 0, 0, 0)) with { Suppressed = count };
        }

        return [.. byType.Values.OrderBy(r => r.RecordType, StringComparer.Ordinal)];
    }

    /// <summary>What a batch noted for the change log, and the tenant's tombstones once read.</summary>
    private sealed class BatchChanges
    {
        private readonly HashSet<long> _events = [];

        public List<(ChangeKind Kind, Guid ProfileId, long? EventId)> Items { get; } = [];

        public IReadOnlySet<string>? Tombstones { get; set; }

        public void Add(ChangeKind kind, Guid profileId, long? eventId)
        {
            if (eventId is not { } id || _events.Add(id))
            {
                Items.Add((kind, profileId, eventId));
            }
        }
    }
}

using System.Text.Json;
using EventLink.IdentityGraph.Internal;
using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.Destinations.Internal;

/// <summary>
/// The change log (outbox). Changes are noted per unit of work and appended to the store once its records are
/// written, in the same session (so atomically with the data they describe), one entry per linked event and one
/// per changed profile, each with the profile's consent as its merged records state it at that moment.
/// </summary>
internal sealed class OutboxObserver(EventLinkCore core) : IBatchObserver
{
    /// <summary>Notes that an event was linked to a profile at ingest.</summary>
    public void OnEventLinked(Batch batch, ParsedRecord record, long eventId, Guid profileId) =>
        batch.GetState<OutboxBatch>().Add(ChangeKind.EventLinked, profileId, eventId);

    /// <summary>Notes that an event left quarantine: for a destination, it is linked now.</summary>
    public void OnEventLeftQuarantine(Batch batch, long eventId, Guid profileId) =>
        batch.GetState<OutboxBatch>().Add(ChangeKind.EventLinked, profileId, eventId);

    /// <summary>Notes that a profile was created or updated.</summary>
    public void OnProfileChanged(Batch batch, Guid profileId, bool created) =>
        batch.GetState<OutboxBatch>().Add(created ? ChangeKind.ProfileCreated : ChangeKind.ProfileUpdated, profileId, null);

    // A merge reaches destinations as changes of the profiles involved, each reported as its survivor.
    public void OnProfileMerged(Batch batch, Guid survivor, Guid merged)
    {
    }

    public ValueTask OnEventMovingAsync(Batch batch, long eventId, Guid? from, bool fromKnown, Guid? to, CancellationToken cancellationToken) => default;

    // An erasure writes its own notice (see ErasureModule).
    public void OnProfileErased(Batch batch, Guid profileId)
    {
    }

    public ValueTask OnCommittingAsync(Batch batch, CancellationToken cancellationToken) => default;

    /// <summary>Appends the batch's changes to the change log; profiles merged away meanwhile are reported as their survivor.</summary>
    public async ValueTask OnRecordsWrittenAsync(Batch batch, CancellationToken cancellationToken)
    {
        if (batch.TakeState<OutboxBatch>() is not { } changes)
        {
            return;
        }

        var survivors = new Dictionary<Guid, Guid>();
        var consents = new Dictionary<Guid, string?>();
        var profilesSeen = new HashSet<Guid>();
        foreach (var (kind, profileId, eventId) in changes.Items)
        {
            var survivor = await MergeChain.SurvivorAsync(batch.Session, profileId, survivors, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The consent the profile's merged records state, most restrictive winning, as <c>{"consent":{…}}</c>; null when none is configured.</summary>
    private async ValueTask<string?> ProfileConsentJsonAsync(EventLinkStoreSession session, Guid profileId, CancellationToken cancellationToken)
    {
        if (!core.Sync.Privacy.HasConsentFields)
        {
            return null;
        }

        var consent = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var record in await session.GetSourceRecordsAsync(profileId, cancellationToken).ConfigureAwait(false))
        {
            core.Sync.Privacy.ReadConsent(record.RecordType, record.PayloadJson, consent);
        }

        return JsonSerializer.Serialize(
            new Dictionary<string, Dictionary<string, bool>> { ["consent"] = consent.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary() },
            EventLinkJsonContext.Default.DictionaryStringDictionaryStringBoolean);
    }

    /// <summary>The consent a profile's merged records state now (for items that captured none, such as triggers).</summary>
    public async ValueTask<string?> ProfileConsentJsonAsync(string tenant, Guid profileId, CancellationToken cancellationToken)
    {
        if (!core.Sync.Privacy.HasConsentFields)
        {
            return null;
        }

        // A session only read from and never committed: it changes nothing.
        await using var session = await core.Store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        return await ProfileConsentJsonAsync(session, profileId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a unit of work noted for the change log.</summary>
    private sealed class OutboxBatch
    {
        private readonly HashSet<long> _events = [];

        public List<(ChangeKind Kind, Guid ProfileId, long? EventId)> Items { get; } = [];

        public void Add(ChangeKind kind, Guid profileId, long? eventId)
        {
            if (eventId is not { } id || _events.Add(id))
            {
                Items.Add((kind, profileId, eventId));
            }
        }
    }
}

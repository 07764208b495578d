using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace EventLink.Storage;

/// <summary>
/// Where EventLink keeps its data. The engine holds all the linking logic and reaches data only through this
/// small abstraction, so every store behaves the same; a store makes each <see cref="EventLinkStoreSession"/>
/// atomic (all of a batch or nothing) and scopes every read and write by tenant.
/// </summary>
/// <remarks>
/// An abstract class rather than an interface so members can be added without breaking stores. A store implements
/// the required core (the abstract members of this class and of <see cref="EventLinkStoreSession"/>) and, for each
/// <see cref="StoreCapabilities"/> it declares in <see cref="Capabilities"/>, that capability's virtual members.
/// </remarks>
public abstract partial class EventLinkStore : IAsyncDisposable, IDisposable
{
    /// <summary>
    /// Gets the optional capabilities the store implements beyond the core. A feature whose capability is missing fails
    /// at start-up; the members of a missing capability keep their defaults (see <see cref="StoreCapabilities"/>).
    /// </summary>
    /// <value>The default value is <see cref="StoreCapabilities.None"/>: the core only.</value>
    public virtual StoreCapabilities Capabilities => StoreCapabilities.None;

    /// <summary>
    /// Creates or migrates the store's schema; called once before first use, and safe to call again. The default does
    /// nothing (a store with nothing to create).
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the store is ready.</returns>
    public virtual ValueTask InitializeAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>
    /// Starts an atomic unit of writes for one tenant. A store lets one session per tenant write at a time
    /// (across processes, when the store is shared); the session's changes become visible on
    /// <see cref="EventLinkStoreSession.CommitAsync"/> and are discarded when it is disposed uncommitted.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The session.</returns>
    public abstract ValueTask<EventLinkStoreSession> BeginAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a unit of writes for one tenant that says what it will write. An <see cref="StoreSessionMode.AppendOnly"/>
    /// session adds events and changes no profile, identity, claim or merged record, so a store shared by several
    /// processes may run such sessions of a tenant side by side (never beside an exclusive one); the default runs every
    /// session exclusively, as <see cref="BeginAsync(string, CancellationToken)"/> does.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="mode">What the session will write.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The session.</returns>
    public virtual ValueTask<EventLinkStoreSession> BeginAsync(string tenant, StoreSessionMode mode, CancellationToken cancellationToken = default) =>
        BeginAsync(tenant, cancellationToken);

    /// <summary>
    /// Gets whether a failure is transient: the unit of work was rolled back whole (a deadlock between writers, a
    /// serialization failure) and running it again may succeed. The engine then runs the batch again, a few times.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> when running the same batch again is expected to work; <see langword="false"/> by default.</returns>
    public virtual bool IsTransient(Exception exception) => false;

    /// <summary>
    /// Finds the profile holding an identity. The default reads every profile with <see cref="ReadProfilesAsync"/>;
    /// stores override it with a lookup by identity.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="key">The normalised identity.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The profile id, or <see langword="null"/>.</returns>
    public virtual async ValueTask<Guid?> FindProfileIdAsync(string tenant, IdentityKey key, CancellationToken cancellationToken = default)
    {
        await foreach (var profile in ReadProfilesAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            if (profile.Identities.Any(i => i.Key == key))
            {
                return profile.Profile.Id;
            }
        }

        return null;
    }

    /// <summary>
    /// Reads a profile; an id that was merged away returns the profile it was merged into. The default follows
    /// <see cref="ProfileRow.MergedInto"/> through a session's <see cref="EventLinkStoreSession.GetProfileAsync"/> (a
    /// session it disposes without committing), then reads every profile with <see cref="ReadProfilesAsync"/>; stores
    /// override it with a read by id.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="profileId">The profile id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The profile, or <see langword="null"/>.</returns>
    public virtual async ValueTask<StoredProfile?> GetProfileAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default)
    {
        Guid live;
        var session = await BeginAsync(tenant, StoreSessionMode.AppendOnly, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var row = await session.GetProfileAsync(profileId, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }

            // Merges form chains, never cycles; the bound only guards a store that broke that rule.
            for (var hops = 0; row.MergedInto is { } next && hops < 10_000; hops++)
            {
                row = await session.GetProfileAsync(next, cancellationToken).ConfigureAwait(false);
                if (row is null)
                {
                    return null;
                }
            }

            live = row.Id;
        }

        await foreach (var profile in ReadProfilesAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            if (profile.Profile.Id == live)
            {
                return profile;
            }
        }

        return null;
    }

    /// <summary>
    /// Finds the live profile an id stands for: the profile itself, or the one it was (transitively) merged into.
    /// The default reads the whole profile with <see cref="GetProfileAsync"/>; stores override it with a query that
    /// follows <c>merged_into</c> only.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="profileId">The profile id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The live profile's id, or <see langword="null"/> when the id is unknown.</returns>
    public virtual async ValueTask<Guid?> ResolveProfileIdAsync(string tenant, Guid profileId, CancellationToken cancellationToken = default)
    {
        var profile = await GetProfileAsync(tenant, profileId, cancellationToken).ConfigureAwait(false);
        return profile?.Profile.Id;
    }

    /// <summary>Streams every live (not merged-away) profile of a tenant, ordered by id.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The profiles.</returns>
    public abstract IAsyncEnumerable<StoredProfile> ReadProfilesAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the events linked to a profile, ordered by occurred-at, then source, then record id. The default reads
    /// every event with <see cref="ReadEventsAsync"/>; stores override it with a query by profile.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="profileId">The (surviving) profile id.</param>
    /// <param name="query">The window and filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The events.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    public virtual async IAsyncEnumerable<EventRow> ReadTimelineAsync(string tenant, Guid profileId, TimelineQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var events = new List<EventRow>();
        await foreach (var row in ReadEventsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            if (row.ProfileId == profileId && query.Matches(row.Source, row.RecordType, row.OccurredAt, row.RecordId))
            {
                events.Add(row);
            }
        }

        var ordered = events
            .OrderBy(e => e.OccurredAt)
            .ThenBy(e => e.Source, StringComparer.Ordinal)
            .ThenBy(e => e.RecordId, StringComparer.Ordinal)
            .Take(query.Limit ?? int.MaxValue);
        foreach (var row in ordered)
        {
            yield return row;
        }
    }

    /// <summary>Streams every stored event of a tenant (linked or quarantined), ordered by source then record id.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The events.</returns>
    public abstract IAsyncEnumerable<EventRow> ReadEventsAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>Streams the quarantine: quarantined events and quarantined merged records, ordered by record type, source, record id.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="recordType">Only this record type, when not <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The quarantined records.</returns>
    public abstract IAsyncEnumerable<QuarantineEntry> ReadQuarantineAsync(string tenant, string? recordType, CancellationToken cancellationToken = default);

    /// <summary>Streams the rejection notes of a tenant, ordered by record type, source, key.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The notes.</returns>
    public abstract IAsyncEnumerable<RejectionRow> ReadRejectionsAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts records per record type for coverage: events and merged records, linked (with their distinct profiles) or
    /// quarantined, and rejection notes. The default reads them all with <see cref="ReadEventsAsync"/>,
    /// <see cref="ReadProfilesAsync"/>, <see cref="ReadQuarantineAsync"/> and <see cref="ReadRejectionsAsync"/>;
    /// stores override it with one aggregate query.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts, one entry per record type seen, ordered by record type.</returns>
    public virtual async ValueTask<IReadOnlyList<CoverageCounts>> GetCoverageCountsAsync(string tenant, CancellationToken cancellationToken = default)
    {
        var counts = new SortedDictionary<string, CoverageTally>(StringComparer.Ordinal);
        CoverageTally Of(string recordType) =>
            counts.TryGetValue(recordType, out var tally) ? tally : counts[recordType] = new CoverageTally();

        await foreach (var row in ReadEventsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            Of(row.RecordType).Count(row.ProfileId);
        }

        await foreach (var profile in ReadProfilesAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            foreach (var record in profile.Records)
            {
                Of(record.RecordType).Count(profile.Profile.Id);
            }
        }

        await foreach (var entry in ReadQuarantineAsync(tenant, null, cancellationToken).ConfigureAwait(false))
        {
            if (entry.EventId is null)
            {
                Of(entry.Record.RecordType).Count(null);
            }
        }

        await foreach (var rejection in ReadRejectionsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            Of(rejection.RecordType).Rejected++;
        }

        return [.. counts.Select(p => new CoverageCounts(p.Key, p.Value.Linked, p.Value.Quarantined, p.Value.Rejected, p.Value.Profiles.Count))];
    }

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Releases the store synchronously, as a service provider disposed with <c>Dispose</c> does. The default waits for
    /// <see cref="DisposeAsync"/>; a store whose release can be done synchronously overrides it.
    /// </summary>
    public virtual void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The counts of one record type while <see cref="GetCoverageCountsAsync"/> reads the tenant.</summary>
    private sealed class CoverageTally
    {
        public long Linked { get; private set; }

        public long Quarantined { get; private set; }

        public long Rejected { get; set; }

        public HashSet<Guid> Profiles { get; } = [];

        public void Count(Guid? profileId)
        {
            if (profileId is { } id)
            {
                Linked++;
                Profiles.Add(id);
            }
            else
            {
                Quarantined++;
            }
        }
    }
}

/// <summary>What a store session will write (see <see cref="EventLinkStore.BeginAsync(string, StoreSessionMode, CancellationToken)"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StoreSessionMode>))]
public enum StoreSessionMode
{
    /// <summary>Anything: profiles, identities, claims, merged records and events. One such session per tenant at a time.</summary>
    Exclusive,

    /// <summary>
    /// New events only (linked through the identity index as it was when the session began, or quarantined), with their
    /// waits, rejections and data-quality counts: no profile, identity, claim or merged record changes, so the tenant's
    /// version does not change. Such sessions of a tenant may run side by side, never beside an exclusive one.
    /// </summary>
    AppendOnly,
}

/// <summary>What a batch is about to read, given to <see cref="EventLinkStoreSession.PrefetchAsync"/>.</summary>
/// <param name="Records">The merged source records the batch carries, as <see cref="ClaimKind.Record"/> claim keys (source and record id).</param>
/// <param name="Events">The source record ids an event may hold: those of the append-only records the batch carries and of its merged records (the record-id rule asks whether an event holds them), as <see cref="ClaimKind.Event"/> claim keys.</param>
/// <param name="Identities">The normalised identities the merged records carry.</param>
public sealed record BatchReadSet(IReadOnlyList<ClaimKey> Records, IReadOnlyList<ClaimKey> Events, IReadOnlyList<IdentityKey> Identities);

/// <summary>A quarantined record and where the store keeps it.</summary>
/// <param name="EventId">The event's store id, or <see langword="null"/> for a quarantined merged record.</param>
/// <param name="Record">The record.</param>
public sealed record QuarantineEntry(long? EventId, QuarantinedRecord Record);

/// <summary>
/// An atomic unit of writes for one tenant. The engine calls these primitives; a store implements each
/// exactly as documented, inside one transaction, so that every store ends in the same state.
/// </summary>
public abstract partial class EventLinkStoreSession : IAsyncDisposable
{
    /// <summary>
    /// Gets whether the session copies the UTF-8 payload of each event row it keeps (the in-memory store does). The
    /// engine then lends it the bytes it was given, for the duration of the call; any other store gets the text.
    /// </summary>
    internal bool CopiesEventPayloads { get; private protected init; }

    /// <summary>Gets the tenant's change version when the session began: it grows with every committed session that changed something.</summary>
    public abstract long Version { get; }

    /// <summary>
    /// Gets whether the session wants <see cref="PrefetchAsync"/> before a batch is resolved: a store that pays a network
    /// round trip per read (PostgreSQL) loads what the batch will read in one, and answers the batch's reads from
    /// memory; an in-process store (the default) gains nothing from it.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public virtual bool Prefetches => false;

    /// <summary>
    /// Loads, in a bounded number of round trips whatever their number, what a batch is about to read: the merged
    /// source records it names, their claims and profiles, and the claims and waiting events of the identities it
    /// carries. Later reads of the session must return exactly what they would have returned without it (including
    /// the session's own writes); a store that does not override this reads on demand, as before.
    /// </summary>
    /// <param name="reads">The keys the batch will read.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the data is loaded.</returns>
    public virtual ValueTask PrefetchAsync(BatchReadSet reads, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>Streams every identity of the tenant with the profile holding it (for the engine's in-memory index).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The identities.</returns>
    public abstract IAsyncEnumerable<KeyValuePair<IdentityKey, Guid>> ReadIdentityIndexAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads a profile row by id (merged-away profiles included, as they are).</summary>
    /// <param name="profileId">The id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The row, or <see langword="null"/>.</returns>
    public abstract ValueTask<ProfileRow?> GetProfileAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Inserts a new profile.</summary>
    /// <param name="profile">The row.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask CreateProfileAsync(ProfileRow profile, CancellationToken cancellationToken = default);

    /// <summary>Inserts an identity that no profile holds yet. The default calls <see cref="SetIdentityAsync"/>.</summary>
    /// <param name="identity">The row.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public virtual ValueTask AddIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default) =>
        SetIdentityAsync(identity, cancellationToken);

    /// <summary>Reads the identities a profile holds.</summary>
    /// <param name="profileId">The profile.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The identities.</returns>
    public abstract ValueTask<IReadOnlyList<IdentityRow>> GetIdentitiesAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Reads the stored version of a merged source record.</summary>
    /// <param name="source">The source.</param>
    /// <param name="recordId">The source record id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The row, or <see langword="null"/>.</returns>
    public abstract ValueTask<SourceRecordRow?> GetSourceRecordAsync(string source, string recordId, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the stored version of a merged source record (keyed by source and record id).</summary>
    /// <param name="record">The row.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask UpsertSourceRecordAsync(SourceRecordRow record, CancellationToken cancellationToken = default);

    /// <summary>Reads the merged source records of a profile.</summary>
    /// <param name="profileId">The profile.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The rows.</returns>
    public abstract ValueTask<IReadOnlyList<SourceRecordRow>> GetSourceRecordsAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Replaces all merged attributes of a profile.</summary>
    /// <param name="profileId">The profile.</param>
    /// <param name="attributes">The attributes.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask ReplaceAttributesAsync(Guid profileId, IReadOnlyList<AttributeRow> attributes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts an event unless its source and record id are held already: by an event, or by a merged source record
    /// (a source's record id belongs to one record, whatever its kind).
    /// </summary>
    /// <param name="row">The row (its <see cref="EventRow.Id"/> is ignored).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new event's id, or <see langword="null"/> when the id is held already.</returns>
    public abstract ValueTask<long?> TryInsertEventAsync(EventRow row, CancellationToken cancellationToken = default);

    /// <summary>Reads the record types of the events stored under source record ids.</summary>
    /// <param name="keys">The source and record id of each event.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>For each key, in order, the record type of the event stored under it (this session's own inserts included), or <see langword="null"/>.</returns>
    public abstract ValueTask<IReadOnlyList<string?>> GetEventRecordTypesAsync(IReadOnlyList<(string Source, string RecordId)> keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts events in order, skipping any whose source and record id are held already (as
    /// <see cref="TryInsertEventAsync"/> does, or appear earlier in <paramref name="rows"/>). Stores override this to
    /// insert in bulk; the default calls <see cref="TryInsertEventAsync"/> per row.
    /// </summary>
    /// <param name="rows">The rows (their <see cref="EventRow.Id"/> is ignored).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>For each row, in order, the new event's id or <see langword="null"/> for a duplicate.</returns>
    public virtual async ValueTask<IReadOnlyList<long?>> TryInsertEventsAsync(IReadOnlyList<EventRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ids = new long?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            ids[i] = await TryInsertEventAsync(rows[i], cancellationToken).ConfigureAwait(false);
        }

        return ids;
    }

    /// <summary>Records identities an event waits for (replacing any it waited for before).</summary>
    /// <param name="eventId">The event.</param>
    /// <param name="waits">The identities and the relation index each came from.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask SetWaitsAsync(long eventId, IReadOnlyList<EventWait> waits, CancellationToken cancellationToken = default);

    /// <summary>Reads the events waiting for an identity.</summary>
    /// <param name="key">The identity.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The waiting events, ordered by event id.</returns>
    public abstract ValueTask<IReadOnlyList<PendingLink>> GetWaitsAsync(IdentityKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the events waiting for each of several identities, as <see cref="GetWaitsAsync(IdentityKey, CancellationToken)"/>
    /// does for one: a store that pays per statement reads them all at once. The default reads them one by one.
    /// </summary>
    /// <param name="keys">The identities.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>For each identity, at its index, its waiting events ordered by event id.</returns>
    public virtual async ValueTask<IReadOnlyList<IReadOnlyList<PendingLink>>> GetWaitsByIdentitiesAsync(IReadOnlyList<IdentityKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var waits = new IReadOnlyList<PendingLink>[keys.Count];
        for (var i = 0; i < waits.Length; i++)
        {
            waits[i] = await GetWaitsAsync(keys[i], cancellationToken).ConfigureAwait(false);
        }

        return waits;
    }

    /// <summary>Links an event to a profile through a relation, clears its quarantine, and drops its waits with an index at or above <paramref name="relationIndex"/>.</summary>
    /// <param name="eventId">The event.</param>
    /// <param name="profileId">The profile.</param>
    /// <param name="relationIndex">The relation index that matched.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask LinkEventAsync(long eventId, Guid profileId, int relationIndex, CancellationToken cancellationToken = default);

    /// <summary>
    /// Updates the quarantine reason of a quarantined event. The default calls <see cref="UnlinkEventAsync"/>, which
    /// leaves a quarantined event in quarantine with the new reason.
    /// </summary>
    /// <param name="eventId">The event.</param>
    /// <param name="reason">The reason.</param>
    /// <param name="message">The readable explanation.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public virtual ValueTask SetQuarantineAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default) =>
        UnlinkEventAsync(eventId, reason, message, cancellationToken);

    /// <summary>
    /// Merges one profile into another: moves its identities, merged source records and events to the survivor,
    /// deletes its attributes, marks it merged into the survivor and appends the merge to history.
    /// </summary>
    /// <param name="merge">The merge.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask MergeProfilesAsync(MergeRow merge, CancellationToken cancellationToken = default);

    /// <summary>Adds a rejection note unless one with the same source, record type, key and reason exists.</summary>
    /// <param name="rejection">The note.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask AddRejectionAsync(RejectionRow rejection, CancellationToken cancellationToken = default);

    /// <summary>Makes every change of the session durable and visible, atomically.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The tenant's version after the commit.</returns>
    public abstract ValueTask<long> CommitAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends the session, discarding uncommitted changes and releasing the tenant for the next session. The default does
    /// nothing: enough for a session that holds neither a lock nor a connection and applies its writes on commit.
    /// </summary>
    /// <returns>A task.</returns>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

using System.Runtime.CompilerServices;
using EventLink.Storage;
using EventLink.Storage.InMemory;

namespace EventLink.Tests.Storage;

/// <summary>
/// A store written the way a third party would: it derives from <see cref="EventLinkStore"/>, declares no capability and
/// overrides only the abstract core (plus the session's <c>DisposeAsync</c>, which releases what it holds). It keeps its
/// data in an in-memory store it wraps, so each core member is one line.
/// </summary>
internal sealed class CoreOnlyStore : EventLinkStore
{
    private readonly InMemoryEventLinkStore _inner = new();

    /// <summary>Gets or sets how many commits from now fail with a <see cref="TransientFailure"/> (after rolling back).</summary>
    public int TransientCommitFailures { get; set; }

    public override bool IsTransient(Exception exception) => exception is TransientFailure;

    public override ValueTask<EventLinkStoreSession> BeginAsync(string tenant, CancellationToken cancellationToken = default) =>
        BeginCoreAsync(tenant, cancellationToken);

    public override IAsyncEnumerable<StoredProfile> ReadProfilesAsync(string tenant, CancellationToken cancellationToken = default) =>
        _inner.ReadProfilesAsync(tenant, cancellationToken);

    public override IAsyncEnumerable<EventRow> ReadEventsAsync(string tenant, CancellationToken cancellationToken = default) =>
        _inner.ReadEventsAsync(tenant, cancellationToken);

    public override IAsyncEnumerable<QuarantineEntry> ReadQuarantineAsync(string tenant, string? recordType, CancellationToken cancellationToken = default) =>
        _inner.ReadQuarantineAsync(tenant, recordType, cancellationToken);

    public override IAsyncEnumerable<RejectionRow> ReadRejectionsAsync(string tenant, CancellationToken cancellationToken = default) =>
        _inner.ReadRejectionsAsync(tenant, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private async ValueTask<EventLinkStoreSession> BeginCoreAsync(string tenant, CancellationToken cancellationToken) =>
        new Session(await _inner.BeginAsync(tenant, cancellationToken), this);

    /// <summary>A failure after which the whole unit of work was rolled back (as a deadlock on a database).</summary>
    public sealed class TransientFailure() : Exception("simulated deadlock; nothing was committed");

    private sealed class Session(EventLinkStoreSession inner, CoreOnlyStore store) : EventLinkStoreSession
    {
        public override long Version => inner.Version;

        public override IAsyncEnumerable<KeyValuePair<IdentityKey, Guid>> ReadIdentityIndexAsync(CancellationToken cancellationToken = default) =>
            inner.ReadIdentityIndexAsync(cancellationToken);

        public override ValueTask<ProfileRow?> GetProfileAsync(Guid profileId, CancellationToken cancellationToken = default) =>
            inner.GetProfileAsync(profileId, cancellationToken);

        public override ValueTask CreateProfileAsync(ProfileRow profile, CancellationToken cancellationToken = default) =>
            inner.CreateProfileAsync(profile, cancellationToken);

        public override ValueTask<IReadOnlyList<IdentityRow>> GetIdentitiesAsync(Guid profileId, CancellationToken cancellationToken = default) =>
            inner.GetIdentitiesAsync(profileId, cancellationToken);

        public override ValueTask SetIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default) =>
            inner.SetIdentityAsync(identity, cancellationToken);

        public override ValueTask RemoveIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default) =>
            inner.RemoveIdentityAsync(key, cancellationToken);

        public override ValueTask<SourceRecordRow?> GetSourceRecordAsync(string source, string recordId, CancellationToken cancellationToken = default) =>
            inner.GetSourceRecordAsync(source, recordId, cancellationToken);

        public override ValueTask UpsertSourceRecordAsync(SourceRecordRow record, CancellationToken cancellationToken = default) =>
            inner.UpsertSourceRecordAsync(record, cancellationToken);

        public override ValueTask<IReadOnlyList<SourceRecordRow>> GetSourceRecordsAsync(Guid profileId, CancellationToken cancellationToken = default) =>
            inner.GetSourceRecordsAsync(profileId, cancellationToken);

        public override ValueTask ReplaceAttributesAsync(Guid profileId, IReadOnlyList<AttributeRow> attributes, CancellationToken cancellationToken = default) =>
            inner.ReplaceAttributesAsync(profileId, attributes, cancellationToken);

        public override ValueTask<long?> TryInsertEventAsync(EventRow row, CancellationToken cancellationToken = default) =>
            inner.TryInsertEventAsync(row, cancellationToken);

        public override ValueTask<IReadOnlyList<string?>> GetEventRecordTypesAsync(IReadOnlyList<(string Source, string RecordId)> keys, CancellationToken cancellationToken = default) =>
            inner.GetEventRecordTypesAsync(keys, cancellationToken);

        public override ValueTask SetWaitsAsync(long eventId, IReadOnlyList<EventWait> waits, CancellationToken cancellationToken = default) =>
            inner.SetWaitsAsync(eventId, waits, cancellationToken);

        public override ValueTask<IReadOnlyList<PendingLink>> GetWaitsAsync(IdentityKey key, CancellationToken cancellationToken = default) =>
            inner.GetWaitsAsync(key, cancellationToken);

        public override ValueTask LinkEventAsync(long eventId, Guid profileId, int relationIndex, CancellationToken cancellationToken = default) =>
            inner.LinkEventAsync(eventId, profileId, relationIndex, cancellationToken);

        public override ValueTask UnlinkEventAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default) =>
            inner.UnlinkEventAsync(eventId, reason, message, cancellationToken);

        public override ValueTask<IReadOnlyList<EventRow>> GetEventsOfProfileAsync(Guid profileId, CancellationToken cancellationToken = default) =>
            inner.GetEventsOfProfileAsync(profileId, cancellationToken);

        public override ValueTask MergeProfilesAsync(MergeRow merge, CancellationToken cancellationToken = default) =>
            inner.MergeProfilesAsync(merge, cancellationToken);

        public override ValueTask AddHistoryAsync(MergeRow entry, CancellationToken cancellationToken = default) =>
            inner.AddHistoryAsync(entry, cancellationToken);

        public override ValueTask AddRejectionAsync(RejectionRow rejection, CancellationToken cancellationToken = default) =>
            inner.AddRejectionAsync(rejection, cancellationToken);

        public override ValueTask UpsertClaimAsync(ClaimKey key, string recordType, DateTimeOffset occurredAt, IReadOnlyList<IdentityKey> identities, CancellationToken cancellationToken = default) =>
            inner.UpsertClaimAsync(key, recordType, occurredAt, identities, cancellationToken);

        public override ValueTask<ClaimState?> GetClaimAsync(ClaimKey key, CancellationToken cancellationToken = default) =>
            inner.GetClaimAsync(key, cancellationToken);

        public override ValueTask<IReadOnlyList<ClaimKey>> GetClaimsByIdentityAsync(IdentityKey identity, CancellationToken cancellationToken = default) =>
            inner.GetClaimsByIdentityAsync(identity, cancellationToken);

        public override ValueTask<long> CommitAsync(CancellationToken cancellationToken = default)
        {
            if (store.TransientCommitFailures > 0)
            {
                // Not committed: disposing the session rolls back what it wrote.
                store.TransientCommitFailures--;
                throw new TransientFailure();
            }

            return inner.CommitAsync(cancellationToken);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}

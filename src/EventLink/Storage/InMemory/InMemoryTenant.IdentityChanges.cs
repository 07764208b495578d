namespace EventLink.Storage.InMemory;

/// <summary>The journal of identity changes of one tenant, for processes' indexes to catch up (see <see cref="EventLinkStoreSession.ReadIdentityChangesAsync"/>).</summary>
internal sealed partial class InMemoryTenant
{
    /// <summary>Gets the identities changed, with the version of the commit that changed them, oldest first (versions never decrease).</summary>
    public List<(long Version, IdentityKey Key)> IdentityJournal { get; } = [];

    /// <summary>Gets or sets the oldest version the journal can answer from: compaction and erasures move it up.</summary>
    public long IdentityJournalFrom { get; set; }
}

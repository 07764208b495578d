namespace EventLink.Storage.InMemory;

/// <summary>Computed traits, audience memberships and the trigger log of one tenant.</summary>
internal sealed partial class InMemoryTenant
{
    public Dictionary<Guid, ComputedStateRow> Computed { get; } = [];

    /// <summary>
    /// Gets the due-time index: (due, profile) for each due time saved. An entry whose profile no longer has that due
    /// time is stale and dropped when a read meets it, so due profiles are read without a scan of every profile.
    /// </summary>
    public SortedSet<(DateTimeOffset Due, Guid ProfileId)> DueIndex { get; } = [];

    public List<TriggerRow> Triggers { get; } = [];

    public long NextTriggerSequence { get; set; } = 1;
}

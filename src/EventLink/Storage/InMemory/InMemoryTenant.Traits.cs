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

    /// <summary>
    /// Gets the trigger log: each entry as appended (its sequence as given, which the engine leaves zero) with the
    /// sequence assigned, so that an append keeps the row rather than a copy; a read gives rows with their sequence.
    /// </summary>
    public List<(long Sequence, TriggerRow Row)> Triggers { get; } = [];

    public long NextTriggerSequence { get; set; } = 1;
}

namespace EventLink.Storage.InMemory;

/// <summary>The change log, sync progress, tombstones and suppressions of one tenant.</summary>
internal sealed partial class InMemoryTenant
{
    public List<ChangeRow> Changes { get; } = [];

    public long NextChangeSequence { get; set; } = 1;

    public HashSet<string> Tombstones { get; } = new(StringComparer.Ordinal);

    public Dictionary<RecordKey, SuppressionRow> Suppressions { get; } = [];

    public Dictionary<string, SyncStateRow> SyncStates { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<(string Sync, long Sequence), DeadLetterRow> DeadLetters { get; } = [];
}

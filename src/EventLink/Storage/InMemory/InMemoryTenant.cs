namespace EventLink.Storage.InMemory;

/// <summary>The data of one tenant in the in-memory store. Guarded by <see cref="Gate"/>.</summary>
internal sealed partial class InMemoryTenant
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public long Version { get; set; }

    public long NextEventId { get; set; } = 1;

    public Dictionary<Guid, ProfileRow> Profiles { get; } = [];

    public Dictionary<IdentityKey, IdentityRow> Identities { get; } = [];

    public Dictionary<Guid, HashSet<IdentityKey>> IdentitiesByProfile { get; } = [];

    public Dictionary<RecordKey, SourceRecordRow> SourceRecords { get; } = [];

    public Dictionary<Guid, HashSet<RecordKey>> SourceRecordsByProfile { get; } = [];

    public Dictionary<Guid, IReadOnlyList<AttributeRow>> Attributes { get; } = [];

    public Dictionary<long, EventRow> Events { get; } = [];

    /// <summary>Gets where the UTF-8 payloads of the events are kept.</summary>
    public PayloadSlab Payloads { get; } = new();

    public Dictionary<RecordKey, long> EventKeys { get; } = [];

    public Dictionary<Guid, HashSet<long>> EventsByProfile { get; } = [];

    public Dictionary<IdentityKey, List<(long EventId, int Index)>> Waits { get; } = [];

    public Dictionary<long, List<EventWait>> WaitsByEvent { get; } = [];

    public Dictionary<Guid, List<MergeRow>> MergeHistory { get; } = [];

    public Dictionary<(string Source, string RecordType, string Key, IngestReason Reason), RejectionRow> Rejections { get; } = [];

    public Dictionary<ClaimKey, InMemoryClaim> Claims { get; } = [];

    public Dictionary<IdentityKey, HashSet<ClaimKey>> ClaimsByIdentity { get; } = [];

    public Dictionary<ClaimKey, List<ConflictRow>> Conflicts { get; } = [];

    public Dictionary<IdentityKey, DateTimeOffset> UnmergeRules { get; } = [];

    public HashSet<MembershipRow> Memberships { get; } = [];
}

/// <summary>A claim of the in-memory store.</summary>
internal sealed class InMemoryClaim(string recordType, DateTimeOffset firstOccurredAt)
{
    public string RecordType { get; } = recordType;

    public DateTimeOffset FirstOccurredAt { get; set; } = firstOccurredAt;

    public SortedSet<IdentityKey> Identities { get; } = [];
}

/// <summary>The key of a source record: its source and the source's id.</summary>
internal readonly record struct RecordKey(string Source, string RecordId);

/// <summary>Helpers for the in-memory collections.</summary>
internal static class InMemoryCollections
{
    public static void AddTo<TKey, TValue>(this Dictionary<TKey, HashSet<TValue>> map, TKey key, TValue value)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var set))
        {
            set = [];
            map[key] = set;
        }

        set.Add(value);
    }

    public static void RemoveFrom<TKey, TValue>(this Dictionary<TKey, HashSet<TValue>> map, TKey key, TValue value)
        where TKey : notnull
    {
        if (map.TryGetValue(key, out var set) && set.Remove(value) && set.Count == 0)
        {
            map.Remove(key);
        }
    }
}

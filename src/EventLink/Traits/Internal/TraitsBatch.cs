namespace EventLink.Traits.Internal;

/// <summary>What a unit of work reported through the hooks.</summary>
internal sealed class TraitsBatch
{
    public List<(Guid ProfileId, EventFacts Facts)> Linked { get; } = [];

    public HashSet<Guid> Recompute { get; } = [];

    public HashSet<Guid> Touched { get; } = [];

    public List<Guid> MergedAway { get; } = [];

    public HashSet<long> LeftQuarantine { get; } = [];

    public int Transitions { get; set; }

    /// <summary>Gets or sets the tenant's cached states, checked against the store version when first used in the unit of work.</summary>
    public ComputedCache.TenantEntries? Cached { get; set; }

    /// <summary>Gets the cached decoded states this unit of work holds and updates in place, in the order first held (each evaluated before commit, even without other facts).</summary>
    public List<HeldEntry> Taken { get; } = [];

    /// <summary>Gets or sets whether a profile was erased (its computed state deleted past the cache).</summary>
    public bool Erased { get; set; }

    /// <summary>Gets or sets the audience context the unit of work's profiles are evaluated with, one after the other.</summary>
    public AudienceContext? Context { get; set; }

    /// <summary>Gets the profiles updated, with their state as written: kept in the cache once the unit of work commits.</summary>
    public List<(Guid ProfileId, ComputedEntry Entry)> Computed { get; } = [];

    /// <summary>Gets, before commit, the surviving profile of each profile involved (merges).</summary>
    public Dictionary<Guid, Guid> Survivors { get; } = [];

    /// <summary>Gets, before commit, the surviving profiles to recompute from history.</summary>
    public HashSet<Guid> RecomputeSurvivors { get; } = [];

    /// <summary>Gets, before commit, the facts to apply to each profile.</summary>
    public Dictionary<Guid, List<EventFacts>> Incremental { get; } = [];

    /// <summary>Gets, before commit, the profiles to update, in order.</summary>
    public List<Guid> Order { get; } = [];

    /// <summary>Empties every collection (kept with its capacity) for the next unit of work.</summary>
    public void Clear()
    {
        Linked.Clear();
        Recompute.Clear();
        Touched.Clear();
        MergedAway.Clear();
        LeftQuarantine.Clear();
        Transitions = 0;
        Cached = null;
        Taken.Clear();
        Erased = false;
        Computed.Clear();
        Survivors.Clear();
        RecomputeSurvivors.Clear();
        Incremental.Clear();
        Order.Clear();
    }
}

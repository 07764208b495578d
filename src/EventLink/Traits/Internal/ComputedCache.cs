using System.Collections.Concurrent;
using EventLink.Storage;

namespace EventLink.Traits.Internal;

/// <summary>
/// What is computed about one profile, decoded: the trait states, which of them changed since they were stored, the
/// audience memberships by audience index, and what is stored (the memberships, any trait rows of the unpacked form,
/// the due time), so that an update writes only what differs.
/// </summary>
internal sealed class ComputedEntry(TraitState[] states, AudienceMemberRow?[] members, ComputedStateRow stored)
{
    public TraitState[] States { get; } = states;

    /// <summary>Gets, per trait, whether its state changed since it was stored (the audiences reading it are evaluated, the state written).</summary>
    public bool[] Changed { get; } = new bool[states.Length];

    public AudienceMemberRow?[] Members { get; } = members;

    /// <summary>
    /// Gets or sets what is stored for the profile, as read or last written (the trait rows of the unpacked form only
    /// while no packed state replaced them): the next write's <c>previous</c>, so that a store writes only what differs.
    /// </summary>
    public ComputedStateRow Stored { get; set; } = stored.State is not null && stored.Traits.Count > 0 ? stored with { Traits = [] } : stored;
}

/// <summary>
/// The decoded computed state of recently updated profiles, per tenant, across units of work. As the identity index,
/// it is valid for one store version: a commit by anyone else (another process, a refresh, an erasure) moves the
/// version and empties it. A unit of work takes out the entries it updates and puts them back only once it has
/// committed, so a rolled-back one leaves nothing behind.
/// </summary>
internal sealed class ComputedCache(int capacity)
{
    private readonly ConcurrentDictionary<string, TenantEntries> _tenants = new(StringComparer.Ordinal);

    /// <summary>The tenant's entries if they were kept at <paramref name="version"/>, else an emptied set (units of work of a tenant are serial).</summary>
    public TenantEntries For(string tenant, long version)
    {
        var entries = _tenants.GetOrAdd(tenant, static _ => new TenantEntries());
        if (entries.Version != version)
        {
            entries.Clear();
        }

        return entries;
    }

    /// <summary>After a commit at <paramref name="version"/>: keeps what the unit of work computed.</summary>
    public void Keep(string tenant, long version, List<(Guid ProfileId, ComputedEntry Entry)> computed)
    {
        var entries = _tenants.GetOrAdd(tenant, static _ => new TenantEntries());
        foreach (var (profileId, entry) in computed)
        {
            if (entries.Count >= capacity)
            {
                entries.Trim(capacity / 4);
            }

            entries[profileId] = entry;
        }

        entries.Version = version;
    }

    /// <summary>Forgets a tenant's entries (a unit of work changed computed state the cache cannot follow).</summary>
    public void Forget(string tenant)
    {
        if (_tenants.TryGetValue(tenant, out var entries))
        {
            entries.Clear();
        }
    }

    internal sealed class TenantEntries : Dictionary<Guid, ComputedEntry>
    {
        public long Version { get; set; } = -1;

        public new void Clear()
        {
            base.Clear();
            Version = -1;
        }

        /// <summary>Drops about <paramref name="count"/> entries (any: the cache only saves decoding).</summary>
        public void Trim(int count)
        {
            foreach (var key in Keys.Take(count).ToList())
            {
                Remove(key);
            }
        }
    }
}

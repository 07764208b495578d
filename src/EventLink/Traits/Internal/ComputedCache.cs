using System.Collections.Concurrent;
using EventLink.Storage;

namespace EventLink.Traits.Internal;

/// <summary>
/// What is computed about one profile, decoded: the trait states, which of them changed since they were stored, the
/// audience memberships by audience index, and what is stored (the memberships, any trait rows of the unpacked form,
/// the due time), so that an update writes only what differs.
/// </summary>
internal sealed class ComputedEntry
{
    /// <summary>Initializes an entry from decoded states, memberships by audience, and what is stored.</summary>
    public ComputedEntry(TraitState[] states, AudienceMemberRow?[] members, ComputedStateRow stored)
    {
        States = states;
        Changed = new bool[states.Length];
        Members = members;
        Written(stored);
    }

    public TraitState[] States { get; }

    /// <summary>Gets, per trait, whether its state changed since it was stored (the audiences reading it are evaluated, the state written).</summary>
    public bool[] Changed { get; }

    public AudienceMemberRow?[] Members { get; }

    /// <summary>Gets the memberships as stored (the same list while they do not change).</summary>
    public IReadOnlyList<AudienceMemberRow> StoredAudiences { get; private set; } = [];

    /// <summary>Gets the due time as stored.</summary>
    public DateTimeOffset? StoredDueAt { get; private set; }

    /// <summary>Gets the trait rows of the unpacked form as stored (none once a packed state replaced them).</summary>
    public IReadOnlyList<TraitStateRow> StoredTraits { get; private set; } = [];

    /// <summary>
    /// Gets what is stored for the profile, as read or last written, for the next write's <c>previous</c> (so that a
    /// store writes only what differs): the memberships, the due time and any trait rows of the unpacked form, not the
    /// packed state (opaque to stores).
    /// </summary>
    /// <remarks>
    /// The entry keeps those fields, not the row: a cached entry lives long (it is in the oldest generation), and a row
    /// it kept would be a new object it points to after each write, which every young collection would then have to
    /// find (through the entry's card) and promote. The row is made when a write needs it and dies young.
    /// </remarks>
    public ComputedStateRow Previous => StoredTraits.Count == 0 && StoredAudiences.Count == 0 && StoredDueAt is null
        ? ComputedStateRow.Empty
        : new ComputedStateRow(StoredTraits, StoredAudiences, StoredDueAt);

    /// <summary>
    /// Gets or sets the unit of work that updates the entry in place and has not committed yet (null: none). The entry
    /// stays in the cache meanwhile; one held by a unit of work that never committed is wrong and is dropped when next met.
    /// </summary>
    public object? Holder { get; set; }

    /// <summary>Gets or sets where the entry is among its holder's held entries (where the row it prepared is kept).</summary>
    public int HeldAt { get; set; }

    /// <summary>
    /// Gets or sets whether the unit of work holding the entry evaluated it as its events were linked, while its state
    /// was at hand (the row it keeps for the entry and <see cref="PreparedMembers"/> are then what it writes, unless
    /// something else changes the profile before commit).
    /// </summary>
    public bool Prepared { get; set; }

    /// <summary>Gets or sets the memberships by audience the last evaluation gives (the stored ones are <see cref="Members"/> until written).</summary>
    public AudienceMemberRow?[]? PreparedMembers { get; set; }

    /// <summary>Notes <paramref name="row"/> as what is stored for the profile now.</summary>
    public void Written(ComputedStateRow row)
    {
        StoredTraits = row.State is not null ? [] : row.Traits;
        StoredAudiences = row.Audiences;
        StoredDueAt = row.DueAt;
    }
}

/// <summary>
/// A cached entry a unit of work holds, with the row its evaluation at link time gave to write (null: nothing
/// changed, or not evaluated yet): the row is kept here, with the unit of work, rather than by the long-lived entry.
/// </summary>
internal struct HeldEntry(Guid profileId, ComputedEntry entry)
{
    public readonly Guid ProfileId = profileId;

    public readonly ComputedEntry Entry = entry;

    public ComputedStateRow? PreparedRow;
}

/// <summary>
/// The decoded computed state of recently updated profiles, per tenant, across units of work. As the identity index,
/// it is valid for one store version: a commit by anyone else (another process, a refresh, an erasure) moves the
/// version and empties it. A unit of work holds the entries it updates in place (<see cref="ComputedEntry.Holder"/>)
/// and lets go of them once it has committed, so an entry a rolled-back one updated is never used again.
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

    /// <summary>
    /// After a commit at <paramref name="version"/>: keeps what the unit of work (<paramref name="holder"/>) computed,
    /// and lets go of the entries it held (those it computed are still in the cache: only additions trim it).
    /// </summary>
    public void Keep(string tenant, long version, object holder, List<(Guid ProfileId, ComputedEntry Entry)> computed, List<HeldEntry> held)
    {
        var entries = _tenants.GetOrAdd(tenant, static _ => new TenantEntries());
        foreach (var (profileId, entry) in computed)
        {
            if (entry.Holder == holder)
            {
                entry.Holder = null;
                continue;
            }

            if (entries.Count >= capacity)
            {
                entries.Trim(capacity / 4);
            }

            entries[profileId] = entry;
        }

        foreach (var taken in held)
        {
            var entry = taken.Entry;
            if (entry.Holder == holder)
            {
                entry.Holder = null; // Held but not computed again (replaced by a recomputation, or its profile merged away).
            }
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

        /// <summary>
        /// The cached entry of <paramref name="profileId"/> for <paramref name="holder"/> to update in place (noted in
        /// <paramref name="held"/> when first held), or null when none is usable.
        /// </summary>
        public ComputedEntry? Hold(Guid profileId, object holder, List<HeldEntry> held)
        {
            if (!TryGetValue(profileId, out var entry))
            {
                return null;
            }

            if (entry.Holder is null)
            {
                entry.Holder = holder;
                entry.Prepared = false;
                entry.HeldAt = held.Count;
                held.Add(new HeldEntry(profileId, entry));
                return entry;
            }

            if (entry.Holder == holder)
            {
                return entry;
            }

            Remove(profileId); // Updated by a unit of work that rolled back.
            return null;
        }

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

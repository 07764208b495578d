namespace EventLink;

/// <summary>
/// The engine's in-memory map from normalised identity to profile id, one per tenant: the hot path of every
/// link. Lookups take the normalised value as a span, so matching allocates nothing.
/// </summary>
internal sealed class IdentityIndex
{
    private readonly Dictionary<string, KindMap> _kinds = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the store version this index reflects.</summary>
    public long Version { get; set; }

    /// <summary>Gets the number of identities held.</summary>
    public int Count { get; private set; }

    public bool TryGet(string kind, ReadOnlySpan<char> normalizedValue, out Guid profileId)
    {
        if (_kinds.TryGetValue(kind, out var map))
        {
            return map.Lookup.TryGetValue(normalizedValue, out profileId);
        }

        profileId = Guid.Empty;
        return false;
    }

    public bool TryGet(IdentityKey key, out Guid profileId) => TryGet(key.Kind, key.Value, out profileId);

    public void Set(IdentityKey key, Guid profileId)
    {
        if (!_kinds.TryGetValue(key.Kind, out var map))
        {
            map = new KindMap();
            _kinds[key.Kind] = map;
        }

        if (map.Values.TryAdd(key.Value, profileId))
        {
            Count++;
        }
        else
        {
            map.Values[key.Value] = profileId;
        }
    }

    public void Remove(IdentityKey key)
    {
        if (_kinds.TryGetValue(key.Kind, out var map) && map.Values.Remove(key.Value))
        {
            Count--;
        }
    }

    private sealed class KindMap
    {
        public KindMap()
        {
            Lookup = Values.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public Dictionary<string, Guid> Values { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Guid>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }
    }
}

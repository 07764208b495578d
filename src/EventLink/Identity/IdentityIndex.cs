using System.Runtime.CompilerServices;

namespace EventLink;

/// <summary>
/// The engine's in-memory map from normalised identity to profile id, one per tenant: the hot path of every
/// link. Each identity kind has its own compact <see cref="IdentityTable"/> (about 60 bytes per e-mail instead
/// of 200+ for a <c>Dictionary&lt;string, Guid&gt;</c>), and lookups take the normalised value as a span, so
/// matching allocates nothing.
/// </summary>
internal sealed class IdentityIndex
{
    // A handful of kinds per schema: a linear scan that usually hits on reference equality beats hashing the name.
    private IdentityTable[] _tables = [];
    private string[] _kinds = [];

    /// <summary>Gets or sets the store version this index reflects.</summary>
    public long Version { get; set; }

    /// <summary>Gets the number of identities held.</summary>
    public int Count { get; private set; }

    // Inlined into the match path: each extra call frame between two lookups costs more than its few instructions,
    // because it keeps the CPU from overlapping one lookup's cache misses with the next one's.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(string kind, ReadOnlySpan<char> normalizedValue, out Guid profileId)
    {
        if (Find(kind) is { } table)
        {
            return table.TryGet(normalizedValue, out profileId);
        }

        profileId = Guid.Empty;
        return false;
    }

    public bool TryGet(IdentityKey key, out Guid profileId) => TryGet(key.Kind, key.Value, out profileId);

    public void Set(IdentityKey key, Guid profileId)
    {
        var table = Find(key.Kind);
        if (table is null)
        {
            table = new IdentityTable();
            _kinds = [.. _kinds, key.Kind];
            _tables = [.. _tables, table];
        }

        if (table.Set(key.Value, profileId))
        {
            Count++;
        }
    }

    public void Remove(IdentityKey key)
    {
        if (Find(key.Kind) is { } table && table.Remove(key.Value))
        {
            Count--;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private IdentityTable? Find(string kind)
    {
        var kinds = _kinds;
        for (var i = 0; i < kinds.Length; i++)
        {
            if (ReferenceEquals(kinds[i], kind))
            {
                return _tables[i];
            }
        }

        return FindByValue(kind);
    }

    private IdentityTable? FindByValue(string kind)
    {
        var kinds = _kinds;
        for (var i = 0; i < kinds.Length; i++)
        {
            if (string.Equals(kinds[i], kind, StringComparison.Ordinal))
            {
                return _tables[i];
            }
        }

        return null;
    }
}

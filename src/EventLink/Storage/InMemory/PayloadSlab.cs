namespace EventLink.Storage.InMemory;

/// <summary>
/// Keeps the UTF-8 payloads of a tenant's events in large shared chunks rather than one array each. A chunk is
/// allocated on the large-object heap, which the garbage collector neither copies nor compacts: the bulk of the
/// stored data is not moved as it ages (an array per payload is copied twice, into generations 1 and 2).
/// </summary>
/// <remarks>
/// Written by the tenant's one session at a time; a copy never changes once made, so readers need no lock. Space
/// is not reused: a deleted event's bytes stay in their chunk, unreachable, until the chunk's last event is gone.
/// </remarks>
internal sealed class PayloadSlab
{
    // At least the large-object threshold (85,000 bytes); a payload over a quarter of it gets an array of its own.
    private const int ChunkSize = 256 * 1024;
    private const int MaxShared = ChunkSize / 4;

    private byte[]? _chunk;
    private int _used;

    /// <summary>Copies a payload into the slab.</summary>
    /// <param name="payload">The payload.</param>
    /// <returns>The copy.</returns>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxShared)
        {
            return payload.ToArray();
        }

        if (_chunk is null || _chunk.Length - _used < payload.Length)
        {
            _chunk = GC.AllocateUninitializedArray<byte>(ChunkSize);
            _used = 0;
        }

        payload.CopyTo(_chunk.AsSpan(_used));
        var copy = new ReadOnlyMemory<byte>(_chunk, _used, payload.Length);
        _used += payload.Length;
        return copy;
    }
}

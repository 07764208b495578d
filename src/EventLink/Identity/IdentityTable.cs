using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace EventLink;

/// <summary>
/// A compact hash table from normalised identity value to profile id, for one identity kind.
/// </summary>
/// <remarks>
/// <para>
/// Millions of identities per tenant live in memory, so the layout is what a <c>Dictionary&lt;string, Guid&gt;</c>
/// cannot be: each value is stored once as a record <c>[UTF-8 length][UTF-8 bytes][profile id]</c> in large
/// byte pages instead of a string object and a dictionary entry; an open-addressing slot array holds
/// <c>(hash &lt;&lt; 32) | (record offset + 1)</c>, so a probe compares hashes without leaving the slot's cache
/// line. A hit costs two dependent cache misses (slot, record) where a dictionary pays three (bucket, entry,
/// key string), with ~60 instead of ~125 bytes per e-mail.
/// </para>
/// <para>
/// The profile id sits in the record rather than behind an int handle: a shared handle table would need its own
/// Guid → handle map to deduplicate, which costs more than the 12 bytes it saves per identity, and an extra miss.
/// </para>
/// <para>
/// Hashing is on the match path of every event, so it is short: a multiply-rotate hash over the UTF-16 value,
/// eight bytes at a time, keyed with a random per-table seed, that also tells in the same pass whether the value
/// is ASCII (then the record's UTF-8 bytes are compared with the chars in place, without transcoding). Like
/// <c>Dictionary&lt;string, TValue&gt;</c>, which starts with a non-randomised hash, the table watches for
/// flooding: when one insert probes more than <see cref="FloodProbeLimit"/> slots it rehashes every value
/// with the randomised ordinal string hash (Marvin) and keeps that for good. Values that are not well-formed
/// UTF-16 (lone surrogates) cannot round-trip through UTF-8; they go to a small ordinary dictionary.
/// </para>
/// </remarks>
internal sealed class IdentityTable
{
    /// <summary>An insert probing more slots than this switches the table to the randomised hash.</summary>
    /// <remarks>Far above the longest run linear probing produces at its 75 % load on millions of values.</remarks>
    internal const int FloodProbeLimit = 1024;

    private const int PageBits = 20;
    private const int MaxPageSize = 1 << PageBits;
    private const int FirstPageSize = 4096;
    private const int MaxPages = 1 << (31 - PageBits);
    private const int MaxStackBytes = 1536;

    private const int GuidSize = 16;

    private const ulong LengthMultiplier = 0x9E37_79B9_7F4A_7C15UL;
    private const ulong WordMultiplier = 0xBF58_476D_1CE4_E5B9UL;
    private const ulong FinalMultiplier = 0x94D0_49BB_1331_11EBUL;
    private const ulong NonAsciiBits = 0xFF80_FF80_FF80_FF80UL;

    private readonly ulong _seed = (ulong)Random.Shared.NextInt64();
    private bool _randomizedHash;
    private ulong[] _slots = new ulong[16];
    private int _count;
    private byte[][] _pages = new byte[4][];
    private int _pageCount;
    private int _pagePosition;
    private long _liveBytes;
    private long _deadBytes;
    private Dictionary<string, Guid>? _irregular;

    /// <summary>Gets the number of values held.</summary>
    public int Count => _count + (_irregular?.Count ?? 0);

    /// <summary>Gets whether flooding was detected and the table now hashes with the randomised string hash.</summary>
    internal bool UsesRandomizedHash => _randomizedHash;

    /// <summary>Finds the profile holding a normalised value.</summary>
    public bool TryGet(ReadOnlySpan<char> value, out Guid profileId)
    {
        var hash = Hash(value, out var ascii);

        // Nearly every identity is ASCII, whose UTF-8 bytes are its chars: compare in place instead of transcoding.
        return ascii ? TryGetAscii(hash, value, out profileId) : TryGetTranscoded(hash, value, out profileId);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryGetTranscoded(uint hash, ReadOnlySpan<char> value, out Guid profileId)
    {
        byte[]? rented = null;
        var bytes = value.Length * 3 <= MaxStackBytes
            ? stackalloc byte[value.Length * 3]
            : (rented = ArrayPool<byte>.Shared.Rent(value.Length * 3));
        try
        {
            if (Utf8.FromUtf16(value, bytes, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                profileId = Guid.Empty;
                return _irregular is not null && _irregular.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(value, out profileId);
            }

            var slot = FindSlot(hash, bytes[..written], out _);
            if (slot < 0)
            {
                profileId = Guid.Empty;
                return false;
            }

            profileId = ReadProfile(Offset(_slots[slot]));
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Gives a value to a profile.</summary>
    /// <returns><see langword="true"/> when the value is new; <see langword="false"/> when it moved or stayed.</returns>
    public bool Set(string value, Guid profileId)
    {
        var hash = Hash(value, out _);
        byte[]? rented = null;
        var bytes = value.Length * 3 <= MaxStackBytes
            ? stackalloc byte[value.Length * 3]
            : (rented = ArrayPool<byte>.Shared.Rent(value.Length * 3));
        try
        {
            if (Utf8.FromUtf16(value, bytes, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                _irregular ??= new Dictionary<string, Guid>(StringComparer.Ordinal);
                var added = !_irregular.ContainsKey(value);
                _irregular[value] = profileId;
                return added;
            }

            return Set(hash, bytes[..written], profileId);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private bool Set(uint hash, ReadOnlySpan<byte> utf8, Guid profileId)
    {
        var slot = FindSlot(hash, utf8, out var probes);
        if (slot >= 0)
        {
            WriteProfile(Offset(_slots[slot]), profileId);
            return false;
        }

        if ((_count + 1) * 4L > _slots.Length * 3L)
        {
            Resize(_slots.Length * 2);
        }

        Place(_slots, hash, Append(utf8, profileId));
        _count++;
        if (probes > FloodProbeLimit && !_randomizedHash)
        {
            UseRandomizedHash();
        }

        return true;
    }

    /// <summary>Removes a value.</summary>
    /// <returns><see langword="true"/> when the value was held.</returns>
    public bool Remove(string value)
    {
        // Rare (merges and corrections): simplicity over speed.
        var bytes = new byte[value.Length * 3];
        if (Utf8.FromUtf16(value, bytes, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            return _irregular is not null && _irregular.Remove(value);
        }

        var slot = FindSlot(Hash(value, out _), bytes.AsSpan(0, written), out _);
        if (slot < 0)
        {
            return false;
        }

        var size = StoredSize(Offset(_slots[slot]));
        DeleteSlot(slot);
        _count--;
        _liveBytes -= size;
        _deadBytes += size;
        if (_deadBytes > MaxPageSize && _deadBytes > _liveBytes)
        {
            Compact();
        }

        return true;
    }

    private bool TryGetAscii(uint hash, ReadOnlySpan<char> value, out Guid profileId)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var i = (int)hash & mask;
        while (true)
        {
            var slot = slots[i];
            if (slot == 0)
            {
                profileId = Guid.Empty;
                return false;
            }

            if ((uint)(slot >> 32) == hash)
            {
                // The record: [varint UTF-8 length][bytes][profile id]; a value under 128 has a one-byte length.
                var offset = Offset(slot);
                var page = _pages[offset >> PageBits];
                var position = offset & (MaxPageSize - 1);
                ReadOnlySpan<byte> bytes;
                if (value.Length < 0x80)
                {
                    bytes = page[position] == value.Length ? new ReadOnlySpan<byte>(page, position + 1, value.Length) : default;
                }
                else
                {
                    bytes = Bytes(offset);
                }

                if (bytes.Length == value.Length && Ascii.Equals(bytes, value))
                {
                    profileId = MemoryMarshal.Read<Guid>(page.AsSpan(Position(offset, bytes) + bytes.Length, GuidSize));
                    return true;
                }
            }

            i = (i + 1) & mask;
        }
    }

    private int FindSlot(uint hash, ReadOnlySpan<byte> utf8, out int probes)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var i = (int)hash & mask;
        probes = 0;
        while (true)
        {
            var slot = slots[i];
            if (slot == 0)
            {
                return -1;
            }

            if ((uint)(slot >> 32) == hash && Bytes(Offset(slot)).SequenceEqual(utf8))
            {
                return i;
            }

            i = (i + 1) & mask;
            probes++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Hash(ReadOnlySpan<char> value, out bool ascii)
    {
        if (_randomizedHash)
        {
            ascii = Ascii.IsValid(value);
            return (uint)string.GetHashCode(value);
        }

        return SeededHash(value, _seed, out ascii);
    }

    /// <summary>
    /// The seeded hash of a UTF-16 value, eight bytes (four chars) per multiply-rotate step; <paramref name="ascii"/>
    /// tells whether every char is below 0x80, from the same reads.
    /// </summary>
    internal static uint SeededHash(ReadOnlySpan<char> value, ulong seed, out bool ascii)
    {
        ref var start = ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(value));
        var length = (nuint)(uint)value.Length * 2;
        var h = seed ^ ((ulong)(uint)value.Length * LengthMultiplier);
        ulong seen = 0;
        nuint i = 0;
        for (; i + 8 <= length; i += 8)
        {
            var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i));
            seen |= word;
            h = BitOperations.RotateLeft((h ^ word) * WordMultiplier, 31);
        }

        if (i < length)
        {
            // One to three chars left: the last eight bytes shifted down when the value is that long, else char by char.
            var left = length - i;
            ulong word;
            if (length >= 8)
            {
                word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, length - 8)) >> (int)((8 - left) * 8);
            }
            else
            {
                word = 0;
                for (nuint j = 0; j < left; j += 2)
                {
                    word |= (ulong)Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref start, i + j)) << (int)(j * 8);
                }
            }

            seen |= word;
            h = BitOperations.RotateLeft((h ^ word) * WordMultiplier, 31);
        }

        ascii = (seen & NonAsciiBits) == 0;
        h ^= h >> 32;
        h *= FinalMultiplier;
        h ^= h >> 29;
        return (uint)h;
    }

    // Flooding: every value is rehashed with the randomised string hash, decoded from its record.
    private void UseRandomizedHash()
    {
        _randomizedHash = true;
        var slots = new ulong[_slots.Length];
        char[]? rented = null;
        Span<char> chars = stackalloc char[256];
        foreach (var slot in _slots)
        {
            if (slot == 0)
            {
                continue;
            }

            var bytes = Bytes(Offset(slot));
            if (bytes.Length > chars.Length)
            {
                if (rented is not null)
                {
                    ArrayPool<char>.Shared.Return(rented);
                }

                chars = rented = ArrayPool<char>.Shared.Rent(bytes.Length);
            }

            var written = Encoding.UTF8.GetChars(bytes, chars);
            Place(slots, (uint)string.GetHashCode(chars[..written]), Offset(slot));
        }

        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        _slots = slots;
    }

    private static int Offset(ulong slot) => (int)(uint)slot - 1;

    private static void Place(ulong[] slots, uint hash, int offset)
    {
        var mask = slots.Length - 1;
        var i = (int)hash & mask;
        while (slots[i] != 0)
        {
            i = (i + 1) & mask;
        }

        slots[i] = ((ulong)hash << 32) | (uint)(offset + 1);
    }

    private void Resize(int size)
    {
        var slots = new ulong[size];
        foreach (var slot in _slots)
        {
            if (slot != 0)
            {
                Place(slots, (uint)(slot >> 32), Offset(slot));
            }
        }

        _slots = slots;
    }

    // Backward-shift deletion keeps linear probing free of tombstones.
    private void DeleteSlot(int hole)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var j = hole;
        while (true)
        {
            j = (j + 1) & mask;
            var slot = slots[j];
            if (slot == 0)
            {
                break;
            }

            var home = (int)(slot >> 32) & mask;
            var stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays)
            {
                slots[hole] = slot;
                hole = j;
            }
        }

        slots[hole] = 0;
    }

    private int Append(ReadOnlySpan<byte> utf8, Guid profileId)
    {
        var size = VarIntSize(utf8.Length) + utf8.Length + GuidSize;
        if (_pageCount == 0 || _pagePosition + size > _pages[_pageCount - 1].Length)
        {
            if (_pageCount == MaxPages)
            {
                throw new InvalidOperationException("The identity index of one kind is limited to 2 GB of values.");
            }

            var previous = _pageCount == 0 ? FirstPageSize / 2 : _pages[_pageCount - 1].Length;
            var pageSize = Math.Max(Math.Min(previous * 2, MaxPageSize), size);
            if (_pageCount == _pages.Length)
            {
                Array.Resize(ref _pages, _pages.Length * 2);
            }

            _pages[_pageCount++] = GC.AllocateUninitializedArray<byte>(pageSize);
            _pagePosition = 0;
        }

        var page = _pages[_pageCount - 1];
        var offset = ((_pageCount - 1) << PageBits) | _pagePosition;
        var position = _pagePosition;
        var length = (uint)utf8.Length;
        while (length >= 0x80)
        {
            page[position++] = (byte)(length | 0x80);
            length >>= 7;
        }

        page[position++] = (byte)length;
        utf8.CopyTo(page.AsSpan(position));
        MemoryMarshal.Write(page.AsSpan(position + utf8.Length, GuidSize), in profileId);
        _pagePosition = position + utf8.Length + GuidSize;
        _liveBytes += size;
        return offset;
    }

    private ReadOnlySpan<byte> Bytes(int offset)
    {
        var page = _pages[offset >> PageBits];
        var position = offset & (MaxPageSize - 1);
        int length = page[position++];
        if (length >= 0x80)
        {
            length &= 0x7F;
            var shift = 7;
            int next;
            do
            {
                next = page[position++];
                length |= (next & 0x7F) << shift;
                shift += 7;
            }
            while (next >= 0x80);
        }

        return new ReadOnlySpan<byte>(page, position, length);
    }

    private Guid ReadProfile(int offset)
    {
        var bytes = Bytes(offset);
        return MemoryMarshal.Read<Guid>(_pages[offset >> PageBits].AsSpan(Position(offset, bytes) + bytes.Length, GuidSize));
    }

    private void WriteProfile(int offset, Guid profileId)
    {
        var bytes = Bytes(offset);
        MemoryMarshal.Write(_pages[offset >> PageBits].AsSpan(Position(offset, bytes) + bytes.Length, GuidSize), in profileId);
    }

    // Where the UTF-8 bytes of the record at offset start (after the length prefix).
    private static int Position(int offset, ReadOnlySpan<byte> bytes) => (offset & (MaxPageSize - 1)) + VarIntSize(bytes.Length);

    private int StoredSize(int offset)
    {
        var length = Bytes(offset).Length;
        return VarIntSize(length) + length + GuidSize;
    }

    private void Compact()
    {
        var slots = _slots;
        var oldPages = _pages;
        _pages = new byte[4][];
        _pageCount = 0;
        _pagePosition = 0;
        _liveBytes = 0;
        _deadBytes = 0;
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i] == 0)
            {
                continue;
            }

            var offset = Offset(slots[i]);
            var page = oldPages[offset >> PageBits];
            var position = offset & (MaxPageSize - 1);
            int length = 0, shift = 0, next;
            do
            {
                next = page[position++];
                length |= (next & 0x7F) << shift;
                shift += 7;
            }
            while (next >= 0x80);
            var profileId = MemoryMarshal.Read<Guid>(page.AsSpan(position + length, GuidSize));
            var moved = Append(new ReadOnlySpan<byte>(page, position, length), profileId);
            slots[i] = (slots[i] & 0xFFFF_FFFF_0000_0000UL) | (uint)(moved + 1);
        }
    }

    private static int VarIntSize(int length) => length < 0x80 ? 1 : length < 0x4000 ? 2 : length < 0x20_0000 ? 3 : length < 0x1000_0000 ? 4 : 5;
}

using System.Buffers.Binary;
using System.Text;

namespace EventLink.Traits.Internal;

/// <summary>
/// The packed encoding of every trait state of one profile, what is stored (one value per profile): a version byte,
/// a digest of the trait definitions (a changed definition makes the whole state unreadable, so the profile is
/// recomputed), then each state in trait order: a byte of flags saying which fields are present, then only the fields
/// the trait's kind reads (the others are kept in memory as events are added, but no value is computed from them: a
/// first-seen trait needs no count or sum, a minimum no sum). A windowed trait keeps only its entries, its aggregates
/// computed again from them when read. Numbers are decimals as scale, sign and a variable-length mantissa; times are
/// UTC ticks. Version 3, which packed every state's count and sum and a windowed trait's aggregates, is still read.
/// </summary>
internal sealed partial class TraitState
{
    private const byte PackedVersion = 4;

    /// <summary>The version that packed every state's count and sum (read, not written).</summary>
    private const byte PackedVersionWithTotals = 3;

    [Flags]
    private enum Fields : byte
    {
        None = 0,
        Overflow = 1,
        Min = 2,
        Max = 4,
        FirstAt = 8,
        LastAt = 16,
        LastValue = 32,
        Distinct = 64,
        Entries = 128,
    }

    [ThreadStatic]
    private static byte[]? t_packBuffer;

    /// <summary>Packs the states of one profile, in trait order, after the definitions' <paramref name="digest"/>; allocates only the result.</summary>
    public static byte[] Pack(TraitState[] states, IReadOnlyList<CompiledTrait> traits, ulong digest)
    {
        var writer = new PackedWriter(t_packBuffer ??= new byte[512]);
        writer.Byte(PackedVersion);
        writer.Fixed(digest);
        writer.Varint((ulong)states.Length);
        for (var i = 0; i < states.Length; i++)
        {
            states[i].PackTo(ref writer, traits[i].Kind);
        }

        var packed = writer.Written.ToArray();
        t_packBuffer = writer.Buffer.Length > 64 * 1024 ? null : writer.Buffer; // A state with a large window: do not keep its buffer for every thread.
        return packed;
    }

    /// <summary>Unpacks the states of one profile for <paramref name="traits"/>, or null when they were packed for other definitions (or are unreadable).</summary>
    public static TraitState[]? Unpack(ReadOnlySpan<byte> packed, IReadOnlyList<CompiledTrait> traits, ulong digest)
    {
        var reader = new PackedReader(packed);
        try
        {
            var version = reader.Byte();
            if (version is not (PackedVersion or PackedVersionWithTotals) || reader.Fixed() != digest || reader.Varint() != (ulong)traits.Count)
            {
                return null;
            }

            var states = new TraitState[traits.Count];
            for (var i = 0; i < states.Length; i++)
            {
                states[i] = UnpackFrom(ref reader, traits[i], withTotals: version == PackedVersionWithTotals);
            }

            return reader.AtEnd ? states : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private void PackTo(ref PackedWriter writer, TraitKind kind)
    {
        if (Entries is { } entries)
        {
            // A windowed trait: its entries are its state (the aggregates are computed from them when unpacked).
            writer.Byte((byte)Fields.Entries);
            writer.Varint((ulong)entries.Count);
            foreach (var entry in entries)
            {
                writer.Entry(entry, kind == TraitKind.LastValue);
            }

            return;
        }

        var fields = (Overflow == true ? Fields.Overflow : 0)
            | (Min is null || kind != TraitKind.Min ? 0 : Fields.Min)
            | (Max is null || kind != TraitKind.Max ? 0 : Fields.Max)
            | (FirstAt is null || kind != TraitKind.FirstOccurredAt ? 0 : Fields.FirstAt)
            | (LastAt is null || kind != TraitKind.LastOccurredAt ? 0 : Fields.LastAt)
            | (LastValue is null ? 0 : Fields.LastValue)
            | (Distinct is null ? 0 : Fields.Distinct);
        writer.Byte((byte)fields);
        if (ReadsCount(kind))
        {
            writer.Varint((ulong)Count);
        }

        if (ReadsSum(kind))
        {
            writer.Decimal(Sum);
        }

        if ((fields & Fields.Min) != 0)
        {
            writer.Decimal(Min!.Value);
        }

        if ((fields & Fields.Max) != 0)
        {
            writer.Decimal(Max!.Value);
        }

        if ((fields & Fields.FirstAt) != 0)
        {
            writer.Fixed((ulong)FirstAt!.Value.UtcTicks);
        }

        if ((fields & Fields.LastAt) != 0)
        {
            writer.Fixed((ulong)LastAt!.Value.UtcTicks);
        }

        // Only the last value's ordering reads an entry's source and record id (ties in time).
        var ordered = kind == TraitKind.LastValue;
        if (LastValue is { } lastValue)
        {
            writer.Entry(lastValue, ordered);
        }

        if (Distinct is { } distinct)
        {
            writer.Varint((ulong)distinct.Count);
            foreach (var value in distinct)
            {
                writer.String(value);
            }
        }

    }

    /// <summary>Whether an all-time trait's value reads the count (the count of events, or the divisor of an average).</summary>
    private static bool ReadsCount(TraitKind kind) => kind is TraitKind.Count or TraitKind.Average;

    /// <summary>Whether the trait's value reads the sum (and so may overflow).</summary>
    private static bool ReadsSum(TraitKind kind) => kind is TraitKind.Sum or TraitKind.Average;

    private static TraitState UnpackFrom(ref PackedReader reader, CompiledTrait trait, bool withTotals)
    {
        var fields = (Fields)reader.Byte();
        var windowed = !withTotals && (fields & Fields.Entries) != 0;
        var state = new TraitState
        {
            Fingerprint = trait.Key,
            Count = withTotals || (!windowed && ReadsCount(trait.Kind)) ? checked((long)reader.Varint()) : 0,
            Sum = withTotals || (!windowed && ReadsSum(trait.Kind)) ? reader.Decimal() : 0,
            Overflow = (fields & Fields.Overflow) != 0 ? true : null,
        };
        state.Min = (fields & Fields.Min) != 0 ? reader.Decimal() : null;
        state.Max = (fields & Fields.Max) != 0 ? reader.Decimal() : null;
        state.FirstAt = (fields & Fields.FirstAt) != 0 ? reader.Time() : null;
        state.LastAt = (fields & Fields.LastAt) != 0 ? reader.Time() : null;
        state.LastValue = (fields & Fields.LastValue) != 0 ? reader.Entry() : null;
        if ((fields & Fields.Distinct) != 0)
        {
            var count = reader.Count();
            state.Distinct = new HashSet<string>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                state.Distinct.Add(reader.String() ?? throw new FormatException());
            }
        }

        if ((fields & Fields.Entries) != 0)
        {
            var count = reader.Count();
            state.Entries = new List<TraitEntry>(count);
            for (var i = 0; i < count; i++)
            {
                state.Entries.Add(reader.Entry());
            }

            if (windowed)
            {
                if (trait.Window is null)
                {
                    throw new FormatException();
                }

                state.Aggregate(trait);
            }
        }

        return state;
    }

    /// <summary>Writes into a byte array, grown (doubled) when a field would not fit: one bounds check a field, no writer interface.</summary>
    private ref struct PackedWriter(byte[] buffer)
    {
        private int _at;

        public byte[] Buffer { get; private set; } = buffer;

        public readonly ReadOnlySpan<byte> Written => Buffer.AsSpan(0, _at);

        public void Byte(byte value)
        {
            if (_at == Buffer.Length)
            {
                Room(1);
            }

            Buffer[_at++] = value;
        }

        public void Fixed(ulong value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(Room(8), value);
            _at += 8;
        }

        public void Varint(ulong value)
        {
            var span = Room(10);
            var i = 0;
            while (value >= 0x80)
            {
                span[i++] = (byte)(value | 0x80);
                value >>= 7;
            }

            span[i++] = (byte)value;
            _at += i;
        }

        /// <summary>A decimal as one byte of sign and scale, then its 96-bit mantissa as two varints (low 64 bits, high 32).</summary>
        public void Decimal(decimal value)
        {
            Span<int> bits = stackalloc int[4];
            decimal.GetBits(value, bits);
            var flags = bits[3];
            Byte((byte)(((flags >> 16) & 0x1F) | (flags < 0 ? 0x80 : 0)));
            Varint((uint)bits[0] | ((ulong)(uint)bits[1] << 32));
            Varint((uint)bits[2]);
        }

        /// <summary>A string as its UTF-8 length plus one (zero for null), then the bytes.</summary>
        public void String(string? value)
        {
            if (value is null)
            {
                Varint(0);
                return;
            }

            var length = Encoding.UTF8.GetByteCount(value);
            Varint((ulong)length + 1);
            _at += Encoding.UTF8.GetBytes(value, Room(length));
        }

        private Span<byte> Room(int size)
        {
            if (Buffer.Length - _at < size)
            {
                var grown = new byte[Math.Max(Buffer.Length * 2, _at + size)];
                Buffer.AsSpan(0, _at).CopyTo(grown);
                Buffer = grown;
            }

            return Buffer.AsSpan(_at);
        }

        /// <summary>An entry: its time, a byte saying what follows (a number, the source and record id, JSON), then those.</summary>
        public void Entry(TraitEntry entry, bool ordered)
        {
            Fixed((ulong)entry.At.UtcTicks);
            Byte((byte)((entry.Number is null ? 0 : 1) | (ordered ? 2 : 0) | (entry.Json is null ? 0 : 4)));
            if (entry.Number is { } number)
            {
                Decimal(number);
            }

            if (ordered)
            {
                String(entry.Source);
                String(entry.RecordId);
            }

            if (entry.Json is not null)
            {
                String(entry.Json);
            }
        }
    }

    /// <summary>Reads the packed encoding; any mismatch is a <see cref="FormatException"/> (the profile is then recomputed).</summary>
    private ref struct PackedReader(ReadOnlySpan<byte> packed)
    {
        private readonly ReadOnlySpan<byte> _packed = packed;
        private int _at;

        public readonly bool AtEnd => _at == _packed.Length;

        public byte Byte() => _at < _packed.Length ? _packed[_at++] : throw new FormatException();

        public ulong Fixed()
        {
            if (_packed.Length - _at < 8)
            {
                throw new FormatException();
            }

            var value = BinaryPrimitives.ReadUInt64LittleEndian(_packed[_at..]);
            _at += 8;
            return value;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new FormatException();
        }

        public int Count()
        {
            var count = Varint();
            return count <= (ulong)(_packed.Length - _at) ? (int)count : throw new FormatException();
        }

        public decimal Decimal()
        {
            var head = Byte();
            var low = Varint();
            var high = Varint();
            var scale = (byte)(head & 0x1F);
            if (scale > 28 || high > uint.MaxValue)
            {
                throw new FormatException();
            }

            return new decimal((int)(uint)low, (int)(uint)(low >> 32), (int)(uint)high, (head & 0x80) != 0, scale);
        }

        public DateTimeOffset Time()
        {
            var ticks = (long)Fixed();
            return ticks is >= 0 and <= 3155378975999999999 ? new DateTimeOffset(ticks, TimeSpan.Zero) : throw new FormatException();
        }

        public string? String()
        {
            var length = Varint();
            if (length == 0)
            {
                return null;
            }

            if (length - 1 > (ulong)(_packed.Length - _at))
            {
                throw new FormatException();
            }

            var text = Encoding.UTF8.GetString(_packed.Slice(_at, (int)(length - 1)));
            _at += (int)(length - 1);
            return text;
        }

        public TraitEntry Entry()
        {
            var at = Time();
            var present = Byte();
            if (present > 7)
            {
                throw new FormatException();
            }

            var entry = new TraitEntry { At = at, Number = (present & 1) != 0 ? Decimal() : null };
            if ((present & 2) != 0)
            {
                entry.Source = String() ?? throw new FormatException();
                entry.RecordId = String() ?? throw new FormatException();
            }

            entry.Json = (present & 4) != 0 ? String() ?? throw new FormatException() : null;
            return entry;
        }
    }
}

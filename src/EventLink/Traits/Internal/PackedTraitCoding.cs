using System.Buffers.Binary;
using System.Text;

namespace EventLink.Traits.Internal;

/// <summary>Writes a profile's packed trait states (see <see cref="TraitState"/>'s packed encoding) into a byte array, grown (doubled) when a field would not fit: one bounds check a field, no writer interface.</summary>
internal ref struct PackedTraitWriter(byte[] buffer)
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
    public void Entry(in TraitEntry entry, bool ordered)
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

/// <summary>Reads a profile's packed trait states; any mismatch is a <see cref="FormatException"/> (the profile is then recomputed).</summary>
internal ref struct PackedTraitReader(ReadOnlySpan<byte> packed)
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

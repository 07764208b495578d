using System.Buffers.Binary;
using System.Text.Json;

namespace EventLink.Quality.Internal;

/// <summary>
/// Writes a payload's shape signature token by token, as a reader passes over it: the token sequence (each token's
/// type, and a property name's length, escape flag and raw bytes; no values). Given the signature of an earlier
/// payload, it only compares while the tokens agree, and starts writing at the first difference.
/// </summary>
/// <remarks>
/// The one definition of the signature: <see cref="ShapeTracker"/> compares and writes signatures with it too, so a
/// signature taken during the extractor's pass (<see cref="PayloadExtractor"/>) equals the tracker's own, byte for byte.
/// The default value is disabled: <see cref="Add"/> does nothing.
/// </remarks>
internal ref struct ShapeSignatureWriter
{
    /// <summary>A payload whose signature would be longer is not given one (the tracker walks it on its own).</summary>
    public const int MaxBytes = 1 << 20;

    private const byte Disabled = 0;
    private const byte Matching = 1;
    private const byte Writing = 2;
    private const byte TooLong = 3;

    private readonly byte[] _expected;
    private byte[] _buffer;
    private int _length;
    private byte _state;

    /// <summary>Initializes a writer.</summary>
    /// <param name="buffer">The scratch buffer to write into; grown (replaced) as needed, see <see cref="Buffer"/>.</param>
    /// <param name="expected">The signature the payload most likely has (compared, not written, while it agrees), or <see langword="null"/>.</param>
    public ShapeSignatureWriter(byte[] buffer, byte[]? expected)
    {
        _buffer = buffer;
        _expected = expected ?? [];
        _state = expected is null ? Writing : Matching;
    }

    /// <summary>Gets whether the writer records anything.</summary>
    public readonly bool IsEnabled => _state != Disabled;

    /// <summary>Gets whether the signature was too long to keep.</summary>
    public readonly bool IsTooLong => _state == TooLong;

    /// <summary>Gets whether every token so far equals the expected signature's, and there are as many.</summary>
    public readonly bool IsExpected => _state == Matching && _length == _expected.Length;

    /// <summary>Gets the scratch buffer, which may have been replaced by a larger one.</summary>
    public readonly byte[] Buffer => _buffer;

    /// <summary>Gets the signature so far (unless <see cref="IsTooLong"/>).</summary>
    public readonly ReadOnlySpan<byte> Written => _state == Matching ? _expected.AsSpan(0, _length) : _buffer.AsSpan(0, _length);

    /// <summary>Records the reader's current token.</summary>
    /// <param name="reader">The reader, positioned on a token of a payload held in one span.</param>
    public void Add(ref Utf8JsonReader reader)
    {
        switch (_state)
        {
            case Matching:
                if (Compare(ref reader))
                {
                    return;
                }

                // The payload differs from here on: what it had so far equals the expected prefix.
                _state = Writing;
                if (!Reserve(_length))
                {
                    return;
                }

                _expected.AsSpan(0, _length).CopyTo(_buffer);
                Write(ref reader);
                return;
            case Writing:
                Write(ref reader);
                return;
        }
    }

    /// <summary>Compares the reader's current token with the expected signature's next one, and steps past it when they are equal.</summary>
    /// <param name="reader">The reader, positioned on a token of a payload held in one span.</param>
    /// <returns>Whether the token is the expected one; when it is not, the writer is left as it was.</returns>
    public bool Compare(ref Utf8JsonReader reader)
    {
        var token = reader.TokenType;
        var expected = _expected;
        var position = _length;
        if (position >= expected.Length || expected[position] != (byte)token)
        {
            return false;
        }

        if (token != JsonTokenType.PropertyName)
        {
            _length = position + 1;
            return true;
        }

        var name = reader.ValueSpan;
        position++;
        if (expected.Length - position < 5 + name.Length
            || BinaryPrimitives.ReadInt32LittleEndian(expected.AsSpan(position)) != name.Length
            || expected[position + 4] != (reader.ValueIsEscaped ? (byte)1 : (byte)0)
            || !name.SequenceEqual(expected.AsSpan(position + 5, name.Length)))
        {
            return false;
        }

        _length = position + 5 + name.Length;
        return true;
    }

    private void Write(ref Utf8JsonReader reader)
    {
        var token = reader.TokenType;
        if (token != JsonTokenType.PropertyName)
        {
            if (Reserve(_length + 1))
            {
                _buffer[_length++] = (byte)token;
            }

            return;
        }

        // Escaped names are written raw: another spelling of the same name is only another signature.
        var name = reader.ValueSpan;
        if (!Reserve(_length + 6 + name.Length))
        {
            return;
        }

        var buffer = _buffer;
        buffer[_length] = (byte)token;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(_length + 1), name.Length);
        buffer[_length + 5] = reader.ValueIsEscaped ? (byte)1 : (byte)0;
        name.CopyTo(buffer.AsSpan(_length + 6));
        _length += 6 + name.Length;
    }

    private bool Reserve(int needed)
    {
        if (needed <= _buffer.Length)
        {
            return true;
        }

        if (needed > MaxBytes)
        {
            _state = TooLong;
            return false;
        }

        Array.Resize(ref _buffer, Math.Min(MaxBytes, Math.Max(needed, _buffer.Length * 2)));
        return true;
    }
}

/// <summary>
/// The shape signatures one ingest batch took while extracting its payloads: one array per distinct signature (so
/// the tracker compares references), and the last signature of each record type, which the next payload of that type
/// is compared against while it is read.
/// </summary>
/// <remarks>Used by one batch, on one logical thread at a time.</remarks>
internal sealed class ShapeSignatures
{
    private readonly Dictionary<byte[], byte[]> _known = new(SignatureComparer.Instance);
    private readonly Dictionary<RecordType, byte[]> _lastByType = [];
    private byte[] _buffer = new byte[1024];
    private RecordType? _lastType;
    private byte[]? _last;

    /// <summary>Starts the signature of a payload of <paramref name="type"/>.</summary>
    public ShapeSignatureWriter Begin(RecordType type) =>
        new(_buffer, ReferenceEquals(type, _lastType) ? _last : _lastByType.GetValueOrDefault(type));

    /// <summary>Ends a signature started by <see cref="Begin"/> on a payload read to its end.</summary>
    /// <returns>The signature (the same array for the same signature), or <see langword="null"/> when it was too long.</returns>
    public byte[]? End(RecordType type, ref ShapeSignatureWriter writer)
    {
        _buffer = writer.Buffer;
        if (writer.IsTooLong)
        {
            return null;
        }

        byte[] signature;
        if (writer.IsExpected)
        {
            signature = ReferenceEquals(type, _lastType) ? _last! : _lastByType[type];
        }
        else
        {
            var written = writer.Written;
            var lookup = _known.GetAlternateLookup<ReadOnlySpan<byte>>();
            if (!lookup.TryGetValue(written, out signature!))
            {
                signature = written.ToArray();
                _known.Add(signature, signature);
            }
        }

        if (!ReferenceEquals(type, _lastType) || !ReferenceEquals(signature, _last))
        {
            _lastByType[type] = signature;
            (_lastType, _last) = (type, signature);
        }

        return signature;
    }
}

/// <summary>Compares signatures by content, and looks them up by span without copying.</summary>
internal sealed class SignatureComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly SignatureComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = default(HashCode);
        hash.AddBytes(alternate);
        return hash.ToHashCode();
    }

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
}

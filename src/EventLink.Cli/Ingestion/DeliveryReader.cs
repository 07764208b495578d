using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace EventLink.Cli.Ingestion;

/// <summary>One item of the input: a JSON value (as text) and where it was.</summary>
/// <param name="Number">The item's 1-based position (its line in JSON Lines, its index in an array).</param>
/// <param name="Json">The JSON text.</param>
/// <param name="Position">How far into the input the reader is, in bytes (for the progress bar).</param>
/// <param name="Error">Why the input could not be read from here on, or <see langword="null"/>.</param>
internal readonly record struct Delivery(long Number, string Json, long Position, string? Error = null);

/// <summary>
/// Reads JSON Lines, or one JSON array of items, from a file or standard input, streaming: an array is read element by
/// element with <see cref="Utf8JsonReader"/> over a buffer that holds at most a chunk and the element being read, so
/// memory does not grow with the input. Anything after a closing <c>]</c> is read as JSON Lines.
/// </summary>
internal sealed class DeliveryReader
{
    private const int ChunkSize = 1 << 16;

    private readonly Stream _input;
    private byte[] _buffer = new byte[ChunkSize];
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _eof;

    private DeliveryReader(Stream input) => _input = input;

    public static IAsyncEnumerable<Delivery> ReadAsync(Stream input, CancellationToken cancellationToken) =>
        new DeliveryReader(input).ReadAllAsync(cancellationToken);

    private long Position => _bufferOffset + _start;

    private async IAsyncEnumerable<Delivery> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await FillAsync(cancellationToken).ConfigureAwait(false);
        if (_end - _start >= 3 && _buffer[_start] == 0xEF && _buffer[_start + 1] == 0xBB && _buffer[_start + 2] == 0xBF)
        {
            _start += 3;
        }

        long line = 1;
        while (await FirstByteAsync(cancellationToken).ConfigureAwait(false) is { } first)
        {
            // Count the blank lines skipped, so JSON Lines keep their numbers.
            line += first.Newlines;
            if (first.Byte != (byte)'[')
            {
                break;
            }

            var items = new List<string>();
            var state = new ArrayState();
            long index = 0;
            while (!state.Ended)
            {
                items.Clear();
                string? error = null;
                int consumed;
                try
                {
                    consumed = ReadItems(_buffer.AsSpan(_start, _end - _start), _eof, ref state, items);
                }
                catch (JsonException ex)
                {
                    consumed = 0;
                    error = $"the JSON array is malformed at byte {Position + (ex.BytePositionInLine ?? 0):N0}: {ex.Message}";
                }

                line += CountNewlines(_buffer.AsSpan(_start, consumed));
                _start += consumed;
                foreach (var item in items)
                {
                    yield return new Delivery(++index, item, Position);
                }

                if (error is not null || (!state.Ended && _eof && consumed == 0))
                {
                    yield return new Delivery(index + 1, string.Empty, Position, error ?? "the JSON array ends before its closing ']'");
                    yield break;
                }

                if (!state.Ended && consumed == 0 || _end - _start < ChunkSize / 2)
                {
                    await FillAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }

        // JSON Lines: one item per non-blank line.
        while (await ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                yield return new Delivery(line, text.TrimEnd('\r'), Position);
            }

            line++;
        }
    }

    /// <summary>Reads the complete elements of a top-level array in <paramref name="data"/>; returns the bytes consumed.</summary>
    private static int ReadItems(ReadOnlySpan<byte> data, bool isFinalBlock, ref ArrayState state, List<string> items)
    {
        var reader = new Utf8JsonReader(data, isFinalBlock, state.Reader);
        var consumed = 0;
        while (reader.Read())
        {
            if (!state.Started)
            {
                state.Started = true;
            }
            else if (reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == 0)
            {
                state.Ended = true;
            }
            else
            {
                var start = (int)reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                {
                    break; // The element continues past the buffer: read again from its start with more data.
                }

                items.Add(Encoding.UTF8.GetString(data[start..(int)reader.BytesConsumed]));
            }

            consumed = (int)reader.BytesConsumed;
            state.Reader = reader.CurrentState;
            if (state.Ended)
            {
                break;
            }
        }

        return consumed;
    }

    private static int CountNewlines(ReadOnlySpan<byte> bytes) => bytes.Count((byte)'\n');

    /// <summary>Skips whitespace; returns the next byte (not consumed) and how many newlines were skipped, or <see langword="null"/> at the end.</summary>
    private async ValueTask<(byte Byte, int Newlines)?> FirstByteAsync(CancellationToken cancellationToken)
    {
        var newlines = 0;
        while (true)
        {
            while (_start < _end)
            {
                var b = _buffer[_start];
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                {
                    // Not consumed: JSON Lines reads the line from its start. Only whole blank lines were skipped.
                    return (b, newlines);
                }

                if (b == (byte)'\n')
                {
                    newlines++;
                }

                _start++;
            }

            if (_eof)
            {
                return null;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var searchFrom = _start;
        while (true)
        {
            var found = _buffer.AsSpan(searchFrom, _end - searchFrom).IndexOf((byte)'\n');
            if (found >= 0)
            {
                var newline = searchFrom + found;
                var text = Encoding.UTF8.GetString(_buffer, _start, newline - _start);
                _start = newline + 1;
                return text;
            }

            if (_eof)
            {
                if (_start == _end)
                {
                    return null;
                }

                var rest = Encoding.UTF8.GetString(_buffer, _start, _end - _start);
                _start = _end;
                return rest;
            }

            searchFrom = _end - _start;
            await FillAsync(cancellationToken).ConfigureAwait(false);
            searchFrom += _start;
        }
    }

    /// <summary>Moves the unread bytes to the front and reads more; the buffer grows only when one item is larger than it.</summary>
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_eof)
        {
            return;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }

        if (_buffer.Length - _end < ChunkSize / 2)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await _input.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    private struct ArrayState
    {
        public JsonReaderState Reader;
        public bool Started;
        public bool Ended;
    }
}

using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace EventLink.AspNetCore.Internal;

/// <summary>
/// A request body read into a pooled buffer, never past a limit: a declared <c>Content-Length</c> over it is refused
/// before anything is read, and a body that streams past it is refused as soon as one byte more arrives, so nothing
/// over the limit is ever held in memory.
/// </summary>
internal sealed class BoundedBody : IDisposable
{
    private byte[]? _buffer;

    private BoundedBody(byte[]? buffer, int length, bool tooLarge)
    {
        _buffer = buffer;
        Length = length;
        TooLarge = tooLarge;
    }

    public bool TooLarge { get; }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, Length);

    public static async ValueTask<BoundedBody> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > limit)
        {
            return new BoundedBody(null, 0, tooLarge: true);
        }

        return await ReadAsync(request.Body, limit, (int)Math.Min(request.ContentLength ?? 16 * 1024, limit) + 1, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a stream (a request body, or a decompressing stream over one) up to the limit.</summary>
    public static async ValueTask<BoundedBody> ReadAsync(Stream stream, int limit, int initial, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 256));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return new BoundedBody(null, 0, tooLarge: true);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                // Never ask for more than one byte past the limit: that byte is enough to know the body is too large.
                var room = Math.Min(buffer.Length - length, limit + 1 - length);
                var read = await stream.ReadAsync(buffer.AsMemory(length, room), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return new BoundedBody(buffer, length, tooLarge: false);
                }

                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return new BoundedBody(null, 0, tooLarge: true);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

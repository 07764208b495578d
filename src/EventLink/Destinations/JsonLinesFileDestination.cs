using System.Text;

namespace EventLink;

/// <summary>
/// Appends each message body as one line of a JSON Lines file (flushed to disk before it acknowledges), for batch
/// exports and for inspecting what a sync sends. Erasure notices are written as lines too.
/// </summary>
public sealed class JsonLinesFileDestination : IErasureDestination
{
    private readonly string _path;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Initializes a new instance of the <see cref="JsonLinesFileDestination"/> class.</summary>
    /// <param name="path">The file; created when missing, appended to otherwise.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public JsonLinesFileDestination(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
    }

    /// <inheritdoc />
    public ValueTask<DeliveryResult> DeliverAsync(DestinationMessage message, CancellationToken cancellationToken = default) => AppendAsync(message, cancellationToken);

    /// <inheritdoc />
    public ValueTask<DeliveryResult> EraseAsync(DestinationMessage notice, CancellationToken cancellationToken = default) => AppendAsync(notice, cancellationToken);

    private async ValueTask<DeliveryResult> AppendAsync(DestinationMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Path.GetDirectoryName(_path) is { Length: > 0 } directory)
            {
                Directory.CreateDirectory(directory);
            }

            var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                // The body is compact JSON (no raw newlines), so one body is one line.
                await stream.WriteAsync(Encoding.UTF8.GetBytes(message.BodyJson + "\n"), cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            return DeliveryResult.Success;
        }
        catch (IOException ex)
        {
            return DeliveryResult.Failure(ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            return DeliveryResult.Failure(ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }
}

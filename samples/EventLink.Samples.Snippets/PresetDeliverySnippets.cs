using EventLink.Presets;

namespace EventLink.Samples.Snippets;

/// <summary>Snippets of docs/presets.md (what a transport tells a preset about a delivery).</summary>
public static class PresetDeliverySnippets
{
    public static async Task HttpApiAsync(IEventLink link, string call, string? contentType, ReadOnlyMemory<byte> body, TimeProvider time, CancellationToken cancellationToken)
    {
        #region presets-delivery
        // POST /v1/{call} (Segment's HTTP API) or /capture, /batch (PostHog): the body does not say which call it is,
        // nor when it arrived; the transport does.
        var delivery = new PresetDelivery { Call = call, ContentType = contentType, ReceivedAt = time.GetUtcNow() };
        var read = SourcePresets.Segment.Read(body, delivery);
        switch (read.Status)
        {
            case PresetReadStatus.Read:
                await link.IngestAsync(read.Records, cancellationToken);   // answer 200
                break;
            case PresetReadStatus.Ignored:
                break;                                                      // answer 200/202: the tool must not retry; read.Message says why
            case PresetReadStatus.Unrecognized:
                break;                                                      // answer 400: not this tool's shape
        }
        #endregion
    }
}

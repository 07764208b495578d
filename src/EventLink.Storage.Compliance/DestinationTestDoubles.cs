using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EventLink.Storage.Compliance;

/// <summary>A destination that keeps what it receives and fails while <see cref="Fail"/> is set.</summary>
public sealed class RecordingDestination : IErasureDestination
{
    /// <summary>Gets the messages and erasure notices received, in order.</summary>
    public ConcurrentQueue<DestinationMessage> Received { get; } = new();

    /// <summary>Gets or sets whether deliveries fail (and are not recorded).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Fail { get; set; }

    /// <inheritdoc/>
    public ValueTask<DeliveryResult> DeliverAsync(DestinationMessage message, CancellationToken cancellationToken = default) => Record(message);

    /// <inheritdoc/>
    public ValueTask<DeliveryResult> EraseAsync(DestinationMessage notice, CancellationToken cancellationToken = default) => Record(notice);

    private ValueTask<DeliveryResult> Record(DestinationMessage message)
    {
        if (Fail)
        {
            return ValueTask.FromResult(DeliveryResult.Failure("down for the test"));
        }

        Received.Enqueue(message);
        return ValueTask.FromResult(DeliveryResult.Success);
    }
}

/// <summary>
/// An in-process webhook receiver on 127.0.0.1 (a free port): answers 500 to the first <see cref="FailFirst"/>
/// requests, then 200, and records every request's idempotency key, signature, status and body.
/// </summary>
public sealed class WebhookTestServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _count;

    /// <summary>Starts a receiver on a free local port.</summary>
    /// <param name="failFirst">How many requests are answered with 500 before the receiver answers 200.</param>
    public WebhookTestServer(int failFirst)
    {
        FailFirst = failFirst;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{port}/hook/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Gets the URL to post webhooks to.</summary>
    public Uri Url { get; }

    /// <summary>Gets how many requests are answered with 500 before the receiver answers 200.</summary>
    public int FailFirst { get; }

    /// <summary>Gets every request received: its idempotency key, the status answered, its signature headers and its body.</summary>
    public ConcurrentQueue<(string Key, int Status, WebhookSignature Signature, string Body)> Requests { get; } = new();

    /// <summary>Gets the idempotency keys of the requests answered with 200, in order.</summary>
    public IReadOnlyList<string> AcknowledgedKeys => Requests.Where(r => r.Status == 200).Select(r => r.Key).ToList();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var status = Interlocked.Increment(ref _count) <= FailFirst ? 500 : 200;
            var signature = new WebhookSignature(context.Request.Headers["webhook-id"], context.Request.Headers["webhook-timestamp"], context.Request.Headers["webhook-signature"]);
            Requests.Enqueue((context.Request.Headers["Idempotency-Key"] ?? string.Empty, status, signature, body));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    /// <summary>Stops the receiver.</summary>
    /// <returns>A task that completes when the receiver has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}

/// <summary>The Standard Webhooks headers of a request, as a receiver reads them.</summary>
/// <param name="Id">The <c>webhook-id</c> header.</param>
/// <param name="Timestamp">The <c>webhook-timestamp</c> header.</param>
/// <param name="Signature">The <c>webhook-signature</c> header.</param>
public sealed record WebhookSignature(string? Id, string? Timestamp, string? Signature)
{
    /// <summary>
    /// Verifies the request as the Standard Webhooks specification tells a receiver to: the HMAC-SHA256 of
    /// <c>{id}.{timestamp}.{body}</c> under the secret, base64, among the header's space-separated <c>v1,</c> signatures
    /// (compared in constant time), and a timestamp within the tolerance of the receiver's clock.
    /// </summary>
    /// <param name="secretKey">The secret's key bytes.</param>
    /// <param name="body">The raw body.</param>
    /// <param name="now">The receiver's clock.</param>
    /// <param name="tolerance">How old (or how far ahead) a timestamp may be.</param>
    /// <returns>Why the request is refused, or <see langword="null"/> when it is genuine and fresh.</returns>
    public string? Verify(byte[] secretKey, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (Id is null || Timestamp is null || Signature is null)
        {
            return "missing headers";
        }

        if (!long.TryParse(Timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return "bad timestamp";
        }

        var expected = System.Security.Cryptography.HMACSHA256.HashData(secretKey, Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.{body}"));
        var signed = Signature.Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal)
            && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(TryBase64(s[3..]), expected));
        if (!signed)
        {
            return "no valid signature";
        }

        return (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance ? "timestamp outside the tolerance (a replay?)" : null;

        static byte[] TryBase64(string text)
        {
            var bytes = new byte[text.Length];
            return Convert.TryFromBase64String(text, bytes, out var written) ? bytes[..written] : [];
        }
    }
}

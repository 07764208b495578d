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

    /// <summary>Gets every request received: its idempotency key, the status answered, its signature header and its body.</summary>
    public ConcurrentQueue<(string Key, int Status, string? Signature, string Body)> Requests { get; } = new();

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
            Requests.Enqueue((context.Request.Headers["Idempotency-Key"] ?? string.Empty, status, context.Request.Headers["X-EventLink-Signature"], body));
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

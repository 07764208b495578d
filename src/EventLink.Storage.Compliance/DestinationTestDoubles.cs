using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EventLink.Storage.Compliance;

/// <summary>A destination that keeps what it receives and fails while <see cref="Fail"/> is set.</summary>
public sealed class RecordingDestination : IErasureDestination
{
    public ConcurrentQueue<DestinationMessage> Received { get; } = new();

    public bool Fail { get; set; }

    public ValueTask<DeliveryResult> DeliverAsync(DestinationMessage message, CancellationToken cancellationToken = default) => Record(message);

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

    public Uri Url { get; }

    public int FailFirst { get; }

    public ConcurrentQueue<(string Key, int Status, string? Signature, string Body)> Requests { get; } = new();

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

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}

using System.Net;
using System.Net.Sockets;

namespace EventLink.Kafka.Tests;

/// <summary>
/// A loopback TCP proxy in front of PostgreSQL that can play an outage: while down it cuts every open connection and
/// closes each new one as soon as it is accepted, so the store sees the server go away without stopping it (the CI's
/// server is shared by every test).
/// </summary>
internal sealed class TcpProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<EndPoint> _upstream;
    private readonly List<Socket> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _down;

    public TcpProxy(Func<EndPoint> upstream)
    {
        _upstream = upstream;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Starts the outage: open connections are cut, new ones refused.</summary>
    public void Down()
    {
        _down = true;
        lock (_open)
        {
            foreach (var socket in _open)
            {
                socket.Close();
            }

            _open.Clear();
        }
    }

    /// <summary>Ends the outage.</summary>
    public void Up() => _down = false;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Down();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            if (_down)
            {
                client.Close();
                continue;
            }

            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(Socket client)
    {
        var endpoint = _upstream();
        var server = endpoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await server.ConnectAsync(endpoint);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            client.Close();
            server.Dispose();
            return;
        }

        lock (_open)
        {
            _open.Add(client);
            _open.Add(server);
        }

        await Task.WhenAny(CopyAsync(client, server), CopyAsync(server, client));
        client.Close();
        server.Close();
    }

    private static async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // A cut connection: both sides are closed by the caller.
        }
    }
}

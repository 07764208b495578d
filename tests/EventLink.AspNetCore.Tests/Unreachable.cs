using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace EventLink.AspNetCore.Tests;

/// <summary>
/// The test PostgreSQL server (<c>EVENTLINK_TEST_POSTGRES</c>) behind a TCP relay on 127.0.0.1 that a test can cut: the
/// host starts (and migrates its own schema) through it, then the server becomes unreachable as a network failure would
/// make it. Null when no server is configured (and PostgreSQL is not required).
/// </summary>
public sealed class CuttablePostgreSql : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _connections = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly string _targetHost;
    private readonly int _targetPort;

    private CuttablePostgreSql(string target)
    {
        var builder = new NpgsqlConnectionStringBuilder(target);
        _targetHost = builder.Host!;
        _targetPort = builder.Port;
        _listener.Start();
        builder.Host = "127.0.0.1";
        builder.Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        builder.Pooling = false;
        builder.Timeout = 3;
        ConnectionString = builder.ConnectionString;
        _ = AcceptAsync();
    }

    public string ConnectionString { get; }

    public string Schema { get; } = "aspnetcore_" + Guid.NewGuid().ToString("N")[..12];

    public static CuttablePostgreSql? TryStart()
    {
        var target = Environment.GetEnvironmentVariable("EVENTLINK_TEST_POSTGRES");
        if (string.IsNullOrEmpty(target))
        {
            Environment.GetEnvironmentVariable("EVENTLINK_REQUIRE_POSTGRES").Should().NotBe("1", "EVENTLINK_TEST_POSTGRES must be set when PostgreSQL is required");
            return null;
        }

        return new CuttablePostgreSql(target);
    }

    /// <summary>Closes the relay and every connection through it: the server is unreachable from now on.</summary>
    public void Cut()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            Cut();
        }

        _stop.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient();
                await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
                lock (_connections)
                {
                    _connections.Add(client);
                    _connections.Add(server);
                }

                _ = PumpAsync(client.GetStream(), server.GetStream());
                _ = PumpAsync(server.GetStream(), client.GetStream());
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
        }
    }
}

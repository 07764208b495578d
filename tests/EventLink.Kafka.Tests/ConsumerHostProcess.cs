using System.Diagnostics;
using System.Reflection;
using System.Threading.Channels;

namespace EventLink.Kafka.Tests;

/// <summary>Runs tests/EventLink.Kafka.ConsumerHost as a separate process (built with this project, see its csproj).</summary>
internal sealed class ConsumerHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];

    private ConsumerHostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private static string HostPath { get; } = typeof(ConsumerHostProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ConsumerHostPath").Value!;

    /// <summary>The lines read so far.</summary>
    public IReadOnlyList<string> Lines => _seen;

    public static ConsumerHostProcess Start(string bootstrapServers, string groupId, string connectionString, string schema)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { HostPath, bootstrapServers, groupId, connectionString, schema })
        {
            start.ArgumentList.Add(arg);
        }

        return new ConsumerHostProcess(Process.Start(start)!);
    }

    /// <summary>Reads lines until one matches; fails when the process ends or the time is up first.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cancel.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    _seen.Add(line);
                    if (match(line))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"the consumer host did not print the expected line; it printed: {string.Join(" | ", _seen.TakeLast(20))}");
    }

    /// <summary>SIGKILL: the process ends at once, whatever it was doing.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    /// <summary>Closes stdin: the host stops gracefully (leaves the group) and exits.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        _process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        while (_lines.Reader.TryRead(out var line))
        {
            _seen.Add(line);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        _process.Dispose();
    }
}

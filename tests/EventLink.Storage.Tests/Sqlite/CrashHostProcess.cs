using System.Diagnostics;
using System.Reflection;

namespace EventLink.Storage.Tests;

/// <summary>Runs tests/EventLink.Sqlite.CrashHost as a separate process (built with this project, see its csproj).</summary>
internal sealed class CrashHostProcess : IDisposable
{
    private readonly Process _process;

    private CrashHostProcess(Process process) => _process = process;

    public static string HostPath { get; } = typeof(CrashHostProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "CrashHostPath").Value!;

    public static CrashHostProcess Start(params string[] arguments)
    {
        File.Exists(HostPath).Should().BeTrue($"the crash host is built with the tests, at {HostPath}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new CrashHostProcess(Process.Start(start)!);
    }

    public Task<string?> ReadLineAsync(CancellationToken cancellationToken) => _process.StandardOutput.ReadLineAsync(cancellationToken).AsTask();

    /// <summary>Reads every line of output until the process exits, and fails on a non-zero exit code.</summary>
    public async Task<List<string>> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (await ReadLineAsync(cancellationToken) is { } line)
        {
            lines.Add(line);
        }

        await _process.WaitForExitAsync(cancellationToken);
        var error = await _process.StandardError.ReadToEndAsync(cancellationToken);
        _process.ExitCode.Should().Be(0, error);
        return lines;
    }

    /// <summary>Kills the process: on Linux and macOS, <see cref="Process.Kill()"/> sends SIGKILL, so nothing runs after it.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}

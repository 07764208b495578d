using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace EventLink.Cli.Tests;

/// <summary>Runs the built <c>eventlink</c> tool with <c>dotnet EventLink.Cli.dll</c> in a scratch directory.</summary>
public sealed class CliProcess : IDisposable
{
    public CliProcess()
    {
        WorkingDirectory = Path.Combine(Path.GetTempPath(), "eventlink-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(WorkingDirectory);
    }

    public static string Fixtures { get; } = Metadata("FixturesPath");

    public string WorkingDirectory { get; }

    public static string Fixture(string vendor) => Path.Combine(Fixtures, vendor + ".jsonl");

    public Task<CliResult> RunWithInputAsync(string? stdin, params string[] args) => RunWithEnvironmentAsync(null, stdin, args);

    /// <summary>Runs the tool and samples its peak working set (the kernel's high-water mark) until it exits.</summary>
    public async Task<(CliResult Result, long PeakWorkingSet)> RunMeasuredAsync(params string[] args)
    {
        long peak = 0;
        var result = await RunWithEnvironmentAsync(null, null, args, async (process, exited) =>
        {
            while (!exited.IsCancellationRequested)
            {
                try
                {
                    process.Refresh();
                    peak = Math.Max(peak, process.PeakWorkingSet64);
                }
                catch (InvalidOperationException)
                {
                    return; // Exited between the check and the read.
                }

                await Task.Delay(50, CancellationToken.None);
            }
        });
        return (result, peak);
    }

    /// <summary>Runs the tool with extra environment variables (EVENTLINK_POSTGRES is never inherited from the test run).</summary>
    public Task<CliResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string>? environment, string? stdin, params string[] args) =>
        RunWithEnvironmentAsync(environment, stdin, args, null);

    private async Task<CliResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string>? environment, string? stdin, string[] args, Func<Process, CancellationToken, Task>? watch)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("EVENTLINK_POSTGRES");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Metadata("CliPath"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var exited = new CancellationTokenSource();
        var watching = watch?.Invoke(process, exited.Token) ?? Task.CompletedTask;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        await exited.CancelAsync();
        await watching;
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Metadata(string key) =>
        typeof(CliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json => JsonElement.Parse(Stdout);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

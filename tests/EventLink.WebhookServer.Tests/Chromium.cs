using System.Diagnostics;

namespace EventLink.WebhookServer.Tests;

/// <summary>Debian's headless Chromium: the rendered DOM of a page, and a screenshot of it.</summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static bool IsInstalled => File.Exists(Path);

    /// <summary>Whether a missing browser fails the test (CI, or asked for) rather than skipping it.</summary>
    public static bool IsRequired =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ||
        Environment.GetEnvironmentVariable("EVENTLINK_REQUIRE_BROWSER") == "1";

    public static async Task<string> DumpDomAsync(Uri url) => (await RunAsync("--dump-dom", url.ToString())).Stdout;

    public static async Task ScreenshotAsync(Uri url, string file)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        var result = await RunAsync($"--screenshot={file}", "--window-size=1280,1600", "--hide-scrollbars", url.ToString());
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"chromium wrote no screenshot (exit {result.ExitCode}):\n{result.Stderr}");
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var profile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "eventlink-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var flag in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}" })
        {
            start.ArgumentList.Add(flag);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish within 90 s:\n{await stderr}");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>A test that needs the browser: skipped with a clear message when Chromium is absent locally; never skipped in CI.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!Chromium.IsInstalled && !Chromium.IsRequired)
        {
            Skip = $"{Chromium.Path} is not installed (apt-get install chromium); set CI=true or EVENTLINK_REQUIRE_BROWSER=1 to fail instead of skipping.";
        }
    }
}

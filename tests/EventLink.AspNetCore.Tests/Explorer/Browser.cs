namespace EventLink.AspNetCore.Tests.Explorer;

/// <summary>Debian's Chromium and its WebDriver (<c>apt-get install chromium chromium-driver</c>; .ci/run installs both).</summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverDirectory = "/usr/bin";
    public const string DriverFile = "chromedriver";

    public static bool IsInstalled => File.Exists(ChromiumPath) && File.Exists(Path.Combine(DriverDirectory, DriverFile));

    /// <summary>Whether a missing browser fails the test (CI, or asked for) rather than skipping it.</summary>
    public static bool IsRequired =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ||
        Environment.GetEnvironmentVariable("EVENTLINK_REQUIRE_BROWSER") == "1";
}

/// <summary>A test that drives the browser: skipped with a clear message when it is absent locally; never skipped in CI.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!Browser.IsInstalled && !Browser.IsRequired)
        {
            Skip = $"{Browser.ChromiumPath} or {Browser.DriverDirectory}/{Browser.DriverFile} is not installed (apt-get install chromium chromium-driver); set CI=true or EVENTLINK_REQUIRE_BROWSER=1 to fail instead of skipping.";
        }
    }
}

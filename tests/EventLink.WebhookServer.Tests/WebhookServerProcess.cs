using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace EventLink.WebhookServer.Tests;

/// <summary>The built sample server, started with <c>dotnet EventLink.Samples.WebhookServer.dll --urls http://127.0.0.1:{port}</c> over a fresh SQLite file.</summary>
public sealed class WebhookServerProcess : IAsyncLifetime
{
    public const string StripeSecret = "whsec_test_5f1e0c3b9a7d4e2f8a6b";
    public const string IntercomSecret = "ic_sample_secret";
    public const string ZendeskSecret = "zd_sample_signing_secret";
    public const string HubSpotSecret = "hs_sample_client_secret";
    public const string SegmentWriteKey = "seg_sample_write_key";
    public const string PostHogKey = "phc_sample_key";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "eventlink-webhooks-" + Guid.NewGuid().ToString("N"));
    private readonly StringBuilder _log = new();
    private Process? _process;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static string Fixtures { get; } = Metadata("FixturesPath");

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Metadata("ServerPath"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        start.Environment["EventLink__Database"] = Path.Combine(_directory, "webhooks.db");
        start.Environment["Stripe__WebhookSecret"] = StripeSecret;
        start.Environment["Intercom__ClientSecret"] = IntercomSecret;
        start.Environment["Zendesk__SigningSecret"] = ZendeskSecret;
        start.Environment["HubSpot__ClientSecret"] = HubSpotSecret;
        start.Environment["Segment__WriteKey"] = SegmentWriteKey;
        start.Environment["PostHog__ApiKey"] = PostHogKey;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                if ((await Http.GetAsync(new Uri(BaseAddress, "health"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the server did not answer /health within 60 s:\n{Log}");
    }

    /// <summary>Posts one webhook body, signed as its tool signs (Stripe's with the given header instead, when one is given).</summary>
    public async Task<HttpResponseMessage> PostAsync(string source, string body, string? stripeSignature = null, bool sign = true)
    {
        var url = new Uri(BaseAddress, $"webhooks/{source}");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (source == "stripe" && (stripeSignature is not null || sign))
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", stripeSignature ?? Sign(body, DateTimeOffset.UtcNow));
        }
        else if (sign)
        {
            SignOtherTool(request, source, url, body);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>Intercom (X-Hub-Signature sha1), Zendesk (timestamp + body), HubSpot v3 (method + URL + body + ms), Segment and PostHog keys.</summary>
    private static void SignOtherTool(HttpRequestMessage request, string source, Uri url, string body)
    {
        var now = DateTimeOffset.UtcNow;
        switch (source)
        {
            case "intercom":
                request.Headers.TryAddWithoutValidation("X-Hub-Signature", "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(IntercomSecret), Encoding.UTF8.GetBytes(body))));
                break;
            case "zendesk":
                var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                request.Headers.TryAddWithoutValidation("X-Zendesk-Webhook-Signature-Timestamp", stamp);
                request.Headers.TryAddWithoutValidation("X-Zendesk-Webhook-Signature", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ZendeskSecret), Encoding.UTF8.GetBytes(stamp + body))));
                break;
            case "hubspot":
                var ms = now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
                request.Headers.TryAddWithoutValidation("X-HubSpot-Request-Timestamp", ms);
                request.Headers.TryAddWithoutValidation("X-HubSpot-Signature-v3", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(HubSpotSecret), Encoding.UTF8.GetBytes("POST" + url.AbsoluteUri + body + ms))));
                break;
            case "segment":
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(SegmentWriteKey + ":")));
                break;
            case "posthog":
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PostHogKey);
                break;
        }
    }

    public static string Sign(string body, DateTimeOffset at, string secret = StripeSecret)
    {
        var t = at.ToUnixTimeSeconds();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    public static IReadOnlyList<string> Lines(string vendor) =>
        [.. File.ReadLines(Path.Combine(Fixtures, vendor + ".jsonl")).Where(l => l.Trim().Length > 0)];

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Metadata(string key) =>
        typeof(WebhookServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventLink.AspNetCore.Tests;

/// <summary>A real Kestrel server on 127.0.0.1 (a free port) in this process, with EventLink and every preset's schema.</summary>
public sealed class CollectorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CollectorHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public IEventLink Link => _app.Services.GetRequiredService<IEventLink>();

    public static string Fixtures { get; } = typeof(CollectorHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FixturesPath").Value!;

    public static IReadOnlyList<string> Lines(string vendor) =>
        [.. File.ReadLines(Path.Combine(Fixtures, vendor + ".jsonl")).Where(l => l.Trim().Length > 0)];

    public static async Task<CollectorHost> StartAsync(
        Action<WebApplicationBuilder>? configure,
        Action<WebApplication> map,
        string environment = "Production",
        Action<IEventLinkBuilder>? store = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ApplicationName = typeof(CollectorHost).Assembly.GetName().Name });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddEventLink(el =>
        {
            el.AddSchema(schema =>
            {
                foreach (var preset in Presets.SourcePresets.All)
                {
                    preset.Apply(schema);
                }
            });
            store?.Invoke(el);
        });
        configure?.Invoke(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CollectorHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

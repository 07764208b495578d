using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventLink.AspNetCore.Tests.HealthChecks;

public sealed class HealthCheckTests
{
    [Fact]
    public async Task An_unreachable_PostgreSQL_is_Unhealthy_and_the_health_endpoint_answers_503()
    {
        await using var postgres = CuttablePostgreSql.TryStart();
        if (postgres is null)
        {
            return;
        }

        await using var host = await CollectorHost.StartAsync(
            b => b.Services.AddHealthChecks().AddEventLink(),
            app => app.MapHealthChecks("/health"),
            store: el => el.UsePostgreSql(postgres.ConnectionString, o => o.Schema = postgres.Schema));
        var health = host.Services.GetRequiredService<HealthCheckService>();
        (await health.CheckHealthAsync()).Entries["eventlink-store"].Status.Should().Be(HealthStatus.Healthy, "the server is reachable and the schema migrated at start");

        postgres.Cut();
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Status.Should().Be(HealthStatus.Unhealthy);
        report.Entries["eventlink-store"].Status.Should().Be(HealthStatus.Unhealthy);
        report.Entries["eventlink-store"].Description.Should().StartWith("The store did not answer");
        (await host.Http.GetAsync("health")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task A_reachable_store_is_Healthy_and_a_quarantine_that_grows_past_the_threshold_is_Degraded()
    {
        await using var host = await CollectorHost.StartAsync(
            b => b.Services.AddHealthChecks().AddEventLink(o => o.MaxQuarantineGrowth = 1),
            app => app.MapHealthChecks("/health"));
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var first = await health.CheckHealthAsync();
        first.Status.Should().Be(HealthStatus.Healthy, string.Join("; ", first.Entries.Select(e => $"{e.Key} {e.Value.Status} {e.Value.Description} {e.Value.Exception}")));
        (await host.Http.GetAsync("health")).StatusCode.Should().Be(HttpStatusCode.OK);

        // Two Zendesk tickets whose requesters EventLink has never seen: both wait in quarantine.
        foreach (var line in CollectorHost.Lines("zendesk").Where(l => l.Contains("ticket", StringComparison.Ordinal)).Take(2))
        {
            var read = Presets.SourcePresets.Zendesk.Read(line);
            await host.Link.IngestAsync(read.Records);
        }

        var quarantined = (await host.Link.GetCoverageAsync()).RecordTypes.Sum(r => r.Quarantined);
        quarantined.Should().BeGreaterThan(1);
        var report = await health.CheckHealthAsync();
        report.Entries["eventlink-quarantine"].Status.Should().Be(HealthStatus.Degraded, report.Entries["eventlink-quarantine"].Description);
        report.Entries["eventlink-store"].Status.Should().Be(HealthStatus.Healthy);

        (await health.CheckHealthAsync()).Entries["eventlink-quarantine"].Status.Should().Be(HealthStatus.Healthy, "it did not grow since the last check");
    }
}

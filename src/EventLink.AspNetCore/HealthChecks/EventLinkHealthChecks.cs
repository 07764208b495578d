using EventLink.AspNetCore.HealthChecks;
using EventLink;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds EventLink's health checks to <c>services.AddHealthChecks()</c>.</summary>
public static class EventLinkHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds three checks: <c>eventlink-store</c> (the store answers a read of its migrated tables: Unhealthy when it
    /// cannot), <c>eventlink-dead-letters</c> (Degraded when a sync holds more dead letters than allowed) and
    /// <c>eventlink-quarantine</c> (Degraded when the quarantine grew by more than allowed since the last check).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configure">Sets the thresholds.</param>
    /// <param name="tags">Tags of the checks, to filter them in <c>MapHealthChecks</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHealthChecksBuilder AddEventLink(this IHealthChecksBuilder builder, Action<EventLinkHealthCheckOptions>? configure = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<EventLinkHealthCheckOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddSingleton<QuarantineGrowthHealthCheck>();
        var tagList = tags?.ToArray() ?? ["eventlink"];
        return builder
            .AddCheck<StoreHealthCheck>("eventlink-store", HealthStatus.Unhealthy, tagList)
            .AddCheck<DeadLetterHealthCheck>("eventlink-dead-letters", HealthStatus.Degraded, tagList)
            .Add(new HealthCheckRegistration("eventlink-quarantine", sp => sp.GetRequiredService<QuarantineGrowthHealthCheck>(), HealthStatus.Degraded, tagList));
    }
}

/// <summary>The store is reachable and its tables are there: a read of the coverage counts succeeds.</summary>
internal sealed class StoreHealthCheck(IEventLink link) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // The first use migrates the store; every later one reads tables that only a migrated store has.
            var coverage = await link.GetCoverageAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"The store answered; {coverage.RecordTypes.Count} record types.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The store did not answer: {ex.GetType().Name}.", ex);
        }
    }
}

/// <summary>No sync holds more dead letters than allowed.</summary>
internal sealed class DeadLetterHealthCheck(IEventLink link, IOptions<EventLinkSyncOptions> syncs, IOptions<EventLinkHealthCheckOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        try
        {
            foreach (var sync in syncs.Value.Syncs.Keys)
            {
                data[sync] = (await link.GetDeadLettersAsync(sync, cancellationToken).ConfigureAwait(false)).Count;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(HealthStatus.Unhealthy, $"The dead letters could not be read: {ex.GetType().Name}.", ex);
        }

        var over = data.Where(d => (int)d.Value > options.Value.MaxDeadLetters).Select(d => d.Key).ToList();
        return over.Count == 0
            ? HealthCheckResult.Healthy($"{data.Count} syncs, none over {options.Value.MaxDeadLetters} dead letters.", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"Syncs with dead letters: {string.Join(", ", over)}.", data: data);
    }
}

/// <summary>The quarantine did not grow by more than allowed since the previous check (a source whose identities stopped matching).</summary>
internal sealed class QuarantineGrowthHealthCheck(IEventLink link, IOptions<EventLinkHealthCheckOptions> options) : IHealthCheck
{
    private readonly Lock _gate = new();
    private long? _previous;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        long quarantined;
        try
        {
            quarantined = (await link.GetCoverageAsync(cancellationToken).ConfigureAwait(false)).RecordTypes.Sum(r => r.Quarantined);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(HealthStatus.Unhealthy, $"The quarantine could not be counted: {ex.GetType().Name}.", ex);
        }

        long previous;
        lock (_gate)
        {
            previous = _previous ?? quarantined;
            _previous = quarantined;
        }

        var growth = quarantined - previous;
        var data = new Dictionary<string, object> { ["quarantined"] = quarantined, ["growth"] = growth };
        return growth > options.Value.MaxQuarantineGrowth
            ? new HealthCheckResult(context.Registration.FailureStatus, $"The quarantine grew by {growth} records since the last check.", data: data)
            : HealthCheckResult.Healthy($"{quarantined} records in quarantine ({growth:+#;-#;0} since the last check).", data);
    }
}

using EventLink.Destinations.Internal;
using EventLink.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EventLink;

/// <summary>
/// Runs every sync of every configured tenant (<see cref="EventLinkSyncOptions.Tenants"/>, else the default
/// tenant) in rounds, <see cref="EventLinkSyncOptions.Interval"/> apart, until the host stops. Register it with
/// <c>AddSyncService()</c>; a failing run is logged and tried again next round.
/// </summary>
public sealed class EventLinkSyncService : BackgroundService
{
    private readonly IEventLink _eventLink;
    private readonly EventLinkSyncOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="EventLinkSyncService"/> class.</summary>
    /// <param name="eventLink">EventLink.</param>
    /// <param name="options">The sync options.</param>
    /// <param name="timeProvider">The clock the interval is measured with.</param>
    /// <param name="logger">The logger, if any.</param>
    public EventLinkSyncService(IEventLink eventLink, IOptions<EventLinkSyncOptions> options, TimeProvider timeProvider, ILogger<EventLinkSyncService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(eventLink);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _eventLink = eventLink;
        _options = options.Value;
        _time = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Runs one round: every sync of every tenant once.</summary>
    /// <param name="cancellationToken">Cancels the round.</param>
    /// <returns>A task that completes when the round is over.</returns>
    public async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        var tenants = _options.Tenants.Count > 0 ? _options.Tenants : [_eventLink.Tenant];
        foreach (var tenant in tenants)
        {
            var view = _eventLink.ForTenant(tenant);
            foreach (var sync in _options.Syncs.Keys)
            {
                try
                {
                    await view.RunSyncOnceAsync(sync, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    SyncLog.RunFailed(_logger, ex, sync, tenant);
                }
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await RunRoundAsync(stoppingToken).ConfigureAwait(false);
            await Task.Delay(_options.Interval, _time, stoppingToken).ConfigureAwait(false);
        }
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EventLink;

/// <summary>
/// Evaluates, every <see cref="TraitsOptions.RefreshInterval"/>, the profiles whose trait windows expired or whose audience
/// waits ended (<see cref="IEventLink.RefreshTraitsAsync"/>) for each tenant of <see cref="TraitsOptions.RefreshTenants"/>
/// (else the default tenant). Register it with <c>AddTraitsRefreshService()</c>; a failing round is logged and tried again.
/// </summary>
public sealed partial class EventLinkTraitsRefreshService : BackgroundService
{
    private readonly IEventLink _eventLink;
    private readonly TraitsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="EventLinkTraitsRefreshService"/> class.</summary>
    /// <param name="eventLink">EventLink.</param>
    /// <param name="options">The traits options.</param>
    /// <param name="timeProvider">The clock the interval is measured with.</param>
    /// <param name="logger">The logger, if any.</param>
    public EventLinkTraitsRefreshService(IEventLink eventLink, IOptions<TraitsOptions> options, TimeProvider timeProvider, ILogger<EventLinkTraitsRefreshService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(eventLink);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _eventLink = eventLink;
        _options = options.Value;
        _time = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Runs one round: refreshes every tenant once.</summary>
    /// <param name="cancellationToken">Cancels the round.</param>
    /// <returns>A task that completes when the round is over.</returns>
    public async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        var tenants = _options.RefreshTenants.Count > 0 ? _options.RefreshTenants : [_eventLink.Tenant];
        foreach (var tenant in tenants)
        {
            try
            {
                await _eventLink.ForTenant(tenant).RefreshTraitsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                RefreshFailed(_logger, ex, tenant);
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await RunRoundAsync(stoppingToken).ConfigureAwait(false);
            await Task.Delay(_options.RefreshInterval, _time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "Refreshing computed traits of tenant '{Tenant}' failed; it is tried again next round.")]
    private static partial void RefreshFailed(ILogger logger, Exception exception, string tenant);
}

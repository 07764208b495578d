using EventLink.Privacy.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventLink.Destinations.Internal;

/// <summary>The syncs, privacy rules and destinations the engine runs with (empty when none are registered).</summary>
internal sealed class SyncSettings
{
    private readonly IServiceProvider? _services;

    private SyncSettings(EventLinkSyncOptions options, EventLinkPrivacyOptions privacy, IServiceProvider? services)
    {
        Options = options;
        Privacy = new PrivacyRules(privacy);
        TombstoneKey = privacy.TombstoneSecret is { } secret ? System.Text.Encoding.UTF8.GetBytes(secret) : null;
        _services = services;
    }

    /// <summary>Gets the key of erasure tombstones (<see cref="EventLinkPrivacyOptions.TombstoneSecret"/>), when configured.</summary>
    public byte[]? TombstoneKey { get; }

    /// <summary>The separator of a sync's name and its trigger feed in stored progress (<c>crm~triggers</c>); sync names may not contain it.</summary>
    public const string ReservedSeparator = "~";

    public static SyncSettings Empty { get; } = new(new EventLinkSyncOptions(), new EventLinkPrivacyOptions(), null);

    public EventLinkSyncOptions Options { get; }

    public PrivacyRules Privacy { get; }

    /// <summary>Gets whether changes are logged: only when a sync exists to read them, so ingest without syncs pays nothing.</summary>
    public bool RecordsChanges => Options.Syncs.Count > 0;

    public static SyncSettings Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<EventLinkSyncOptions>>().Value;
        if (options.Syncs.Keys.FirstOrDefault(n => n.Contains(ReservedSeparator, StringComparison.Ordinal)) is { } bad)
        {
            // Syncs bound from configuration do not pass through AddSync's guard.
            throw new InvalidOperationException($"A sync's name may not contain '{ReservedSeparator}' (it names the sync's trigger feed): '{bad}'.");
        }

        var privacy = services.GetRequiredService<IOptions<EventLinkPrivacyOptions>>().Value;
        if (privacy.TombstoneSecret is { } secret && (string.IsNullOrWhiteSpace(secret) || secret.Length < EventLinkPrivacyOptions.MinTombstoneSecretLength))
        {
            throw new InvalidOperationException(
                $"EventLinkPrivacyOptions.TombstoneSecret must be at least {EventLinkPrivacyOptions.MinTombstoneSecretLength} characters " +
                "(for instance 32 random bytes in base64: `openssl rand -base64 32`).");
        }

        return new(options, privacy, services);
    }

    public SyncDefinition GetSync(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Options.Syncs.TryGetValue(name, out var sync)
            ? sync
            : throw new ArgumentException($"No sync is named '{name}'; add it with AddSync.", nameof(name));
    }

    public IEventLinkDestination GetDestination(string name) =>
        _services?.GetKeyedService<IEventLinkDestination>(name)
        ?? throw new InvalidOperationException($"No destination is named '{name}'; add it with AddDestination, AddHttpWebhookDestination or AddJsonLinesFileDestination.");
}

using System.Collections.Concurrent;
using EventLink.Internal;
using EventLink.Storage;
using Microsoft.Extensions.Logging;

namespace EventLink.Destinations.Internal;

/// <summary>
/// The sync runner. Each sync reads the tenant's change log (and, when it sends triggers, the trigger log) in order
/// from its durable cursor; an item is done when
/// the destination acknowledged it, when the sync skips or withholds it, or when it is dead-lettered, and the cursor
/// is saved after each one, so an acknowledged delivery is never repeated. A failure stops the run (order is kept)
/// and the item is retried, from any process, once its backoff has passed.
/// </summary>
internal sealed class SyncRunner(EventLinkCore core)
{
    private readonly ConcurrentDictionary<(string Tenant, string Sync), SemaphoreSlim> _syncGates = new();

    public async ValueTask<SyncRunResult> RunSyncOnceAsync(string tenant, string syncName, CancellationToken cancellationToken)
    {
        var sync = core.Sync.GetSync(syncName);
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var destination = core.Sync.GetDestination(sync.Destination);
        var gate = _syncGates.GetOrAdd((tenant, syncName), static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var builder = new SyncMessageBuilder(core, tenant, syncName, sync);
            var result = await RunFeedAsync(tenant, syncName, syncName, triggers: false, builder, destination, cancellationToken).ConfigureAwait(false);
            if (sync.Send.HasFlag(SyncContent.Triggers))
            {
                // The trigger log is a second feed with its own durable cursor (and dead letters), under a derived name.
                var more = await RunFeedAsync(tenant, syncName, TriggerFeedName(syncName), triggers: true, builder, destination, cancellationToken).ConfigureAwait(false);
                result = new SyncRunResult(
                    result.Delivered + more.Delivered,
                    result.Withheld + more.Withheld,
                    result.Skipped + more.Skipped,
                    result.Failed + more.Failed,
                    result.DeadLettered + more.DeadLettered);
            }

            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The name a sync's trigger-feed cursor and dead letters are stored under.</summary>
    internal static string TriggerFeedName(string syncName) => syncName + SyncSettings.ReservedSeparator + "triggers";

    /// <summary>Runs one feed (the change log, or the trigger log) of a sync from its durable cursor.</summary>
    private async ValueTask<SyncRunResult> RunFeedAsync(
        string tenant,
        string syncName,
        string stateName,
        bool triggers,
        SyncMessageBuilder builder,
        IEventLinkDestination destination,
        CancellationToken cancellationToken)
    {
        var state = await core.Store.GetSyncStateAsync(tenant, stateName, cancellationToken).ConfigureAwait(false)
            ?? new SyncStateRow(stateName, 0, 0, 0, null, null);
        int delivered = 0, withheld = 0, skipped = 0, failed = 0, dead = 0;
        while (true)
        {
            var items = await ReadFeedAsync(tenant, triggers, state.Cursor, core.Sync.Options.PageSize, cancellationToken).ConfigureAwait(false);
            if (items.Count == 0)
            {
                return new SyncRunResult(delivered, withheld, skipped, failed, dead);
            }

            foreach (var item in items)
            {
                var retrying = state.RetrySequence == item.Sequence;
                if (retrying && state.NextAttemptAt is { } next && next > core.Time.GetUtcNow())
                {
                    return new SyncRunResult(delivered, withheld, skipped, failed, dead);
                }

                var (decision, message) = await builder.BuildAsync(item, cancellationToken).ConfigureAwait(false);
                DeliveryResult outcome = default;
                if (decision == SyncDecision.Send)
                {
                    if (message!.Kind == DestinationMessageKind.Erasure && destination is not IErasureDestination)
                    {
                        decision = SyncDecision.Skip;
                    }
                    else
                    {
                        outcome = await SendAsync(destination, message, cancellationToken).ConfigureAwait(false);
                    }
                }

                var done = new SyncStateRow(stateName, item.Sequence, 0, 0, null, null);
                if (decision != SyncDecision.Send || outcome.Succeeded)
                {
                    _ = decision switch
                    {
                        SyncDecision.Skip => skipped++,
                        SyncDecision.Withhold => withheld++,
                        _ => delivered++,
                    };
                    state = done;
                    await core.Store.SaveSyncStateAsync(tenant, state, null, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var attempts = (retrying ? state.Attempts : 0) + 1;
                var error = outcome.Error ?? "the destination did not acknowledge";
                SyncLog.DeliveryFailed(core.Logger, syncName, tenant, message!.IdempotencyKey, attempts, error);
                if (attempts >= core.Sync.Options.MaxAttempts)
                {
                    dead++;
                    state = done;
                    await core.Store.SaveSyncStateAsync(
                        tenant,
                        state,
                        new DeadLetterRow(stateName, item.Sequence, item.ProfileId, message.IdempotencyKey, attempts, error, core.Time.GetUtcNow()),
                        cancellationToken).ConfigureAwait(false);
                    continue;
                }

                failed++;
                state = new SyncStateRow(stateName, state.Cursor, item.Sequence, attempts, core.Time.GetUtcNow() + Backoff(attempts), error);
                await core.Store.SaveSyncStateAsync(tenant, state, null, cancellationToken).ConfigureAwait(false);
                return new SyncRunResult(delivered, withheld, skipped, failed, dead);
            }
        }
    }

    private async ValueTask<IReadOnlyList<SyncFeedItem>> ReadFeedAsync(string tenant, bool triggers, long cursor, int limit, CancellationToken cancellationToken)
    {
        if (triggers)
        {
            var rows = await core.Store.ReadTriggersAsync(tenant, cursor, limit, cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(r => new SyncFeedItem(r.Sequence, r.ProfileId, null, r))];
        }

        var changes = await core.Store.ReadChangesAsync(tenant, cursor, limit, cancellationToken).ConfigureAwait(false);
        return [.. changes.Select(c => new SyncFeedItem(c.Sequence, c.ProfileId, c, null))];
    }

    public async ValueTask<IReadOnlyList<DeadLetterRow>> GetDeadLettersAsync(string tenant, string syncName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(syncName);
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var letters = await core.Store.ReadDeadLettersAsync(tenant, syncName, cancellationToken).ConfigureAwait(false);
        var triggerLetters = await core.Store.ReadDeadLettersAsync(tenant, TriggerFeedName(syncName), cancellationToken).ConfigureAwait(false);
        return triggerLetters.Count == 0 ? letters : [.. letters, .. triggerLetters];
    }

    public async ValueTask<SyncRunResult> RetryDeadLettersAsync(string tenant, string syncName, CancellationToken cancellationToken)
    {
        var sync = core.Sync.GetSync(syncName);
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var destination = core.Sync.GetDestination(sync.Destination);
        var builder = new SyncMessageBuilder(core, tenant, syncName, sync);
        int delivered = 0, withheld = 0, skipped = 0, failed = 0;
        foreach (var (stateName, triggers) in new[] { (syncName, false), (TriggerFeedName(syncName), true) })
        {
            foreach (var letter in await core.Store.ReadDeadLettersAsync(tenant, stateName, cancellationToken).ConfigureAwait(false))
            {
                var items = await ReadFeedAsync(tenant, triggers, letter.Sequence - 1, 1, cancellationToken).ConfigureAwait(false);
                var (decision, message) = items.Count == 1 && items[0].Sequence == letter.Sequence
                    ? await builder.BuildAsync(items[0], cancellationToken).ConfigureAwait(false)
                    : (SyncDecision.Skip, null);
                if (decision == SyncDecision.Send)
                {
                    var outcome = message!.Kind == DestinationMessageKind.Erasure && destination is not IErasureDestination
                        ? DeliveryResult.Success
                        : await SendAsync(destination, message, cancellationToken).ConfigureAwait(false);
                    if (!outcome.Succeeded)
                    {
                        failed++;
                        continue;
                    }

                    delivered++;
                }
                else if (decision == SyncDecision.Withhold)
                {
                    withheld++;
                }
                else
                {
                    skipped++;
                }

                await core.Store.RemoveDeadLetterAsync(tenant, stateName, letter.Sequence, cancellationToken).ConfigureAwait(false);
            }
        }

        return new SyncRunResult(delivered, withheld, skipped, failed, 0);
    }

    /// <summary>Exponential backoff with "equal jitter": half of the delay is fixed, half random, so retries of many items spread out.</summary>
    private TimeSpan Backoff(int attempts)
    {
        var options = core.Sync.Options;
        var exponential = options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        var delay = Math.Min(exponential, options.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((delay / 2) + (Random.Shared.NextDouble() * delay / 2));
    }

    private static async ValueTask<DeliveryResult> SendAsync(IEventLinkDestination destination, DestinationMessage message, CancellationToken cancellationToken)
    {
        using var span = EventLinkTracing.Source.StartActivity(EventLinkTracing.DeliverSpan, System.Diagnostics.ActivityKind.Client);
        span?.SetTag("eventlink.tenant", message.Tenant);
        span?.SetTag("eventlink.sync", message.Sync);
        span?.SetTag("eventlink.message_kind", message.Kind.ToString());
        try
        {
            var result = message.Kind == DestinationMessageKind.Erasure
                ? await ((IErasureDestination)destination).EraseAsync(message, cancellationToken).ConfigureAwait(false)
                : await destination.DeliverAsync(message, cancellationToken).ConfigureAwait(false);
            span?.SetTag("eventlink.delivered", result.Succeeded);
            if (!result.Succeeded)
            {
                span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "not acknowledged");
            }

            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A destination that throws is a failed delivery like any other: retried, then dead-lettered.
            if (span is not null)
            {
                EventLinkTracing.Fail(span, ex);
            }

            return DeliveryResult.Failure($"{ex.GetType().Name}: {ex.Message}");
        }
    }
}

/// <summary>One entry of a sync's feed: a change-log entry or a trigger-log entry.</summary>
internal readonly record struct SyncFeedItem(long Sequence, Guid ProfileId, ChangeRow? Change, TriggerRow? Trigger);

/// <summary>Log messages of the sync runner.</summary>
internal static partial class SyncLog
{
    [LoggerMessage(100, LogLevel.Warning, "core.Sync {Sync} (tenant {Tenant}) failed to deliver {IdempotencyKey} (attempt {Attempts}): {Error}")]
    public static partial void DeliveryFailed(ILogger logger, string sync, string tenant, string idempotencyKey, int attempts, string error);

    [LoggerMessage(101, LogLevel.Error, "core.Sync {Sync} (tenant {Tenant}) stopped with an error; it runs again next round")]
    public static partial void RunFailed(ILogger logger, Exception exception, string sync, string tenant);
}

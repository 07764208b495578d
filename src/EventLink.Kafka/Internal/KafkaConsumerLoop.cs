using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace EventLink.Kafka.Internal;

/// <summary>
/// Consume → ingest → commit, one batch at a time. A partition's offset is committed only after <c>IngestAsync</c>
/// returned for every message of the batch before it, so a crash re-delivers at most the uncommitted batch (which
/// idempotency turns into <see cref="IngestOutcome.Duplicate"/>). A failed batch is kept and retried with backoff,
/// nothing committed meanwhile. On a rebalance, stored work of a revoked partition is committed before it is given up
/// and its consumed-but-unstored messages are dropped: the next owner reads them from the committed offset.
/// </summary>
internal sealed class KafkaConsumerLoop(IEventLink link, KafkaSourceOptions options, KafkaMetrics metrics, ILogger logger, TimeProvider time)
{
    private static readonly ActivitySource Source = new(KafkaSourceDiagnostics.ActivitySourceName);

    private readonly KafkaMessageReader _reader = new(options);
    private readonly List<ConsumeResult<byte[]?, byte[]?>> _pending = [];

    // Offsets stored but not yet committed (a commit failed): committed with the next batch or on revocation.
    private readonly Dictionary<TopicPartition, Offset> _uncommitted = [];

    private static readonly TimeSpan CommitRetryInterval = TimeSpan.FromSeconds(1);

    private long _storedMessages;
    private long _lastCommitAttempt;

    /// <summary>Gets how many messages this loop has stored (and committed, or tried to).</summary>
    public long StoredMessages => _storedMessages;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var consumer = Build();
        consumer.Subscribe(options.Topics.Select(t => t.Topic));
        Log.Started(logger, options.GroupId, string.Join(", ", options.Topics.Select(t => t.Topic)));
        try
        {
            await ConsumeAsync(consumer, long.MaxValue, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what was stored is committed; what was not is read again by the next owner.
        }
        finally
        {
            _pending.Clear();
            try
            {
                consumer.Close(); // Leaves the group: the revocation commits any stored, uncommitted offsets.
            }
            catch (KafkaException ex)
            {
                Log.CommitFailed(logger, ex);
            }
        }
    }

    /// <summary>Consumes, stores and commits batches until stopped or until <paramref name="stopAfter"/> messages are stored.</summary>
    internal async Task ConsumeAsync(IConsumer<byte[]?, byte[]?> consumer, long stopAfter, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested && _storedMessages < stopAfter)
        {
            var started = Fill(consumer, stoppingToken);
            if (_pending.Count > 0)
            {
                await StoreAndCommitAsync(consumer, started, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    internal IConsumer<byte[]?, byte[]?> Build()
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(options.ConsumerConfig))
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.GroupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
        };
        config.AutoOffsetReset ??= AutoOffsetReset.Earliest;
        return new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) => Log.ConsumerError(logger, error.Reason))
            .SetPartitionsAssignedHandler((_, partitions) => Log.Assigned(logger, string.Join(", ", partitions)))
            .SetPartitionsRevokedHandler(OnRevoked)
            .SetPartitionsLostHandler(OnLost)
            .Build();
    }

    /// <summary>Consumes until the batch is full or its linger has passed since its first message.</summary>
    private long Fill(IConsumer<byte[]?, byte[]?> consumer, CancellationToken stoppingToken)
    {
        var started = 0L;
        while (_pending.Count < options.BatchSize && !stoppingToken.IsCancellationRequested)
        {
            var wait = TimeSpan.FromMilliseconds(100);
            if (_pending.Count > 0)
            {
                var left = options.Linger - time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                wait = left < wait ? left : wait;
            }

            var message = consumer.Consume(wait);
            if (message is null || message.IsPartitionEOF)
            {
                // Idle: stored offsets whose commit failed (say, refused during a rebalance) are committed now,
                // rather than waiting for the partition's next message, which may never come.
                if (_pending.Count == 0 && _uncommitted.Count > 0 && time.GetElapsedTime(_lastCommitAttempt) >= CommitRetryInterval)
                {
                    Commit(consumer);
                }

                continue;
            }

            if (_pending.Count == 0)
            {
                started = time.GetTimestamp();
            }

            _pending.Add(message);
        }

        return started;
    }

    private async Task StoreAndCommitAsync(IConsumer<byte[]?, byte[]?> consumer, long started, CancellationToken stoppingToken)
    {
        using var activity = StartActivity();
        var records = new List<IngestRecord>(_pending.Count);
        var owners = new List<int>(_pending.Count);
        for (var i = 0; i < _pending.Count; i++)
        {
            var count = _reader.Read(_pending[i], records);
            if (count == 0)
            {
                metrics.Record(_pending[i].Topic, "ignored");
            }

            for (var j = 0; j < count; j++)
            {
                owners.Add(i);
            }
        }

        var results = await IngestWithRetryAsync(records, stoppingToken).ConfigureAwait(false);
        for (var i = 0; i < results.Count; i++)
        {
            metrics.Record(_pending[owners[i]].Topic, OutcomeName(results[i].Outcome));
        }

        // Every message of the batch is stored: each partition's next offset is one past its last message.
        foreach (var message in _pending)
        {
            _uncommitted[message.TopicPartition] = message.Offset + 1;
        }

        activity?.SetTag("messaging.batch.message_count", _pending.Count);
        activity?.SetTag("eventlink.records", records.Count);
        Commit(consumer);
        UpdateLag(consumer);
        _storedMessages += _pending.Count;
        _pending.Clear();
        metrics.BatchDone(time.GetElapsedTime(started));
    }

    private Activity? StartActivity()
    {
        List<ActivityLink>? links = null;
        foreach (var message in _pending)
        {
            if (message.Message.Headers is { } headers && headers.TryGetLastBytes("traceparent", out var bytes)
                && ActivityContext.TryParse(System.Text.Encoding.UTF8.GetString(bytes), null, out var context))
            {
                (links ??= []).Add(new ActivityLink(context));
            }
        }

        var activity = Source.StartActivity(ActivityKind.Consumer, links: links, name: "kafka batch");
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.consumer.group.name", options.GroupId);
        return activity;
    }

    private async Task<IReadOnlyList<IngestResult>> IngestWithRetryAsync(List<IngestRecord> records, CancellationToken stoppingToken)
    {
        var delay = options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await link.IngestAsync(records, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The store rolled the batch back: nothing is committed; the same batch runs again after the delay.
                metrics.Failed();
                Log.BatchFailed(logger, ex, _pending.Count, attempt, delay);
                Activity.Current?.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection { ["exception.type"] = ex.GetType().FullName }));
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                delay = delay * 2 < options.MaxRetryDelay ? delay * 2 : options.MaxRetryDelay;
            }
        }
    }

    private void Commit(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyCollection<TopicPartition>? only = null)
    {
        var offsets = _uncommitted
            .Where(e => only is null || only.Contains(e.Key))
            .Select(e => new TopicPartitionOffset(e.Key, e.Value))
            .ToList();
        if (offsets.Count == 0)
        {
            return;
        }

        _lastCommitAttempt = time.GetTimestamp();
        try
        {
            consumer.Commit(offsets);
            foreach (var offset in offsets)
            {
                _uncommitted.Remove(offset.TopicPartition);
            }

            if (logger.IsEnabled(LogLevel.Debug))
            {
                Log.Committed(logger, string.Join(", ", offsets));
            }
        }
        catch (KafkaException ex)
        {
            Log.CommitFailed(logger, ex);
        }
    }

    private void OnRevoked(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartitionOffset> revoked)
    {
        var partitions = revoked.Select(r => r.TopicPartition).ToHashSet();
        Commit(consumer, partitions);
        var dropped = _pending.RemoveAll(m => partitions.Contains(m.TopicPartition));
        foreach (var partition in partitions)
        {
            _uncommitted.Remove(partition);
            metrics.ForgetLag(partition.Topic, partition.Partition.Value);
        }

        Log.Revoked(logger, string.Join(", ", partitions), dropped);
    }

    private void OnLost(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartitionOffset> lost)
    {
        var partitions = lost.Select(r => r.TopicPartition).ToHashSet();
        _pending.RemoveAll(m => partitions.Contains(m.TopicPartition));
        foreach (var partition in partitions)
        {
            _uncommitted.Remove(partition);
            metrics.ForgetLag(partition.Topic, partition.Partition.Value);
        }

        Log.Lost(logger, string.Join(", ", partitions));
    }

    private void UpdateLag(IConsumer<byte[]?, byte[]?> consumer)
    {
        var last = new Dictionary<TopicPartition, long>();
        foreach (var message in _pending)
        {
            last[message.TopicPartition] = message.Offset.Value + 1;
        }

        foreach (var (partition, position) in last)
        {
            var high = consumer.GetWatermarkOffsets(partition).High;
            if (high != Offset.Unset)
            {
                metrics.SetLag(partition.Topic, partition.Partition.Value, high.Value - position);
            }
        }
    }

    private static string OutcomeName(IngestOutcome outcome) => outcome switch
    {
        IngestOutcome.Created => "created",
        IngestOutcome.Updated => "updated",
        IngestOutcome.Linked => "linked",
        IngestOutcome.Duplicate => "duplicate",
        IngestOutcome.Stale => "stale",
        IngestOutcome.Quarantined => "quarantined",
        IngestOutcome.Rejected => "rejected",
        IngestOutcome.Suppressed => "suppressed",
        IngestOutcome.Filtered => "filtered",
        _ => "other",
    };
}

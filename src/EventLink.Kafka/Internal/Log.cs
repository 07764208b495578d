using Microsoft.Extensions.Logging;

namespace EventLink.Kafka.Internal;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Kafka source joined group {GroupId} on topics {Topics}")]
    public static partial void Started(ILogger logger, string groupId, string topics);

    [LoggerMessage(2, LogLevel.Warning, "A batch of {Count} Kafka messages could not be stored (attempt {Attempt}); nothing is committed, next attempt in {Delay}")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int count, int attempt, TimeSpan delay);

    [LoggerMessage(3, LogLevel.Warning, "Committing Kafka offsets failed; they are committed with the next batch or when the partition is revoked")]
    public static partial void CommitFailed(ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Information, "Kafka partitions assigned: {Partitions}")]
    public static partial void Assigned(ILogger logger, string partitions);

    [LoggerMessage(5, LogLevel.Information, "Kafka partitions revoked: {Partitions}; {Dropped} consumed messages not yet stored are left to their next owner")]
    public static partial void Revoked(ILogger logger, string partitions, int dropped);

    [LoggerMessage(6, LogLevel.Warning, "Kafka partitions lost: {Partitions}; nothing of them is committed")]
    public static partial void Lost(ILogger logger, string partitions);

    [LoggerMessage(7, LogLevel.Debug, "Committed Kafka offsets {Offsets}")]
    public static partial void Committed(ILogger logger, string offsets);

    [LoggerMessage(8, LogLevel.Warning, "Kafka consumer error: {Reason}")]
    public static partial void ConsumerError(ILogger logger, string reason);
}

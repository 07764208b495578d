using Microsoft.Extensions.Logging;

namespace EventLink.Internal;

internal static partial class Log
{
    private const string Withheld = "details withheld: set EventLinkOptions.LogPersonalData to log them";

    /// <summary>Logs a rejection; its message (which may quote payload values) only when personal data may be logged.</summary>
    public static void Rejected(EventLinkCore core, string source, string recordType, string? recordId, IngestReason reason, string message) =>
        Rejected(core.Logger, source, recordType, recordId, reason, core.Options.LogPersonalData ? message : Withheld);

    /// <summary>Logs a merge; the identity's value only when personal data may be logged, else its kind.</summary>
    public static void Merged(EventLinkCore core, Guid mergedId, Guid survivorId, string tenant, IdentityKey identity, string source, string recordId) =>
        Merged(core.Logger, mergedId, survivorId, tenant, core.Options.LogPersonalData ? identity.ToString() : $"{identity.Kind}:***", source, recordId);

    [LoggerMessage(1, LogLevel.Debug, "Rejected {Source}/{RecordType} record {RecordId}: {Reason} ({Message})")]
    private static partial void Rejected(ILogger logger, string source, string recordType, string? recordId, IngestReason reason, string message);

    [LoggerMessage(2, LogLevel.Debug, "Quarantined {Source}/{RecordType} record {RecordId}: {Reason}")]
    public static partial void Quarantined(ILogger logger, string source, string recordType, string recordId, IngestReason reason);

    [LoggerMessage(3, LogLevel.Information, "Merged profile {MergedId} into {SurvivorId} (tenant {Tenant}) through {Identity} from {Source}/{RecordId}")]
    private static partial void Merged(ILogger logger, Guid mergedId, Guid survivorId, string tenant, string identity, string source, string recordId);

    [LoggerMessage(4, LogLevel.Information, "Loaded {Count} identities of tenant {Tenant} into memory (store version {Version})")]
    public static partial void IndexLoaded(ILogger logger, int count, string tenant, long version);

    [LoggerMessage(6, LogLevel.Debug, "Refreshed the identity index of tenant {Tenant} from store version {FromVersion} to {Version}: {Changed} changed and {Removed} removed identities read, {Count} held")]
    public static partial void IndexRefreshed(ILogger logger, string tenant, long fromVersion, long version, int changed, int removed, int count);

    [LoggerMessage(5, LogLevel.Warning, "An ingest batch of tenant {Tenant} failed and was rolled back; nothing of it was stored")]
    public static partial void BatchFailed(ILogger logger, Exception exception, string tenant);

    [LoggerMessage(50, LogLevel.Information, "An ingest batch of tenant {Tenant} hit a transient store failure on attempt {Attempt} and runs again")]
    public static partial void BatchRetried(ILogger logger, Exception exception, string tenant, int attempt);
}

namespace EventLink;

/// <summary>A record held in quarantine: stored, counted, and waiting for a profile it can link to.</summary>
/// <param name="Source">The source.</param>
/// <param name="RecordType">The record type.</param>
/// <param name="RecordId">The source record id.</param>
/// <param name="OccurredAt">When it happened (UTC).</param>
/// <param name="IngestedAt">When EventLink stored it (UTC).</param>
/// <param name="Reason">Why it is quarantined.</param>
/// <param name="Message">A readable explanation naming the values it waits for.</param>
/// <param name="PayloadJson">The payload as received.</param>
public sealed record QuarantinedRecord(
    string Source,
    string RecordType,
    string RecordId,
    DateTimeOffset OccurredAt,
    DateTimeOffset IngestedAt,
    IngestReason Reason,
    string Message,
    string PayloadJson);

/// <summary>The result of replaying the quarantine.</summary>
/// <param name="Examined">How many quarantined records were examined.</param>
/// <param name="Linked">How many are now linked to a profile.</param>
/// <param name="StillQuarantined">How many remain in quarantine.</param>
public sealed record QuarantineReplayResult(int Examined, int Linked, int StillQuarantined);

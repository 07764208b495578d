namespace EventLink.Ingestion.Internal;

/// <summary>The result of a parsed record.</summary>
internal static class IngestResults
{
    public static IngestResult Of(IngestOutcome outcome, ParsedRecord record, Guid? profileId, IngestReason reason = IngestReason.None, string? message = null) =>
        new(outcome, record.Source, record.Type.Name, record.RecordId, profileId, reason, message);
}

using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.Ingestion.Internal;

/// <summary>
/// One rule for a source's record id, whatever the kinds: it belongs to one record. A record whose id another record
/// type of the same source holds (an event or a merged record) is rejected as a <see cref="IngestReason.RecordIdConflict"/>
/// naming that type; the same type holding it is the same record (a duplicate or another version).
/// </summary>
internal static class RecordIdRule
{
    /// <summary>Finds the record type of the event holding a merged record's id, when no merged record holds it.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="record">The merged record.</param>
    /// <param name="existing">The merged record stored under the id, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record type of another record holding the id, or <see langword="null"/>.</returns>
    public static async ValueTask<string?> OtherHolderAsync(Batch batch, ParsedRecord record, SourceRecordRow? existing, CancellationToken cancellationToken)
    {
        if (existing is not null)
        {
            return existing.RecordType == record.Type.Name ? null : existing.RecordType;
        }

        var events = await batch.Session.GetEventRecordTypesAsync([(record.Source, record.RecordId)], cancellationToken).ConfigureAwait(false);
        return events[0];
    }

    /// <summary>Finds who holds the ids of events the store did not insert: another type (a conflict), or the same (a duplicate).</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="records">The events not inserted.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>For each event, the record type of another record holding its id, or <see langword="null"/> for a duplicate.</returns>
    public static async ValueTask<string?[]> OtherHoldersAsync(Batch batch, IReadOnlyList<ParsedRecord> records, CancellationToken cancellationToken)
    {
        var keys = new (string Source, string RecordId)[records.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = (records[i].Source, records[i].RecordId);
        }

        var events = await batch.Session.GetEventRecordTypesAsync(keys, cancellationToken).ConfigureAwait(false);
        var others = new string?[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            // Not an event's: a merged record holds it (the store inserts no event under a merged record's id).
            var holder = events[i] ?? (await batch.Session.GetSourceRecordAsync(keys[i].Source, keys[i].RecordId, cancellationToken).ConfigureAwait(false))?.RecordType;
            others[i] = holder is null || holder == records[i].Type.Name ? null : holder;
        }

        return others;
    }

    /// <summary>Rejects a record whose id another record type holds, and notes it.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="record">The record.</param>
    /// <param name="holder">The record type holding the id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result.</returns>
    public static async ValueTask<IngestResult> RejectAsync(Batch batch, ParsedRecord record, string holder, CancellationToken cancellationToken)
    {
        var message = $"record id '{record.RecordId}' of source '{record.Source}' already belongs to a '{holder}' record";
        await batch.Session.AddRejectionAsync(new RejectionRow(record.Source, record.Type.Name, record.RecordId, IngestReason.RecordIdConflict, message, batch.Now), cancellationToken).ConfigureAwait(false);
        return IngestResults.Of(IngestOutcome.Rejected, record, null, IngestReason.RecordIdConflict, message);
    }
}

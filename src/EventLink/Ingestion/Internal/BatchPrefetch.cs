using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.Ingestion.Internal;

/// <summary>Set-based reads: a store that pays per round trip is told up front what a batch will read.</summary>
internal static class BatchPrefetch
{
    /// <summary>
    /// Reads the keys of the batch's records (source record ids, and the normalised identities of merged records) and
    /// hands them to the session in one call. A record that cannot be read here is simply left out: the loop rejects
    /// it later, and a key missed here (say, one a transformation rewrites) only costs the store a read on demand.
    /// </summary>
    /// <param name="schema">The schema.</param>
    /// <param name="maxPayloadBytes">The largest payload the loop accepts.</param>
    /// <param name="batch">The batch.</param>
    /// <param name="records">The records, as given.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the store has loaded what it wants.</returns>
    public static async ValueTask PrefetchAsync(EventLinkSchema schema, int maxPayloadBytes, Batch batch, IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken)
    {
        var merged = new List<ClaimKey>();
        var events = new List<ClaimKey>(records.Count);
        var identities = new HashSet<IdentityKey>();
        var scratch = new ParseScratch(null);
        foreach (var record in records)
        {
            if (record is null || !RecordParser.TryParse(schema, record, maxPayloadBytes, out var parsed, out _, scratch))
            {
                continue;
            }

            using (parsed)
            {
                if (parsed.Type.Kind == RecordKind.AppendOnly)
                {
                    events.Add(new ClaimKey(ClaimKind.Event, parsed.Source, parsed.RecordId));
                    continue;
                }

                merged.Add(new ClaimKey(ClaimKind.Record, parsed.Source, parsed.RecordId));

                // Whether an event holds the merged record's id (the record-id rule asks).
                events.Add(new ClaimKey(ClaimKind.Event, parsed.Source, parsed.RecordId));
                identities.UnionWith(RecordIdentities.Read(schema, parsed, out _));
            }
        }

        await batch.Session.PrefetchAsync(new BatchReadSet(merged, events, [.. identities]), cancellationToken).ConfigureAwait(false);
    }
}

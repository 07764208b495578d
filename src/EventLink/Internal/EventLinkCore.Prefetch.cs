using EventLink.Storage;

namespace EventLink.Internal;

/// <summary>Set-based reads: a store that pays per round trip is told up front what a batch will read.</summary>
internal sealed partial class EventLinkCore
{
    /// <summary>
    /// Reads the keys of the batch's merged records (their source record ids and normalised identities) and hands them
    /// to the session in one call. A record that cannot be read here is simply left out: the loop rejects it later,
    /// and a key missed here only costs the store a read on demand.
    /// </summary>
    private async ValueTask PrefetchAsync(Batch batch, IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken)
    {
        List<ClaimKey>? keys = null;
        HashSet<IdentityKey>? identities = null;
        foreach (var record in records)
        {
            if (record is null || !Schema.TryGetRecordType(record.RecordType, out var type) || type.Kind != RecordKind.Merged ||
                !RecordParser.TryParse(Schema, record, Options.MaxPayloadBytes, out var parsed, out _))
            {
                continue;
            }

            using (parsed)
            {
                (keys ??= []).Add(new ClaimKey(ClaimKind.Record, parsed.Source, parsed.RecordId));
                identities ??= [];
                foreach (var key in ReadIdentities(parsed, out _))
                {
                    identities.Add(key);
                }
            }
        }

        if (keys is not null)
        {
            await batch.Session.PrefetchAsync(new BatchReadSet(keys, [.. identities!]), cancellationToken).ConfigureAwait(false);
        }
    }
}

using System.Runtime.CompilerServices;
using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.Quarantine.Internal;

/// <summary>The quarantine and the rejections, and the replay of quarantined records against the identities known now.</summary>
internal sealed class QuarantineModule(EventLinkCore core)
{
    public async IAsyncEnumerable<QuarantinedRecord> GetQuarantineAsync(string tenant, string? recordType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var entry in core.Store.ReadQuarantineAsync(tenant, recordType, cancellationToken).ConfigureAwait(false))
        {
            yield return entry.Record;
        }
    }

    public async IAsyncEnumerable<RejectionRow> GetRejectionsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in core.Store.ReadRejectionsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    public async ValueTask<QuarantineReplayResult> ReplayQuarantineAsync(string tenant, string? recordType, CancellationToken cancellationToken)
    {
        using var span = EventLinkTracing.Source.StartActivity(EventLinkTracing.ReplaySpan);
        span?.SetTag("eventlink.tenant", tenant);
        span?.SetTag("eventlink.record_type", recordType);
        try
        {
            var result = await ReplayCoreAsync(tenant, recordType, cancellationToken).ConfigureAwait(false);
            span?.SetTag("eventlink.examined", result.Examined);
            span?.SetTag("eventlink.linked", result.Linked);
            span?.SetTag("eventlink.still_quarantined", result.StillQuarantined);
            return result;
        }
        catch (Exception ex) when (span is not null)
        {
            EventLinkTracing.Fail(span, ex);
            throw;
        }
    }

    private async ValueTask<QuarantineReplayResult> ReplayCoreAsync(string tenant, string? recordType, CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);

        // Read first: a store may serialise its readers with its writers.
        var entries = new List<QuarantineEntry>();
        await foreach (var entry in core.Store.ReadQuarantineAsync(tenant, recordType, cancellationToken).ConfigureAwait(false))
        {
            entries.Add(entry);
        }

        if (entries.Count == 0)
        {
            return new QuarantineReplayResult(0, 0, 0);
        }

        var linked = await core.WriteAsync(tenant, async batch =>
        {
            var count = 0;
            foreach (var entry in entries)
            {
                var record = entry.Record;
                var input = new IngestRecord(record.Source, record.RecordType, record.PayloadJson);
                if (!RecordParser.TryParse(core.Schema, input, int.MaxValue, out var parsed, out _))
                {
                    continue;
                }

                using (parsed)
                {
                    // Data quality: a record that still breaks its contract stays quarantined.
                    if (await core.Quality.RecheckContractAsync(batch, entry, parsed, cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }

                    IngestResult result;
                    if (entry.EventId is { } eventId && parsed.Type.Kind == RecordKind.AppendOnly)
                    {
                        var resolution = core.Linker.Resolve(batch, parsed);
                        if (resolution.ProfileId is { } profileId)
                        {
                            await batch.Session.LinkEventAsync(eventId, profileId, resolution.LinkIndex, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await batch.Session.SetQuarantineAsync(eventId, resolution.Reason, resolution.Message!, cancellationToken).ConfigureAwait(false);
                        }

                        result = await core.Linker.ApplyResolutionAsync(batch, parsed, eventId, resolution, cancellationToken).ConfigureAwait(false);
                    }
                    else if (entry.EventId is null && parsed.Type.Kind == RecordKind.Merged)
                    {
                        result = await core.Claims.IngestMergedAsync(batch, parsed, replay: true, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        continue;
                    }

                    if (result.ProfileId is not null)
                    {
                        count++;
                    }
                }
            }

            await core.Observers.OnRecordsWrittenAsync(batch, cancellationToken).ConfigureAwait(false); // The change log is written here.
            return count;
        }, cancellationToken).ConfigureAwait(false);

        return new QuarantineReplayResult(entries.Count, linked, entries.Count - linked);
    }
}

using System.Runtime.CompilerServices;
using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.Timeline.Internal;

/// <summary>Timeline reads: a profile's events in order, as the caller sees them (renamed, with the field that linked each).</summary>
internal sealed class TimelineQueries(EventLinkCore core)
{
    public async IAsyncEnumerable<TimelineEvent> GetTimelineAsync(string tenant, Guid profileId, TimelineQuery? query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        if (query?.Limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), "The timeline limit must not be negative.");
        }

        // Only the live id is needed (merges followed), not the profile's identities and attributes.
        if (await core.Store.ResolveProfileIdAsync(tenant, profileId, cancellationToken).ConfigureAwait(false) is not { } liveId)
        {
            yield break;
        }

        // Data quality: event renames and the event-name filter.
        await foreach (var timelineEvent in core.QualityQueries.ReadRenamedTimelineAsync(tenant, liveId, query ?? new TimelineQuery(), cancellationToken).ConfigureAwait(false))
        {
            yield return timelineEvent;
        }
    }

    public TimelineEvent ToTimelineEvent(EventRow row)
    {
        string? linkedBy = null;
        if (row.ProfileId is not null && row.LinkIndex >= 0 && core.Schema.TryGetRecordType(row.RecordType, out var type) && row.LinkIndex < type.Relations.Count)
        {
            linkedBy = type.Relations[row.LinkIndex].Field.Text;
        }

        return new(row.Source, row.RecordType, row.RecordId, row.EventName, row.OccurredAt, row.IngestedAt, row.ProfileId, row.PayloadJson, linkedBy);
    }
}

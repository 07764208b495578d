using System.Runtime.CompilerServices;

namespace EventLink.Storage.InMemory;

/// <summary>Data-quality reads of the in-memory store.</summary>
public sealed partial class InMemoryEventLinkStore
{
    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<QualityNoteCount>> GetQualityNoteCountsAsync(string tenant, CancellationToken cancellationToken = default) =>
        await WithTenantAsync(tenant, state => (IReadOnlyList<QualityNoteCount>)state.QualityNotes.Keys
            .GroupBy(k => (k.RecordType, k.Kind, k.Rule))
            .Select(g => new QualityNoteCount(g.Key.RecordType, g.Key.Kind, g.Key.Rule, g.LongCount()))
            .OrderBy(c => c.RecordType, StringComparer.Ordinal)
            .ThenBy(c => c.Kind)
            .ThenBy(c => c.Rule, StringComparer.Ordinal)
            .ToList(), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override async IAsyncEnumerable<FieldObservationRow> ReadFieldObservationsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var rows = await WithTenantAsync(tenant, state => state.FieldObservations.Values
            .OrderBy(r => r.Source, StringComparer.Ordinal)
            .ThenBy(r => r.RecordType, StringComparer.Ordinal)
            .ThenBy(r => r.Path, StringComparer.Ordinal)
            .ThenBy(r => r.JsonType, StringComparer.Ordinal)
            .ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            yield return row;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<HourlyCountRow> ReadHourlyCountsAsync(string tenant, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var rows = await WithTenantAsync(tenant, state => state.HourlyCounts
            .Where(p => p.Key.Hour >= from && p.Key.Hour < to)
            .Select(p => new HourlyCountRow(p.Key.Source, p.Key.RecordType, p.Key.Hour, p.Value))
            .OrderBy(r => r.Source, StringComparer.Ordinal)
            .ThenBy(r => r.RecordType, StringComparer.Ordinal)
            .ThenBy(r => r.Hour)
            .ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            yield return row;
        }
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<EventNameCountRow>> CountEventsByNameAsync(string tenant, DateTimeOffset? occurredBefore, CancellationToken cancellationToken = default) =>
        await WithTenantAsync(tenant, state => (IReadOnlyList<EventNameCountRow>)state.Events.Values
            .Where(e => occurredBefore is null || e.OccurredAt < occurredBefore)
            .GroupBy(e => (e.RecordType, e.EventName))
            .Select(g => new EventNameCountRow(g.Key.RecordType, g.Key.EventName, g.LongCount(e => e.ProfileId is not null), g.LongCount(e => e.ProfileId is null)))
            .OrderBy(r => r.RecordType, StringComparer.Ordinal)
            .ThenBy(r => r.EventName, StringComparer.Ordinal)
            .ToList(), cancellationToken).ConfigureAwait(false);
}

using System.Runtime.CompilerServices;
using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.Quality.Internal;

/// <summary>Data-quality queries: renamed timelines, coverage additions, schema drift, anomalies and contract violations.</summary>
internal sealed class QualityQueries(EventLinkCore core)
{
    public async ValueTask<SchemaDriftReport> GetSchemaDriftAsync(string tenant, CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<FieldObservationRow>();
        await foreach (var row in core.Store.ReadFieldObservationsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return SchemaDriftAnalyzer.Analyze(rows, core.Quality.Runtime.Options.SchemaDrift ?? new SchemaDriftOptions(), core.Time.GetUtcNow());
    }

    public async ValueTask<AnomalyReport> GetAnomaliesAsync(string tenant, TimeSpan window, CancellationToken cancellationToken)
    {
        if (window < TimeSpan.FromHours(1) || window > TimeSpan.FromDays(90))
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be between one hour and 90 days.");
        }

        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var options = core.Quality.Runtime.Options.Anomalies ?? new AnomalyOptions();
        var now = core.Time.GetUtcNow().ToUniversalTime();
        var to = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
        var from = to - TimeSpan.FromTicks(window.Ticks - (window.Ticks % TimeSpan.TicksPerHour));
        var rows = new List<HourlyCountRow>();
        await foreach (var row in core.Store.ReadHourlyCountsAsync(tenant, from.AddDays(-options.TrailingDays), to, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return AnomalyDetector.Detect(rows, from, to, options);
    }

    public async ValueTask<IReadOnlyList<ContractViolationCount>> GetContractViolationsAsync(string tenant, CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var counts = await core.Store.GetQualityNoteCountsAsync(tenant, cancellationToken).ConfigureAwait(false);
        return [.. counts
            .Where(c => c.Kind == QualityNoteKind.ContractViolation)
            .Select(c => (c.RecordType, Parts: c.Rule.Split('\t'), c.Count))
            .Where(c => c.Parts.Length == 3 && Enum.TryParse<ContractRule>(c.Parts[2], out _))
            .Select(c => new ContractViolationCount(c.RecordType, c.Parts[0], c.Parts[1], Enum.Parse<ContractRule>(c.Parts[2]), c.Count))
            .OrderBy(c => c.RecordType, StringComparer.Ordinal)
            .ThenBy(c => c.Contract, StringComparer.Ordinal)
            .ThenBy(c => c.Path, StringComparer.Ordinal)
            .ThenBy(c => c.Rule)];
    }

    /// <summary>Reads a timeline with event renames applied; an event-name filter matches the names after renaming.</summary>
    public async IAsyncEnumerable<TimelineEvent> ReadRenamedTimelineAsync(string tenant, Guid profileId, TimelineQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var names = query.EventNames is { Count: > 0 } requested ? new HashSet<string>(requested, StringComparer.Ordinal) : null;

        // Stores filter by window, types and sources; the name filter needs the renamed names, so it and the limit apply here.
        var storeQuery = names is null ? query : new TimelineQuery { From = query.From, To = query.To, RecordTypes = query.RecordTypes, Sources = query.Sources, After = query.After };
        var returned = 0;
        await foreach (var row in core.Store.ReadTimelineAsync(tenant, profileId, storeQuery, cancellationToken).ConfigureAwait(false))
        {
            var timelineEvent = core.Timeline.ToTimelineEvent(row);
            var name = core.Quality.Runtime.Rename(row.RecordType, row.EventName, row.OccurredAt);
            if (name != row.EventName)
            {
                timelineEvent = timelineEvent with { EventName = name, OriginalEventName = row.EventName };
            }

            if (names is not null && !names.Contains(name))
            {
                continue;
            }

            if (names is not null && query.Limit is { } limit && returned >= limit)
            {
                yield break;
            }

            returned++;
            yield return timelineEvent;
        }
    }

    /// <summary>Adds the filtered figures and the breakdown by event name (under new names) to a coverage report.</summary>
    public async ValueTask<CoverageReport> AddQualityCoverageAsync(string tenant, CoverageReport report, CancellationToken cancellationToken)
    {
        var notes = await core.Store.GetQualityNoteCountsAsync(tenant, cancellationToken).ConfigureAwait(false);
        var filtered = notes.Where(n => n.Kind == QualityNoteKind.Filtered)
            .GroupBy(n => n.RecordType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(n => n.Count), StringComparer.Ordinal);
        var types = report.RecordTypes.Select(c => filtered.TryGetValue(c.RecordType, out var count) ? c with { Filtered = count } : c).ToList();
        foreach (var type in filtered.Keys.Where(t => types.TrueForAll(c => c.RecordType != t)).Order(StringComparer.Ordinal))
        {
            types.Add(new RecordTypeCoverage(type, 0, 0, 0, 0, 0) { Filtered = filtered[type] });
        }

        // Dated renames move only the events before their date: count those separately, once per distinct date.
        var all = await core.Store.CountEventsByNameAsync(tenant, null, cancellationToken).ConfigureAwait(false);
        var before = new Dictionary<DateTimeOffset, Dictionary<(string, string), EventNameCountRow>>();
        foreach (var date in core.Quality.Runtime.Renames.Where(r => r.EffectiveFrom is not null).Select(r => r.EffectiveFrom!.Value).Distinct())
        {
            var rows = await core.Store.CountEventsByNameAsync(tenant, date, cancellationToken).ConfigureAwait(false);
            before[date] = rows.ToDictionary(r => (r.RecordType, r.EventName));
        }

        var byName = new SortedDictionary<(string RecordType, string EventName), (long Linked, long Quarantined)>(
            Comparer<(string, string)>.Create((a, b) => string.CompareOrdinal(a.Item1, b.Item1) is var c and not 0 ? c : string.CompareOrdinal(a.Item2, b.Item2)));
        foreach (var row in all)
        {
            var rename = core.Quality.Runtime.Renames.FirstOrDefault(r => r.From == row.EventName && (r.RecordType is null || r.RecordType == row.RecordType));
            if (rename is null)
            {
                Add(row.RecordType, row.EventName, row.Linked, row.Quarantined);
                continue;
            }

            var moved = rename.EffectiveFrom is { } date
                ? before[date].GetValueOrDefault((row.RecordType, row.EventName)) ?? new EventNameCountRow(row.RecordType, row.EventName, 0, 0)
                : row;
            Add(row.RecordType, core.Quality.Runtime.Rename(row.RecordType, row.EventName, DateTimeOffset.MinValue), moved.Linked, moved.Quarantined);
            Add(row.RecordType, row.EventName, row.Linked - moved.Linked, row.Quarantined - moved.Quarantined);
        }

        return report with
        {
            RecordTypes = types.OrderBy(c => c.RecordType, StringComparer.Ordinal).ToList(),
            EventNames = [.. byName.Select(p => new EventNameCoverage(p.Key.RecordType, p.Key.EventName, p.Value.Linked + p.Value.Quarantined, p.Value.Linked, p.Value.Quarantined))],
        };

        void Add(string recordType, string name, long linked, long quarantined)
        {
            if (linked + quarantined == 0)
            {
                return;
            }

            var current = byName.GetValueOrDefault((recordType, name));
            byName[(recordType, name)] = (current.Linked + linked, current.Quarantined + quarantined);
        }
    }
}

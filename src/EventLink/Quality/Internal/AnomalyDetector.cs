using System.Globalization;
using EventLink.Storage;

namespace EventLink.Quality.Internal;

/// <summary>
/// Judges hourly arrivals against a band learned from the same hour of day over the trailing days: the median m and
/// the median absolute deviation (scaled by 1.4826 to estimate a standard deviation), half-width
/// max(k·MAD, k·√m, minimum spread) — the √m term is the Poisson noise of a count, so a perfectly regular series does
/// not flag small wobbles.
/// </summary>
internal static class AnomalyDetector
{
    private const double MadScale = 1.4826;

    public static AnomalyReport Detect(IReadOnlyList<HourlyCountRow> rows, DateTimeOffset from, DateTimeOffset to, AnomalyOptions options)
    {
        var anomalies = new List<VolumeAnomaly>();
        foreach (var series in rows.GroupBy(r => (r.Source, r.RecordType)))
        {
            var counts = series.ToDictionary(r => r.Hour, r => r.Count);
            var start = counts.Keys.Min();
            var (source, recordType) = series.Key;
            var silentRun = new List<(DateTimeOffset Hour, double Expected)>();
            for (var hour = from; hour < to; hour = hour.AddHours(1))
            {
                var count = counts.GetValueOrDefault(hour);
                var baseline = new List<double>();
                for (var day = 1; day <= options.TrailingDays; day++)
                {
                    var past = hour.AddDays(-day);
                    if (past >= start)
                    {
                        baseline.Add(counts.GetValueOrDefault(past));
                    }
                }

                if (count > 0)
                {
                    silentRun.Clear();
                }

                if (baseline.Count < options.MinimumBaselineDays)
                {
                    continue;
                }

                var median = Median(baseline);
                var mad = MadScale * Median([.. baseline.Select(b => Math.Abs(b - median))]);
                var half = Math.Max(Math.Max(options.Sensitivity * mad, options.Sensitivity * Math.Sqrt(median)), options.MinimumSpread);
                var (lower, upper) = (median - half, median + half);
                if (count == 0)
                {
                    silentRun.Add((hour, median));
                }

                if (count > upper || count < lower)
                {
                    var kind = count > upper ? AnomalyKind.AboveBand : AnomalyKind.BelowBand;
                    anomalies.Add(new(kind, source, recordType, hour, count, median, lower, upper, string.Create(CultureInfo.InvariantCulture,
                        $"{source}/{recordType}: {count} records in the hour {hour:yyyy-MM-dd HH}:00Z, {(kind == AnomalyKind.AboveBand ? "above" : "below")} the band {Math.Max(0, lower):0.#}–{upper:0.#} (median {median:0.#})")));
                }
            }

            // Silent: the last whole hours up to now brought nothing although the same hours normally do.
            if (silentRun.Count >= options.SilentAfterHours && silentRun[^1].Hour == to.AddHours(-1) && silentRun.Sum(s => s.Expected) > 0)
            {
                var first = silentRun[0].Hour;
                var expected = silentRun.Average(s => s.Expected);
                anomalies.Add(new(AnomalyKind.Silent, source, recordType, first, 0, expected, 0, expected, string.Create(CultureInfo.InvariantCulture,
                    $"{source}/{recordType}: silent since {first:yyyy-MM-dd HH}:00Z ({silentRun.Count} hours without a record; about {expected:0.#} an hour expected)")));
            }
        }

        return new AnomalyReport(from, to, [.. anomalies
            .OrderBy(a => a.Hour)
            .ThenBy(a => a.Source, StringComparer.Ordinal)
            .ThenBy(a => a.RecordType, StringComparer.Ordinal)
            .ThenBy(a => a.Kind)]);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}

using System.Diagnostics;
using EventLink.Diagnostics;

namespace EventLink.Internal;

/// <summary>
/// The <c>EventLink</c> activity source and its span and tag names. A span is started only when a listener samples it,
/// so without one the ingest path pays a single <see cref="ActivitySource.HasListeners"/> check.
/// </summary>
internal static class EventLinkTracing
{
    public const string IngestSpan = "eventlink.ingest";
    public const string CommitSpan = "eventlink.store.commit";
    public const string DeliverSpan = "eventlink.sync.deliver";
    public const string ReplaySpan = "eventlink.quarantine.replay";

    public static readonly ActivitySource Source = new(EventLinkDiagnostics.ActivitySourceName, typeof(EventLinkTracing).Assembly.GetName().Version?.ToString());

    private static readonly string[] OutcomeTags = [.. Enum.GetNames<IngestOutcome>().Select(n => "eventlink.outcome." + n.ToLowerInvariant())];

    /// <summary>Tags an ingest span with the number of records and one count per outcome that occurred.</summary>
    public static void TagOutcomes(Activity activity, IReadOnlyList<IngestResult> results)
    {
        Span<int> counts = stackalloc int[OutcomeTags.Length];
        foreach (var result in results)
        {
            if (result is not null)
            {
                counts[(int)result.Outcome]++;
            }
        }

        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0)
            {
                activity.SetTag(OutcomeTags[i], counts[i]);
            }
        }
    }

    /// <summary>Marks a span as failed with the exception's type (never its message, which may carry personal data).</summary>
    public static void Fail(Activity activity, Exception exception)
    {
        activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        activity.SetTag("error.type", exception.GetType().FullName);
    }
}

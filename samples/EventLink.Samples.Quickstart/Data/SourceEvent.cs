namespace EventLink.Samples.Quickstart.Data;

/// <summary>A record as a source produced it: when it happened, and the payload its webhook carries.</summary>
/// <param name="OccurredAt">When it happened in the source.</param>
/// <param name="Record">The record EventLink ingests.</param>
internal sealed record SourceEvent(DateTimeOffset OccurredAt, IngestRecord Record)
{
    /// <summary>Gets a fixed delivery delay (a scripted late delivery); a random one when <see langword="null"/>.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Gets whether the source delivers this record a second time.</summary>
    public bool Redelivered { get; init; }
}

/// <summary>How a delivery came about.</summary>
internal enum DeliveryKind
{
    /// <summary>Delivered within seconds or minutes.</summary>
    OnTime,

    /// <summary>Delivered hours or days after it happened, often after events that happened later.</summary>
    Late,

    /// <summary>The same record delivered again (a webhook retry or a replayed export).</summary>
    Redelivery,

    /// <summary>A payload EventLink cannot use (malformed, unknown type, unreadable time).</summary>
    Broken,
}

/// <summary>One webhook delivery, in arrival order.</summary>
/// <param name="DeliveredAt">When it arrived.</param>
/// <param name="Record">The record.</param>
/// <param name="Kind">How the delivery came about.</param>
internal sealed record Delivery(DateTimeOffset DeliveredAt, IngestRecord Record, DeliveryKind Kind);

/// <summary>The generated data set: every delivery in arrival order, and the customers worth looking at.</summary>
/// <param name="Deliveries">The deliveries, in arrival order.</param>
/// <param name="FeaturedEmail">The email of the customer whose story the quickstart tells.</param>
/// <param name="CustomerEmails">The emails of every generated person, featured one first.</param>
internal sealed record SampleDataSet(IReadOnlyList<Delivery> Deliveries, string FeaturedEmail, IReadOnlyList<string> CustomerEmails);

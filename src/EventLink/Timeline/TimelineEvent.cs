using System.Text.Json;
using System.Text.Json.Serialization;
using EventLink.Serialization;

namespace EventLink;

/// <summary>One stored append-only record, as a timeline or the quarantine shows it.</summary>
/// <param name="Source">The source.</param>
/// <param name="RecordType">The record type.</param>
/// <param name="RecordId">The source record id.</param>
/// <param name="EventName">The event's name (from the type's event-name selector, else the record type).</param>
/// <param name="OccurredAt">When it happened (UTC).</param>
/// <param name="IngestedAt">When EventLink stored it (UTC).</param>
/// <param name="ProfileId">The profile it is linked to, or <see langword="null"/> while quarantined.</param>
/// <param name="PayloadJson">The payload as received (serialised once, as the JSON value <c>payload</c>).</param>
/// <param name="LinkedBy">The selector of the relation field that linked it (such as <c>customer_email</c>), or <see langword="null"/> while quarantined.</param>
public sealed record TimelineEvent(
    string Source,
    string RecordType,
    string RecordId,
    string EventName,
    DateTimeOffset OccurredAt,
    DateTimeOffset IngestedAt,
    Guid? ProfileId,
    [property: JsonPropertyName("payload"), JsonConverter(typeof(RawJsonConverter))] string PayloadJson,
    string? LinkedBy = null)
{
    /// <summary>Gets the name the event was stored with when an event rename (see <see cref="EventRenameOptions"/>) shows it under <see cref="EventName"/>; else <see langword="null"/>.</summary>
    public string? OriginalEventName { get; init; }

    /// <summary>Gets the payload as a JSON element.</summary>
    /// <remarks>Not serialised: <see cref="PayloadJson"/> carries the payload, once.</remarks>
    [JsonIgnore]
    public JsonElement Payload => JsonElement.Parse(PayloadJson);

    /// <summary>Gets the position of this event in its timeline, for <see cref="TimelineQuery.After"/> (the next page starts after it).</summary>
    [JsonIgnore]
    public TimelineCursor Cursor => new(OccurredAt, Source, RecordId);

    /// <inheritdoc />
    public override string ToString() => $"{OccurredAt:yyyy-MM-dd HH:mm:ss} {Source} {EventName} ({RecordId})";
}

/// <summary>Which part of a timeline to read.</summary>
public sealed class TimelineQuery
{
    /// <summary>Gets or sets the inclusive lower bound on occurred-at.</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>Gets or sets the exclusive upper bound on occurred-at.</summary>
    public DateTimeOffset? To { get; set; }

    /// <summary>Gets or sets the record types to include; all when <see langword="null"/> or empty.</summary>
    public IReadOnlyCollection<string>? RecordTypes { get; set; }

    /// <summary>Gets or sets the sources to include; all when <see langword="null"/> or empty.</summary>
    public IReadOnlyCollection<string>? Sources { get; set; }

    /// <summary>Gets or sets the event names to include, after renames (a new name also finds the events stored under its old names); all when <see langword="null"/> or empty.</summary>
    public IReadOnlyCollection<string>? EventNames { get; set; }

    /// <summary>Gets or sets the most events to return.</summary>
    public int? Limit { get; set; }

    /// <summary>
    /// Gets or sets where the previous page ended: only events after this position (in the timeline's order of
    /// occurred-at, then source, then record id) are returned. Pass the <see cref="TimelineEvent.Cursor"/> of the last
    /// event of a page to read the next one; since (source, record id) is unique, every event comes exactly once even
    /// when many share a timestamp.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: from the start of the window.</value>
    public TimelineCursor? After { get; set; }

    internal bool Matches(string source, string recordType, DateTimeOffset occurredAt, string recordId) =>
        (After is not { } after || after.IsBefore(occurredAt, source, recordId)) &&
        (From is null || occurredAt >= From) &&
        (To is null || occurredAt < To) &&
        (RecordTypes is null || RecordTypes.Count == 0 || RecordTypes.Contains(recordType)) &&
        (Sources is null || Sources.Count == 0 || Sources.Contains(source));
}

/// <summary>A position in a timeline: the event's occurred-at, source and record id, the timeline's sort key.</summary>
/// <param name="OccurredAt">When the event happened (UTC).</param>
/// <param name="Source">The event's source.</param>
/// <param name="RecordId">The event's source record id.</param>
public sealed record TimelineCursor(DateTimeOffset OccurredAt, string Source, string RecordId)
{
    /// <summary>Gets whether an event at (<paramref name="occurredAt"/>, <paramref name="source"/>, <paramref name="recordId"/>) comes after this position.</summary>
    internal bool IsBefore(DateTimeOffset occurredAt, string source, string recordId)
    {
        var byTime = occurredAt.CompareTo(OccurredAt);
        if (byTime != 0)
        {
            return byTime > 0;
        }

        var bySource = string.CompareOrdinal(source, Source);
        return bySource != 0 ? bySource > 0 : string.CompareOrdinal(recordId, RecordId) > 0;
    }
}

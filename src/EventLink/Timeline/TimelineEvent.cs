using System.Text.Json;

namespace EventLink;

/// <summary>One stored append-only record, as a timeline or the quarantine shows it.</summary>
/// <param name="Source">The source.</param>
/// <param name="RecordType">The record type.</param>
/// <param name="RecordId">The source record id.</param>
/// <param name="EventName">The event's name (from the type's event-name selector, else the record type).</param>
/// <param name="OccurredAt">When it happened (UTC).</param>
/// <param name="IngestedAt">When EventLink stored it (UTC).</param>
/// <param name="ProfileId">The profile it is linked to, or <see langword="null"/> while quarantined.</param>
/// <param name="PayloadJson">The payload as received.</param>
/// <param name="LinkedBy">The selector of the relation field that linked it (such as <c>customer_email</c>), or <see langword="null"/> while quarantined.</param>
public sealed record TimelineEvent(
    string Source,
    string RecordType,
    string RecordId,
    string EventName,
    DateTimeOffset OccurredAt,
    DateTimeOffset IngestedAt,
    Guid? ProfileId,
    string PayloadJson,
    string? LinkedBy = null)
{
    /// <summary>Gets the name the event was stored with when an event rename (see <see cref="EventRenameOptions"/>) shows it under <see cref="EventName"/>; else <see langword="null"/>.</summary>
    public string? OriginalEventName { get; init; }

    /// <summary>Gets the payload as a JSON element.</summary>
    public JsonElement Payload => JsonElement.Parse(PayloadJson);

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

    internal bool Matches(string source, string recordType, DateTimeOffset occurredAt) =>
        (From is null || occurredAt >= From) &&
        (To is null || occurredAt < To) &&
        (RecordTypes is null || RecordTypes.Count == 0 || RecordTypes.Contains(recordType)) &&
        (Sources is null || Sources.Count == 0 || Sources.Contains(source));
}

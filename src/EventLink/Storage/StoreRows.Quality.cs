using System.Text.Json.Serialization;

namespace EventLink.Storage;

/// <summary>What a data-quality note records.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<QualityNoteKind>))]
public enum QualityNoteKind
{
    /// <summary>A transformation filtered the record out.</summary>
    Filtered = 1,

    /// <summary>The record broke a rule of a contract.</summary>
    ContractViolation = 2,
}

/// <summary>A data-quality note: counts a record once per kind and rule, however often it is re-sent.</summary>
/// <param name="Source">The source.</param>
/// <param name="RecordType">The record type.</param>
/// <param name="Key">The record id, or a hash of the payload when no id could be read.</param>
/// <param name="Kind">What the note records.</param>
/// <param name="Rule">The rule (empty for <see cref="QualityNoteKind.Filtered"/>; <c>contract␉path␉rule</c> for a violation).</param>
/// <param name="Message">The readable explanation.</param>
/// <param name="NotedAt">When it was first noted.</param>
public sealed record QualityNoteRow(string Source, string RecordType, string Key, QualityNoteKind Kind, string Rule, string Message, DateTimeOffset NotedAt);

/// <summary>How many distinct records carry a note of one kind and rule.</summary>
/// <param name="RecordType">The record type.</param>
/// <param name="Kind">The kind.</param>
/// <param name="Rule">The rule.</param>
/// <param name="Count">Distinct notes.</param>
public sealed record QualityNoteCount(string RecordType, QualityNoteKind Kind, string Rule, long Count);

/// <summary>How often one JSON type was seen at one field path of one source's records of one type.</summary>
/// <param name="Source">The source.</param>
/// <param name="RecordType">The record type.</param>
/// <param name="Path">The field path (<c>$</c> for the record itself).</param>
/// <param name="JsonType">The JSON type.</param>
/// <param name="FirstSeen">The earliest occurred-at.</param>
/// <param name="LastSeen">The latest occurred-at.</param>
/// <param name="Count">In how many records.</param>
public sealed record FieldObservationRow(string Source, string RecordType, string Path, string JsonType, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, long Count);

/// <summary>How many records of one source and type arrived in one hour.</summary>
/// <param name="Source">The source.</param>
/// <param name="RecordType">The record type.</param>
/// <param name="Hour">The hour's start (UTC, whole hour).</param>
/// <param name="Count">Records stored in that hour.</param>
public sealed record HourlyCountRow(string Source, string RecordType, DateTimeOffset Hour, long Count);

/// <summary>Stored events of one record type and event name (as stored, before renames).</summary>
/// <param name="RecordType">The record type.</param>
/// <param name="EventName">The stored event name.</param>
/// <param name="Linked">Linked events.</param>
/// <param name="Quarantined">Quarantined events.</param>
public sealed record EventNameCountRow(string RecordType, string EventName, long Linked, long Quarantined);

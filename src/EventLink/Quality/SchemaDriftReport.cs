using System.Text.Json.Serialization;

namespace EventLink;

/// <summary>The observed shape of the payloads of every source and record type, and the changes found in it.</summary>
/// <param name="Shapes">One entry per source and record type, ordered by source then record type.</param>
/// <param name="Changes">The detected changes, ordered by time.</param>
public sealed record SchemaDriftReport(IReadOnlyList<RecordShape> Shapes, IReadOnlyList<SchemaChange> Changes)
{
    /// <summary>Gets the shape of one source and record type, or <see langword="null"/> when none was seen.</summary>
    /// <param name="source">The source.</param>
    /// <param name="recordType">The record type.</param>
    /// <returns>The shape.</returns>
    public RecordShape? Find(string source, string recordType) =>
        Shapes.FirstOrDefault(s => s.Source == source && s.RecordType == recordType);
}

/// <summary>The observed shape of one source's records of one type.</summary>
/// <param name="Source">The source.</param>
/// <param name="RecordType">The record type.</param>
/// <param name="Records">How many stored records were observed.</param>
/// <param name="FirstSeen">The earliest occurred-at observed.</param>
/// <param name="LastSeen">The latest occurred-at observed.</param>
/// <param name="Fields">The field paths seen, ordered by path (<c>items[]</c> stands for the elements of an array).</param>
public sealed record RecordShape(string Source, string RecordType, long Records, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, IReadOnlyList<FieldShape> Fields)
{
    /// <summary>Gets a field by path, or <see langword="null"/>.</summary>
    /// <param name="path">The path, such as <c>amount</c> or <c>metadata.user_id</c>.</param>
    /// <returns>The field.</returns>
    public FieldShape? this[string path] => Fields.FirstOrDefault(f => f.Path == path);
}

/// <summary>One field path and the JSON types seen at it.</summary>
/// <param name="Path">The path.</param>
/// <param name="Types">The JSON types (<c>string</c>, <c>number</c>, <c>boolean</c>, <c>object</c>, <c>array</c>, <c>null</c>), ordered by when each was first seen.</param>
public sealed record FieldShape(string Path, IReadOnlyList<FieldTypeSeen> Types);

/// <summary>One JSON type seen at a field path.</summary>
/// <param name="JsonType">The JSON type.</param>
/// <param name="Count">In how many records it was seen.</param>
/// <param name="FirstSeen">The earliest occurred-at of those records.</param>
/// <param name="LastSeen">The latest occurred-at of those records.</param>
public sealed record FieldTypeSeen(string JsonType, long Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

/// <summary>What kind of schema change was detected.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SchemaChangeKind>))]
public enum SchemaChangeKind
{
    /// <summary>A field appeared after its record type had already been arriving.</summary>
    NewField,

    /// <summary>A field started arriving with another JSON type.</summary>
    TypeChanged,

    /// <summary>A field has not been seen for <see cref="SchemaDriftOptions.StoppedAfter"/> while its record type kept arriving.</summary>
    StoppedArriving,
}

/// <summary>A detected schema change.</summary>
/// <param name="Kind">What changed.</param>
/// <param name="Source">The source.</param>
/// <param name="RecordType">The record type.</param>
/// <param name="Path">The field path.</param>
/// <param name="At">When it happened: the first occurrence of the new field or type; for a field that stopped arriving, when that was detected (now).</param>
/// <param name="FromType">The JSON type before a type change.</param>
/// <param name="ToType">The JSON type after a type change, or the type of a new field.</param>
/// <param name="LastSeen">When a field that stopped arriving was last seen.</param>
/// <param name="Message">A readable explanation.</param>
public sealed record SchemaChange(
    SchemaChangeKind Kind,
    string Source,
    string RecordType,
    string Path,
    DateTimeOffset At,
    string? FromType,
    string? ToType,
    DateTimeOffset? LastSeen,
    string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}

/// <summary>How many distinct records broke one rule of one contract.</summary>
/// <param name="RecordType">The record type.</param>
/// <param name="Contract">The contract's name.</param>
/// <param name="Path">The property's selector.</param>
/// <param name="Rule">The rule broken.</param>
/// <param name="Count">Distinct records (re-sending the same record counts once).</param>
public sealed record ContractViolationCount(string RecordType, string Contract, string Path, ContractRule Rule, long Count);

/// <summary>Coverage of one event name (after renames).</summary>
/// <param name="RecordType">The record type.</param>
/// <param name="EventName">The event name, renamed where a rename applies.</param>
/// <param name="Total">Events stored.</param>
/// <param name="Linked">Events linked to a profile.</param>
/// <param name="Quarantined">Events in quarantine.</param>
public sealed record EventNameCoverage(string RecordType, string EventName, long Total, long Linked, long Quarantined);

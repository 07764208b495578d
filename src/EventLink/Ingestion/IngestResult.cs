using System.Text.Json.Serialization;

namespace EventLink;

/// <summary>What ingesting one record did.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IngestOutcome>))]
public enum IngestOutcome
{
    /// <summary>A merged record created a new profile, or an append-only record created the profile it links to.</summary>
    Created,

    /// <summary>A merged record joined or updated an existing profile (possibly unifying several).</summary>
    Updated,

    /// <summary>An append-only record was stored and linked to its profile.</summary>
    Linked,

    /// <summary>The record (same source and source record id, same version) was already ingested; nothing changed.</summary>
    Duplicate,

    /// <summary>A newer version of this merged record is already stored; nothing changed.</summary>
    Stale,

    /// <summary>The record was stored but matches no profile yet; it links automatically once one appears.</summary>
    Quarantined,

    /// <summary>The record is unusable (malformed, incomplete, unknown type, too large); nothing was stored but a rejection note.</summary>
    Rejected,

    /// <summary>The record belongs to an erased person (an identity or relation value matches a tombstone); nothing was stored but a suppression note.</summary>
    Suppressed,

    /// <summary>A transformation filtered the record out on purpose; nothing was stored but a note that counts it (see <see cref="RecordTypeCoverage.Filtered"/>).</summary>
    Filtered,
}

/// <summary>Why a record was quarantined or rejected.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IngestReason>))]
public enum IngestReason
{
    /// <summary>No reason: the record was accepted.</summary>
    None,

    /// <summary>The payload is not well-formed JSON.</summary>
    MalformedJson,

    /// <summary>The payload is JSON but not an object.</summary>
    PayloadNotAnObject,

    /// <summary>The payload is larger than the configured limit.</summary>
    PayloadTooLarge,

    /// <summary>The record names no source, or an invalid one.</summary>
    InvalidSource,

    /// <summary>The record type is not in the schema.</summary>
    UnknownRecordType,

    /// <summary>The record id selector found nothing usable.</summary>
    MissingRecordId,

    /// <summary>The source's record id is already used by a record of another type.</summary>
    RecordIdConflict,

    /// <summary>The occurred-at selector found nothing.</summary>
    MissingOccurredAt,

    /// <summary>The occurred-at value could not be read as a time.</summary>
    InvalidOccurredAt,

    /// <summary>None of the record's identifiers is usable (missing, malformed or blocked).</summary>
    NoUsableIdentifier,

    /// <summary>The record's identifiers match no profile yet.</summary>
    NoMatchingProfile,

    /// <summary>The record belongs to an erased person.</summary>
    Erased,

    /// <summary>The record breaks its data contract (see <see cref="ContractOptions"/>); the message lists the violations.</summary>
    ContractViolation,

    /// <summary>
    /// The payload is well-formed JSON but holds a value no store keeps the same way: a lone UTF-16 surrogate escape
    /// (<c>"\ud800"</c>), a NUL character (<c>"\u0000"</c>), or a number beyond PostgreSQL's <c>numeric</c> range
    /// (such as <c>1e200000</c>); or, when transformations apply to the record, a repeated property name (which they cannot rewrite). The message says which value and where.
    /// </summary>
    UnsupportedValue,
    /// <summary>What the caller received could not be read into a record (see <see cref="IngestRecord.ReadError"/>).</summary>
    Unreadable,
}

/// <summary>The result of ingesting one record.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Source">The record's source.</param>
/// <param name="RecordType">The record's type.</param>
/// <param name="RecordId">The source's record id, when it could be read.</param>
/// <param name="ProfileId">The profile the record now belongs to, when linked.</param>
/// <param name="Reason">Why the record was quarantined or rejected.</param>
/// <param name="Message">A readable explanation for quarantined and rejected records.</param>
public sealed record IngestResult(
    IngestOutcome Outcome,
    string Source,
    string RecordType,
    string? RecordId,
    Guid? ProfileId,
    IngestReason Reason = IngestReason.None,
    string? Message = null)
{
    /// <summary>Gets whether the record is stored (linked, created, updated, quarantined, or already there), or was filtered out on purpose.</summary>
    public bool IsAccepted => Outcome is not (IngestOutcome.Rejected or IngestOutcome.Suppressed);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Outcome} {Source}/{RecordType}/{RecordId}" + (ProfileId is { } id ? $" → {id}" : string.Empty) + (Message is null ? string.Empty : $": {Message}");
}

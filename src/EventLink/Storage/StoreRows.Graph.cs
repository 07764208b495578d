using System.Text.Json.Serialization;

namespace EventLink.Storage;

/// <summary>What kind of record a claim is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClaimKind>))]
public enum ClaimKind
{
    /// <summary>A merged source record (keyed like <see cref="SourceRecordRow"/>).</summary>
    Record,

    /// <summary>An append-only event that asserts identities (keyed like <see cref="EventRow"/>).</summary>
    Event,
}

/// <summary>The key of a claim: a record that asserts that some identities belong to one person.</summary>
/// <param name="Kind">Whether it is a merged record or an event.</param>
/// <param name="Source">The source.</param>
/// <param name="RecordId">The source record id.</param>
public readonly record struct ClaimKey(ClaimKind Kind, string Source, string RecordId) : IComparable<ClaimKey>
{
    /// <inheritdoc />
    public int CompareTo(ClaimKey other)
    {
        var c = string.CompareOrdinal(Source, other.Source);
        if (c == 0)
        {
            c = string.CompareOrdinal(RecordId, other.RecordId);
        }

        return c != 0 ? c : Kind.CompareTo(other.Kind);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Source}/{RecordId}";
}

/// <summary>A claim: the identities a record asserts (over all its versions) and when it first occurred.</summary>
/// <param name="Key">The claim's key.</param>
/// <param name="RecordType">The record type.</param>
/// <param name="FirstOccurredAt">The earliest occurred-at of any version seen (the canonical order of claims).</param>
/// <param name="Identities">Every usable identity any version asserted, ordered.</param>
/// <param name="ProfileId">The profile the record belongs to now (from the source record or event row).</param>
/// <param name="EventId">For an event claim, the event's store id.</param>
public sealed record ClaimState(ClaimKey Key, string RecordType, DateTimeOffset FirstOccurredAt, IReadOnlyList<IdentityKey> Identities, Guid? ProfileId, long? EventId);

/// <summary>Why an identity was left out of a claim's profile.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConflictReason>))]
public enum ConflictReason
{
    /// <summary>The profile already holds the most identities of that kind it may hold.</summary>
    IdentityLimit,

    /// <summary>The two profiles together would hold more identities of a kind than allowed.</summary>
    MergeWouldExceedIdentityLimit,

    /// <summary>The profile has been formed by the most merges it may have.</summary>
    MergeLimit,

    /// <summary>An unmerge rule keeps the identity apart.</summary>
    Unmerged,
}

/// <summary>An identity left out of a claim's profile because applying it would break a rule.</summary>
/// <param name="Claim">The claim that asserted the identity.</param>
/// <param name="RecordType">The claim's record type.</param>
/// <param name="Identity">The identity left out.</param>
/// <param name="Reason">The rule that refused it.</param>
/// <param name="Other">A claim of the other profile involved (the one holding the identity), if any.</param>
public sealed record ConflictRow(ClaimKey Claim, string RecordType, IdentityKey Identity, ConflictReason Reason, ClaimKey? Other);

/// <summary>A membership: a person identity belongs to an account identity, as a record says.</summary>
/// <param name="Member">The person's identity.</param>
/// <param name="Account">The account's identity.</param>
/// <param name="Source">The source of the record saying so.</param>
/// <param name="RecordId">That record's id.</param>
public sealed record MembershipRow(IdentityKey Member, IdentityKey Account, string Source, string RecordId);

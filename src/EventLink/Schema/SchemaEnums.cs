using System.Text.Json.Serialization;

namespace EventLink;

/// <summary>The two kinds of record type.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecordKind>))]
public enum RecordKind
{
    /// <summary>State (a customer, a contact, a company): records with shared identities unify into one profile whose attributes follow the merge rules.</summary>
    Merged,

    /// <summary>Occurrences (a charge, a ticket, a page view): every record is kept, never overwritten, and linked to a profile through a relation field.</summary>
    AppendOnly,
}

/// <summary>What happens to an append-only record whose relation fields match no profile.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UnmatchedPolicy>))]
public enum UnmatchedPolicy
{
    /// <summary>Keep the record in quarantine with its reason and link it as soon as a matching profile appears.</summary>
    Quarantine,

    /// <summary>Create a profile from the record's first usable relation value and link the record to it.</summary>
    CreateProfile,
}

/// <summary>How an occurred-at value is read.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TimestampFormat>))]
public enum TimestampFormat
{
    /// <summary>Numbers are unix seconds (below 10^11) or unix milliseconds; strings are ISO-8601 with an offset, or digits read as a number.</summary>
    Auto,

    /// <summary>Unix time in seconds (a number or a string of digits; fractions allowed).</summary>
    UnixSeconds,

    /// <summary>Unix time in milliseconds (a number or a string of digits).</summary>
    UnixMilliseconds,

    /// <summary>An ISO-8601 string with a UTC offset (<c>Z</c> or <c>+02:00</c>).</summary>
    Iso8601,

    /// <summary>
    /// The Segment spec's rule: with <c>receivedAt</c>, <c>sentAt</c> and <c>originalTimestamp</c> all present, the time is
    /// <c>receivedAt − (sentAt − originalTimestamp)</c> (the device clock's skew removed); otherwise the selector's value
    /// (usually <c>timestamp</c>), else <c>originalTimestamp</c>, else <c>receivedAt</c>.
    /// </summary>
    SegmentCorrected,
}

/// <summary>The rule that decides which record's value a merged attribute takes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MergeRuleKind>))]
public enum MergeRuleKind
{
    /// <summary>The value from the record that occurred last wins.</summary>
    MostRecent,

    /// <summary>The first non-empty value (by occurred-at) wins and is never replaced by a later one.</summary>
    FirstNonEmpty,

    /// <summary>The value from the source listed first wins; sources not listed come after, most recent first.</summary>
    SourcePriority,
}

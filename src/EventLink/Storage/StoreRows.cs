using System.Text;
using System.Text.Json.Serialization;

namespace EventLink.Storage;

/// <summary>A profile row.</summary>
/// <param name="Id">The profile id.</param>
/// <param name="Entity">The entity.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="MergedInto">The profile it was merged into, if any.</param>
public sealed record ProfileRow(Guid Id, string Entity, DateTimeOffset CreatedAt, Guid? MergedInto = null);

/// <summary>An identity row: which profile holds a normalised identity, and which record brought it.</summary>
/// <param name="Key">The identity.</param>
/// <param name="ProfileId">The profile holding it.</param>
/// <param name="Source">The source of the record that brought it.</param>
/// <param name="RecordType">The record type that brought it.</param>
/// <param name="RecordId">The source record id that brought it.</param>
/// <param name="FirstSeenAt">When that record occurred.</param>
public sealed record IdentityRow(IdentityKey Key, Guid ProfileId, string Source, string RecordType, string RecordId, DateTimeOffset FirstSeenAt);

/// <summary>The stored (newest) version of a merged source record.</summary>
/// <param name="Source">The source.</param>
/// <param name="RecordId">The source record id.</param>
/// <param name="RecordType">The record type.</param>
/// <param name="ProfileId">The profile it belongs to, or <see langword="null"/> while quarantined.</param>
/// <param name="OccurredAt">When this version occurred.</param>
/// <param name="IngestedAt">When it was stored.</param>
/// <param name="ContentHash">A hash of the payload, the tie-break between versions with the same occurred-at.</param>
/// <param name="PayloadJson">The payload.</param>
/// <param name="QuarantineReason">Why it is quarantined, if it is.</param>
/// <param name="QuarantineMessage">The readable explanation, if quarantined.</param>
public sealed record SourceRecordRow(
    string Source,
    string RecordId,
    string RecordType,
    Guid? ProfileId,
    DateTimeOffset OccurredAt,
    DateTimeOffset IngestedAt,
    string ContentHash,
    string PayloadJson,
    IngestReason QuarantineReason = IngestReason.None,
    string? QuarantineMessage = null);

/// <summary>A merged attribute with provenance.</summary>
/// <param name="Name">The attribute name.</param>
/// <param name="ValueJson">The value as JSON text.</param>
/// <param name="Source">The winning record's source.</param>
/// <param name="RecordType">The winning record's type.</param>
/// <param name="RecordId">The winning record's id.</param>
/// <param name="ObservedAt">When the winning record occurred.</param>
public sealed record AttributeRow(string Name, string ValueJson, string Source, string RecordType, string RecordId, DateTimeOffset ObservedAt);

/// <summary>An append-only record.</summary>
/// <param name="Id">The store's id for the row (assigned on insert; ignored by <see cref="EventLinkStoreSession.TryInsertEventAsync"/>).</param>
/// <param name="Source">The source.</param>
/// <param name="RecordId">The source record id.</param>
/// <param name="RecordType">The record type.</param>
/// <param name="EventName">The event name.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="IngestedAt">When it was stored.</param>
/// <param name="ProfileId">The linked profile, or <see langword="null"/> while quarantined.</param>
/// <param name="LinkIndex">The index of the relation field that linked it, or -1 while quarantined.</param>
/// <param name="QuarantineReason">Why it is quarantined.</param>
/// <param name="QuarantineMessage">The readable explanation, if quarantined.</param>
/// <param name="PayloadJson">The payload.</param>
public sealed record EventRow(
    long Id,
    string Source,
    string RecordId,
    string RecordType,
    string EventName,
    DateTimeOffset OccurredAt,
    DateTimeOffset IngestedAt,
    Guid? ProfileId,
    int LinkIndex,
    IngestReason QuarantineReason,
    string? QuarantineMessage,
    string PayloadJson)
{
    // A row the engine makes holds the payload as it arrived, UTF-8, and decodes it only when PayloadJson is read:
    // the in-memory store keeps half the bytes, and a store that writes the text decodes it once, as before.
    private string? _payloadJson = PayloadJson;
    private ReadOnlyMemory<byte> _utf8Payload;
    private long _id = Id;

    // Made by the engine for one store call (the internal constructor): the store may keep this very row.
    private bool _handedOver;

    /// <summary>Initializes a row whose payload is UTF-8 JSON, decoded when <see cref="PayloadJson"/> is first read.</summary>
    /// <param name="id">The store's id for the row.</param>
    /// <param name="source">The source.</param>
    /// <param name="recordId">The source record id.</param>
    /// <param name="recordType">The record type.</param>
    /// <param name="eventName">The event name.</param>
    /// <param name="occurredAt">When it happened.</param>
    /// <param name="ingestedAt">When it was stored.</param>
    /// <param name="profileId">The linked profile.</param>
    /// <param name="linkIndex">The index of the relation field that linked it.</param>
    /// <param name="quarantineReason">Why it is quarantined.</param>
    /// <param name="quarantineMessage">The readable explanation.</param>
    /// <param name="utf8Payload">
    /// The payload. The row refers to this memory, which must stay unchanged while the row is in use: the engine lends a
    /// record's bytes only to a store that copies them (<see cref="EventLinkStoreSession.CopiesEventPayloads"/>).
    /// </param>
    internal EventRow(
        long id,
        string source,
        string recordId,
        string recordType,
        string eventName,
        DateTimeOffset occurredAt,
        DateTimeOffset ingestedAt,
        Guid? profileId,
        int linkIndex,
        IngestReason quarantineReason,
        string? quarantineMessage,
        ReadOnlyMemory<byte> utf8Payload)
        : this(id, source, recordId, recordType, eventName, occurredAt, ingestedAt, profileId, linkIndex, quarantineReason, quarantineMessage, PayloadJson: null!)
    {
        _utf8Payload = utf8Payload;
        _handedOver = true;
    }

    /// <summary>Gets the store's id for the row.</summary>
    public long Id
    {
        get => _id;
        init => _id = value;
    }

    /// <summary>Gets the payload.</summary>
    public string PayloadJson
    {
        get => _payloadJson ??= Encoding.UTF8.GetString(_utf8Payload.Span);
        init
        {
            _payloadJson = value;
            _utf8Payload = default;
        }
    }

    /// <summary>Gets or initializes the payload as UTF-8 JSON: the bytes the row holds, or else its text encoded.</summary>
    internal ReadOnlyMemory<byte> Utf8Payload
    {
        get => HasUtf8Payload ? _utf8Payload : Encoding.UTF8.GetBytes(_payloadJson!);
        init
        {
            _utf8Payload = value;
            _payloadJson = null;
        }
    }

    /// <summary>
    /// Gets the row a store keeps, with its id and the store's copy of the payload: this very row when the engine made it
    /// for the call (no one else holds it), else a copy.
    /// </summary>
    /// <param name="id">The id the store gave the row.</param>
    /// <param name="utf8Payload">The store's copy of the payload.</param>
    /// <returns>The row to keep.</returns>
    internal EventRow Keep(long id, ReadOnlyMemory<byte> utf8Payload)
    {
        if (!_handedOver)
        {
            return this with { Id = id, Utf8Payload = utf8Payload };
        }

        _handedOver = false;
        _id = id;
        _utf8Payload = utf8Payload;
        _payloadJson = null;
        return this;
    }

    /// <summary>Gets whether the row holds its payload as UTF-8 bytes (made by the engine), rather than only as text.</summary>
    internal bool HasUtf8Payload => _payloadJson is null || !_utf8Payload.IsEmpty;

    /// <inheritdoc />
    public bool Equals(EventRow? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && Id == other.Id
            && string.Equals(Source, other.Source, StringComparison.Ordinal)
            && string.Equals(RecordId, other.RecordId, StringComparison.Ordinal)
            && string.Equals(RecordType, other.RecordType, StringComparison.Ordinal)
            && string.Equals(EventName, other.EventName, StringComparison.Ordinal)
            && OccurredAt.Equals(other.OccurredAt)
            && IngestedAt.Equals(other.IngestedAt)
            && ProfileId.Equals(other.ProfileId)
            && LinkIndex == other.LinkIndex
            && QuarantineReason == other.QuarantineReason
            && string.Equals(QuarantineMessage, other.QuarantineMessage, StringComparison.Ordinal)
            && string.Equals(PayloadJson, other.PayloadJson, StringComparison.Ordinal));

    /// <inheritdoc />
    public override int GetHashCode()
    {
        // The payload is left out: equal rows still hash alike, and hashing decodes nothing.
        var hash = default(HashCode);
        hash.Add(Id);
        hash.Add(Source, StringComparer.Ordinal);
        hash.Add(RecordId, StringComparer.Ordinal);
        hash.Add(RecordType, StringComparer.Ordinal);
        hash.Add(EventName, StringComparer.Ordinal);
        hash.Add(OccurredAt);
        hash.Add(IngestedAt);
        hash.Add(ProfileId);
        hash.Add(LinkIndex);
        hash.Add(QuarantineReason);
        hash.Add(QuarantineMessage, StringComparer.Ordinal);
        return hash.ToHashCode();
    }
}

/// <summary>A quarantined (or lower-priority-linked) event waiting for an identity to appear.</summary>
/// <param name="EventId">The event's store id.</param>
/// <param name="RelationIndex">The index of the relation field the identity came from.</param>
/// <param name="CurrentLinkIndex">The relation index the event is linked through now, or -1 while quarantined.</param>
public readonly record struct PendingLink(long EventId, int RelationIndex, int CurrentLinkIndex);

/// <summary>An identity an event waits for.</summary>
/// <param name="Key">The identity.</param>
/// <param name="RelationIndex">The index of the relation field it came from.</param>
public readonly record struct EventWait(IdentityKey Key, int RelationIndex);

/// <summary>A merge of one profile into another.</summary>
/// <param name="SurvivorId">The profile that remains.</param>
/// <param name="MergedId">The profile merged into it.</param>
/// <param name="Identity">The identity that tied them.</param>
/// <param name="Source">The source of the record that tied them.</param>
/// <param name="RecordType">That record's type.</param>
/// <param name="RecordId">That record's id.</param>
/// <param name="MergedAt">When the merge was applied.</param>
/// <param name="Kind">A merge (the default) or a split (<paramref name="MergedId"/> was split off <paramref name="SurvivorId"/>).</param>
public sealed record MergeRow(Guid SurvivorId, Guid MergedId, IdentityKey Identity, string Source, string RecordType, string RecordId, DateTimeOffset MergedAt, MergeKind Kind = MergeKind.Merge);

/// <summary>What a history entry of a profile records.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MergeKind>))]
public enum MergeKind
{
    /// <summary>Another profile was merged into this one.</summary>
    Merge,

    /// <summary>A profile was split off this one (an unmerge, or a rule that now keeps identities apart).</summary>
    Split,
}

/// <summary>A rejected record's note: enough to count it once and explain it, not its payload.</summary>
/// <param name="Source">The source as given.</param>
/// <param name="RecordType">The record type as given.</param>
/// <param name="Key">The record id, or a hash of the payload when no id could be read.</param>
/// <param name="Reason">Why it was rejected.</param>
/// <param name="Message">The readable explanation.</param>
/// <param name="RejectedAt">When it was first rejected.</param>
public sealed record RejectionRow(string Source, string RecordType, string Key, IngestReason Reason, string Message, DateTimeOffset RejectedAt);

/// <summary>A profile with everything the store holds about it.</summary>
/// <param name="Profile">The profile row (of the surviving profile).</param>
/// <param name="Identities">Its identities.</param>
/// <param name="Attributes">Its merged attributes.</param>
/// <param name="Records">Its merged source records (payloads not needed).</param>
/// <param name="Merges">Every merge that formed it, in order.</param>
public sealed record StoredProfile(
    ProfileRow Profile,
    IReadOnlyList<IdentityRow> Identities,
    IReadOnlyList<AttributeRow> Attributes,
    IReadOnlyList<ProfileRecord> Records,
    IReadOnlyList<MergeRow> Merges);

/// <summary>Raw coverage counts of one record type.</summary>
/// <param name="RecordType">The record type.</param>
/// <param name="Linked">Stored and linked.</param>
/// <param name="Quarantined">Stored and quarantined.</param>
/// <param name="Rejected">Distinct rejection notes.</param>
/// <param name="DistinctProfiles">Distinct profiles of the linked records.</param>
public sealed record CoverageCounts(string RecordType, long Linked, long Quarantined, long Rejected, long DistinctProfiles);

using System.Text.Json.Serialization;

namespace EventLink.Storage;

/// <summary>What a change-log entry records.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChangeKind>))]
public enum ChangeKind
{
    /// <summary>An append-only record was linked to a profile (at ingest, or when it left quarantine).</summary>
    EventLinked = 1,

    /// <summary>A profile was created.</summary>
    ProfileCreated = 2,

    /// <summary>A profile was updated (new data, new identity, or a merge into it).</summary>
    ProfileUpdated = 3,

    /// <summary>A profile (or an identity) was erased; <see cref="ChangeRow.DataJson"/> holds its hashed identities.</summary>
    Erased = 4,
}

/// <summary>
/// An entry of a tenant's change log (the outbox): appended in the same session as the ingest that caused it,
/// so it is exactly as durable as the data. Syncs read it in <see cref="Sequence"/> order.
/// </summary>
/// <param name="Sequence">The entry's position in the tenant's log, assigned by the store (ignored on append).</param>
/// <param name="Kind">What happened.</param>
/// <param name="ProfileId">The profile it is about.</param>
/// <param name="EventId">The event's store id, for <see cref="ChangeKind.EventLinked"/>.</param>
/// <param name="DataJson">Data captured with the change (consent, hashed identities of an erasure), as JSON, or <see langword="null"/>.</param>
/// <param name="At">When the change was made.</param>
public sealed record ChangeRow(
    long Sequence,
    ChangeKind Kind,
    Guid ProfileId,
    long? EventId,
    string? DataJson,
    DateTimeOffset At);

/// <summary>The durable progress of one sync: everything up to <see cref="Cursor"/> is done; the next entry may be in retry.</summary>
/// <param name="Sync">The sync's name.</param>
/// <param name="Cursor">The sequence of the last entry that is done (delivered, withheld, skipped or dead-lettered).</param>
/// <param name="RetrySequence">The entry being retried, or 0.</param>
/// <param name="Attempts">The failed attempts of <paramref name="RetrySequence"/>.</param>
/// <param name="NextAttemptAt">When it may be tried again.</param>
/// <param name="LastError">The last failure's message.</param>
public sealed record SyncStateRow(string Sync, long Cursor, long RetrySequence, int Attempts, DateTimeOffset? NextAttemptAt, string? LastError);

/// <summary>An entry a sync gave up on after its attempts ran out.</summary>
/// <param name="Sync">The sync's name.</param>
/// <param name="Sequence">The change-log entry.</param>
/// <param name="ProfileId">The profile it is about (so erasure removes it).</param>
/// <param name="IdempotencyKey">The key it was sent with.</param>
/// <param name="Attempts">How many times it was tried.</param>
/// <param name="LastError">The last failure's message.</param>
/// <param name="DeadAt">When it was given up on.</param>
public sealed record DeadLetterRow(string Sync, long Sequence, Guid ProfileId, string IdempotencyKey, int Attempts, string LastError, DateTimeOffset DeadAt);

/// <summary>A record that was not stored because it belongs to an erased person.</summary>
/// <param name="Source">The source.</param>
/// <param name="RecordType">The record type.</param>
/// <param name="RecordId">The source record id.</param>
/// <param name="SuppressedAt">When it was first suppressed.</param>
public sealed record SuppressionRow(string Source, string RecordType, string RecordId, DateTimeOffset SuppressedAt);

/// <summary>What the store erased.</summary>
/// <param name="Profiles">Profiles deleted (the profile and those merged into it).</param>
/// <param name="Identities">Identities deleted.</param>
/// <param name="Records">Merged source records deleted.</param>
/// <param name="Events">Linked events deleted.</param>
/// <param name="QuarantinedEvents">Quarantined events deleted (those waiting for one of the identities).</param>
/// <param name="OutboxItems">Change-log entries and dead letters deleted.</param>
public sealed record ErasureCounts(long Profiles, long Identities, long Records, long Events, long QuarantinedEvents, long OutboxItems);

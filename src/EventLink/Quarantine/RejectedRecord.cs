namespace EventLink;

/// <summary>
/// A record that was rejected: nothing of it was stored but this note, kept once per distinct bad record (see
/// <see cref="IEventLink.GetRejectionsAsync"/>).
/// </summary>
/// <param name="Source">The source as given.</param>
/// <param name="RecordType">The record type as given.</param>
/// <param name="Key">The record id, or <c>sha256:</c> and a hash of the payload when no id could be read.</param>
/// <param name="Reason">Why it was rejected.</param>
/// <param name="Message">A readable explanation.</param>
/// <param name="RejectedAt">When it was first rejected (UTC).</param>
public sealed record RejectedRecord(string Source, string RecordType, string Key, IngestReason Reason, string Message, DateTimeOffset RejectedAt);

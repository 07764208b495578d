namespace EventLink;

/// <summary>
/// A change a sync gave up on after its attempts ran out (see <see cref="IEventLink.GetDeadLettersAsync"/>); later
/// changes flow on, and <see cref="IEventLink.RetryDeadLettersAsync"/> sends it again.
/// </summary>
/// <param name="Sync">The sync's name.</param>
/// <param name="Sequence">The change's sequence in the change log.</param>
/// <param name="ProfileId">The profile the change is about.</param>
/// <param name="IdempotencyKey">The key it was sent with.</param>
/// <param name="Attempts">How many times it was tried.</param>
/// <param name="LastError">The last failure's message.</param>
/// <param name="DeadAt">When it was given up on (UTC).</param>
public sealed record DeadLetter(string Sync, long Sequence, Guid ProfileId, string IdempotencyKey, int Attempts, string LastError, DateTimeOffset DeadAt);

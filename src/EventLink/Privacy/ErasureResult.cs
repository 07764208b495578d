namespace EventLink;

/// <summary>What <see cref="IEventLink.ForgetAsync(Guid, CancellationToken)"/> erased.</summary>
/// <param name="ProfileId">The erased profile, or <see langword="null"/> when no profile matched (an identity is still tombstoned).</param>
/// <param name="Profiles">Profiles deleted (the profile and those merged into it).</param>
/// <param name="Identities">Identities deleted.</param>
/// <param name="Records">Merged source records deleted.</param>
/// <param name="Events">Linked events deleted.</param>
/// <param name="QuarantinedEvents">Quarantined events deleted (those waiting for one of the person's identities).</param>
/// <param name="OutboxItems">Pending change-log entries and dead letters about the person deleted.</param>
/// <param name="Tombstones">Hashed identities kept so that a replay does not bring the person back.</param>
public sealed record ErasureResult(Guid? ProfileId, long Profiles, long Identities, long Records, long Events, long QuarantinedEvents, long OutboxItems, int Tombstones);

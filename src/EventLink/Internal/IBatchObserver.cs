namespace EventLink.Internal;

/// <summary>
/// What a unit of work did, told to the features that keep state derived from it (the change log, computed traits).
/// The ingestion pipeline and the identity graph report through these hooks as they write; an observer keeps what it
/// noted on the <see cref="Batch"/> (<see cref="Batch.GetState{T}()"/>) and writes it in the same session, so it
/// commits or rolls back with the data it describes.
/// </summary>
/// <remarks>Only the features configured are observers: a hook with nobody listening costs an empty loop.</remarks>
internal interface IBatchObserver
{
    /// <summary>A stored event was linked to a profile as it was ingested (or claimed); its record is at hand.</summary>
    void OnEventLinked(Batch batch, ParsedRecord record, long eventId, Guid profileId);

    /// <summary>A stored event left quarantine: a profile now holds an identity it waited for, or a relink found one.</summary>
    void OnEventLeftQuarantine(Batch batch, long eventId, Guid profileId);

    /// <summary>
    /// A stored event is about to move: out of quarantine, between profiles, or back to quarantine (<paramref name="to"/>
    /// null). When <paramref name="fromKnown"/> is false the caller does not know where it is now (the store does).
    /// </summary>
    ValueTask OnEventMovingAsync(Batch batch, long eventId, Guid? from, bool fromKnown, Guid? to, CancellationToken cancellationToken);

    /// <summary>A profile was created, or its merged records changed (its attributes may have).</summary>
    void OnProfileChanged(Batch batch, Guid profileId, bool created);

    /// <summary><paramref name="merged"/> was merged into <paramref name="survivor"/>.</summary>
    void OnProfileMerged(Batch batch, Guid survivor, Guid merged);

    /// <summary>A profile is being erased: nothing noted about it may be written.</summary>
    void OnProfileErased(Batch batch, Guid profileId);

    /// <summary>The records of an ingest (or a quarantine replay) are written: what was noted about them may be written too.</summary>
    ValueTask OnRecordsWrittenAsync(Batch batch, CancellationToken cancellationToken);

    /// <summary>The unit of work is about to commit.</summary>
    ValueTask OnCommittingAsync(Batch batch, CancellationToken cancellationToken);

    /// <summary>The unit of work committed: what an observer keeps in memory across units of work may now be kept (a failed one never gets here).</summary>
    void OnCommitted(Batch batch)
    {
    }
}

/// <summary>The observers of the configured features, called in the order they were composed.</summary>
internal sealed class BatchObservers(IBatchObserver[] observers) : IBatchObserver
{
    /// <summary>Gets whether no feature observes units of work (then none keeps derived state).</summary>
    public bool IsEmpty => observers.Length == 0;

    public void OnEventLinked(Batch batch, ParsedRecord record, long eventId, Guid profileId)
    {
        foreach (var observer in observers)
        {
            observer.OnEventLinked(batch, record, eventId, profileId);
        }
    }

    public void OnEventLeftQuarantine(Batch batch, long eventId, Guid profileId)
    {
        foreach (var observer in observers)
        {
            observer.OnEventLeftQuarantine(batch, eventId, profileId);
        }
    }

    public async ValueTask OnEventMovingAsync(Batch batch, long eventId, Guid? from, bool fromKnown, Guid? to, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            await observer.OnEventMovingAsync(batch, eventId, from, fromKnown, to, cancellationToken).ConfigureAwait(false);
        }
    }

    public void OnProfileChanged(Batch batch, Guid profileId, bool created)
    {
        foreach (var observer in observers)
        {
            observer.OnProfileChanged(batch, profileId, created);
        }
    }

    public void OnProfileMerged(Batch batch, Guid survivor, Guid merged)
    {
        foreach (var observer in observers)
        {
            observer.OnProfileMerged(batch, survivor, merged);
        }
    }

    public void OnProfileErased(Batch batch, Guid profileId)
    {
        foreach (var observer in observers)
        {
            observer.OnProfileErased(batch, profileId);
        }
    }

    public async ValueTask OnRecordsWrittenAsync(Batch batch, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            await observer.OnRecordsWrittenAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask OnCommittingAsync(Batch batch, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            await observer.OnCommittingAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    public void OnCommitted(Batch batch)
    {
        foreach (var observer in observers)
        {
            observer.OnCommitted(batch);
        }
    }
}

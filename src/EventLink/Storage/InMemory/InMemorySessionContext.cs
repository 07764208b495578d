namespace EventLink.Storage.InMemory;

/// <summary>
/// What the parts of one <see cref="InMemoryStoreSession"/> share: the tenant's data, the version the session began
/// at, and the undo log that every change pushes its inverse onto, played back when the session ends without a commit.
/// </summary>
internal sealed class InMemorySessionContext(InMemoryTenant state)
{
    private readonly Stack<Action> _undo = new();
    private List<ReadOnlyMemory<byte>>? _erasedPayloads;

    /// <summary>Gets the tenant's data, held by the session (its gate is taken).</summary>
    public InMemoryTenant State { get; } = state;

    /// <summary>Gets the tenant's version when the session began.</summary>
    public long Version { get; } = state.Version;

    /// <summary>Gets whether the session changed something: its commit then adds one to the tenant's version.</summary>
    public bool IsDirty => _undo.Count > 0;

    /// <summary>Gets how many undos are recorded: one that a later change adds to is valid only while this has not moved.</summary>
    public int UndoCount => _undo.Count;

    /// <summary>Records how to undo a change just made, should the session end uncommitted.</summary>
    /// <param name="undo">The inverse of the change.</param>
    public void Push(Action undo) => _undo.Push(undo);

    /// <summary>Notes that an event is erased: its payload bytes are zeroed on commit.</summary>
    /// <param name="row">The erased event.</param>
    public void Erased(EventRow row)
    {
        if (row.HasUtf8Payload)
        {
            (_erasedPayloads ??= []).Add(row.Utf8Payload);
        }
    }

    /// <summary>Keeps the session's changes: the undo log is dropped and erased payloads are zeroed.</summary>
    public void Commit()
    {
        _undo.Clear();

        // Erased events leave nothing behind: their payload bytes, kept in the tenant's shared slab, are zeroed once
        // the erasure is committed (until then a rollback still needs them).
        foreach (var payload in _erasedPayloads ?? [])
        {
            System.Runtime.InteropServices.MemoryMarshal.AsMemory(payload).Span.Clear();
        }
    }

    /// <summary>Undoes every change of the session, newest first.</summary>
    public void Rollback()
    {
        while (_undo.TryPop(out var undo))
        {
            undo();
        }
    }
}

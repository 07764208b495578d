using EventLink.Storage;

namespace EventLink.Internal;

/// <summary>
/// One unit of writes: the session, the tenant's index and the batch's clock, plus what each feature keeps for the
/// unit of work (see <see cref="GetState{T}()"/>): the state dies with the batch, so a retried or failed unit of work
/// never sees another's.
/// </summary>
internal sealed class Batch(string tenant, EventLinkStoreSession session, IdentityIndex index, DateTimeOffset now)
{
    private static int s_stateTypes;
    private object?[]? _states;
    private HashSet<IdentityKey>? _unmergeRules;
    private char[]? _identityBuffer;
    private char[]? _rawValueBuffer;

    /// <summary>Gets the tenant's unmerge rules (read once per batch).</summary>
    public async ValueTask<IReadOnlySet<IdentityKey>> GetUnmergeRulesAsync(CancellationToken cancellationToken) =>
        _unmergeRules ??= [.. await Session.GetUnmergeRulesAsync(cancellationToken).ConfigureAwait(false)];

    /// <summary>Forgets the cached unmerge rules after one was added.</summary>
    public void UnmergeRulesChanged() => _unmergeRules = null;

    public string Tenant { get; } = tenant;

    public EventLinkStoreSession Session { get; } = session;

    public IdentityIndex Index { get; } = index;

    public DateTimeOffset Now { get; } = now;

    /// <summary>
    /// Gets a scratch buffer for normalised identity values, kept for the batch: a <c>stackalloc</c> of this size
    /// per record would be zeroed on every call (a batch runs on one logical thread at a time).
    /// </summary>
    public char[] IdentityBuffer => _identityBuffer ??= new char[IdentityMatcher.BufferLength];

    /// <summary>Gets a scratch buffer for raw relation values decoded from a payload (see <see cref="ParsedRecord.TryGetRelationValue"/>), kept for the batch.</summary>
    public char[] RawValueBuffer => _rawValueBuffer ??= new char[IdentityMatcher.BufferLength];

    /// <summary>
    /// Gets the state a feature keeps for this unit of work, created on first use. Each state type has a fixed slot,
    /// so a hook that runs per record pays an array read, not a lookup.
    /// </summary>
    /// <typeparam name="T">The feature's state type.</typeparam>
    /// <returns>The state.</returns>
    public T GetState<T>()
        where T : class, new() => PeekState<T>() ?? GetState(static () => new T());

    /// <summary>Gets the state a feature keeps for this unit of work, made by <paramref name="create"/> on first use (a feature that reuses its states).</summary>
    /// <typeparam name="T">The feature's state type.</typeparam>
    /// <param name="create">Makes the state.</param>
    /// <returns>The state.</returns>
    public T GetState<T>(Func<T> create)
        where T : class
    {
        var slot = StateSlot<T>.Index;
        if (_states is null || slot >= _states.Length)
        {
            Array.Resize(ref _states, Volatile.Read(ref s_stateTypes));
        }

        return (T)(_states[slot] ??= create());
    }

    /// <summary>Gets the state a feature created for this unit of work, if any.</summary>
    /// <typeparam name="T">The feature's state type.</typeparam>
    /// <returns>The state, or <see langword="null"/>.</returns>
    public T? PeekState<T>()
        where T : class
    {
        var slot = StateSlot<T>.Index;
        return _states is { } states && slot < states.Length ? (T?)states[slot] : null;
    }

    /// <summary>Removes and returns the state a feature created (a feature that wrote it out starts afresh if noted again).</summary>
    /// <typeparam name="T">The feature's state type.</typeparam>
    /// <returns>The state, or <see langword="null"/>.</returns>
    public T? TakeState<T>()
        where T : class
    {
        var state = PeekState<T>();
        if (state is not null)
        {
            _states![StateSlot<T>.Index] = null;
        }

        return state;
    }

    private static class StateSlot<T>
    {
        public static readonly int Index = Interlocked.Increment(ref s_stateTypes) - 1;
    }
}

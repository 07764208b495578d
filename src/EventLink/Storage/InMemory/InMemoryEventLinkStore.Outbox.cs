namespace EventLink.Storage.InMemory;

/// <summary>The change log and sync progress of the in-memory store.</summary>
public sealed partial class InMemoryEventLinkStore
{
    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<ChangeRow>> ReadChangesAsync(string tenant, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        WithTenantAsync<IReadOnlyList<ChangeRow>>(tenant, state =>
        {
            // Sequences grow with the list's order, so the first entry after the cursor is found by binary search.
            var changes = state.Changes;
            int lo = 0, hi = changes.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (changes[mid].Sequence <= afterSequence)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return changes.Skip(lo).Take(Math.Max(0, limit)).ToList();
        }, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<SyncStateRow?> GetSyncStateAsync(string tenant, string sync, CancellationToken cancellationToken = default) =>
        WithTenantAsync(tenant, state => state.SyncStates.TryGetValue(sync, out var row) ? row : null, cancellationToken);

    /// <inheritdoc />
    public override ValueTask SaveSyncStateAsync(string tenant, SyncStateRow state, DeadLetterRow? deadLetter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new ValueTask(WithTenantAsync(tenant, data =>
        {
            data.SyncStates[state.Sync] = state;
            if (deadLetter is not null)
            {
                data.DeadLetters[(deadLetter.Sync, deadLetter.Sequence)] = deadLetter;
            }

            return true;
        }, cancellationToken).AsTask());
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<DeadLetterRow>> ReadDeadLettersAsync(string tenant, string sync, CancellationToken cancellationToken = default) =>
        WithTenantAsync<IReadOnlyList<DeadLetterRow>>(tenant, state => state.DeadLetters.Values.Where(d => d.Sync == sync).ToList(), cancellationToken);

    /// <inheritdoc />
    public override ValueTask RemoveDeadLetterAsync(string tenant, string sync, long sequence, CancellationToken cancellationToken = default) =>
        new(WithTenantAsync(tenant, state => state.DeadLetters.Remove((sync, sequence)), cancellationToken).AsTask());

    /// <inheritdoc />
    public override ValueTask<IReadOnlyDictionary<string, long>> GetSuppressionCountsAsync(string tenant, CancellationToken cancellationToken = default) =>
        WithTenantAsync<IReadOnlyDictionary<string, long>>(tenant, state => state.Suppressions.Values
            .GroupBy(s => s.RecordType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal), cancellationToken);
}

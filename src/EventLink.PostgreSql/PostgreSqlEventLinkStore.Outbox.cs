using EventLink.Storage;

namespace EventLink.PostgreSql;

/// <summary>The change log, sync progress, dead letters and suppression counts.</summary>
/// <remarks>Sync progress is bookkeeping: it is saved in its own short transaction, without the tenant's write lock and without changing the tenant's version.</remarks>
public sealed partial class PostgreSqlEventLinkStore
{
    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<ChangeRow>> ReadChangesAsync(string tenant, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        _outboxQueries.ReadChangesAsync(tenant, afterSequence, limit, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<SyncStateRow?> GetSyncStateAsync(string tenant, string sync, CancellationToken cancellationToken = default) =>
        _outboxQueries.GetSyncStateAsync(tenant, sync, cancellationToken);

    /// <inheritdoc />
    public override ValueTask SaveSyncStateAsync(string tenant, SyncStateRow state, DeadLetterRow? deadLetter, CancellationToken cancellationToken = default) =>
        _outboxQueries.SaveSyncStateAsync(tenant, state, deadLetter, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<DeadLetterRow>> ReadDeadLettersAsync(string tenant, string sync, CancellationToken cancellationToken = default) =>
        _outboxQueries.ReadDeadLettersAsync(tenant, sync, cancellationToken);

    /// <inheritdoc />
    public override ValueTask RemoveDeadLetterAsync(string tenant, string sync, long sequence, CancellationToken cancellationToken = default) =>
        _outboxQueries.RemoveDeadLetterAsync(tenant, sync, sequence, cancellationToken);

    /// <inheritdoc />
    public override ValueTask<IReadOnlyDictionary<string, long>> GetSuppressionCountsAsync(string tenant, CancellationToken cancellationToken = default) =>
        _outboxQueries.GetSuppressionCountsAsync(tenant, cancellationToken);
}

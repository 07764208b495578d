using System.Runtime.CompilerServices;
using EventLink.Storage;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// The identity log of a PostgreSQL session. Every identity the session writes carries the version its commit
/// produces, <see cref="EventLinkStoreSession.Version"/> + 1: the session holds the tenant's advisory lock from
/// <c>BeginAsync</c> to its end, exclusively whenever it may write identities (so no other such writer of the tenant, in any process, commits meanwhile; append-only sessions write none), and
/// <see cref="PostgreSqlStoreSession.CommitAsync"/> bumps the version by one when the session changed something. A removed identity
/// leaves a row in <c>identity_removals</c> with that version.
/// </summary>
internal sealed class PostgreSqlSessionIdentityLog(PostgreSqlSessionContext context, long identityLogFrom)
{
    private readonly PostgreSqlSessionContext _context = context;
    private readonly long _identityLogFrom = identityLogFrom;

    private PostgreSqlIdentityLogSql IdentityLog => PostgreSqlIdentityLogSql.For(_context.Sql.Schema);

    public IAsyncEnumerable<IdentityChange>? ReadIdentityChangesAsync(long sinceVersion, CancellationToken cancellationToken = default) =>
        sinceVersion < _identityLogFrom || sinceVersion > _context.Version ? null : ReadChangesAsync(sinceVersion, cancellationToken);

    private async IAsyncEnumerable<IdentityChange> ReadChangesAsync(long sinceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = await _context.PrepareAsync(IdentityLog.ChangesSince, cancellationToken, Text(_context.Tenant), Long(sinceVersion)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new IdentityChange(new IdentityKey(reader.GetString(1), reader.GetString(2)), reader.IsDBNull(3) ? null : reader.GetGuid(3));
        }
    }

    /// <summary>
    /// After an erasure: drops the tenant's removal log (it must not keep erased identities) and answers only
    /// from this commit on, so another process whose index predates it reads the whole index again.
    /// </summary>
    public ValueTask ResetIdentityLogAsync(CancellationToken cancellationToken) =>
        _context.ExecuteAsync(IdentityLog.Reset, cancellationToken, Text(_context.Tenant), Long(_context.ChangedVersion));

    /// <summary>Drops removals older than the retention window when this session logged some (a bounded, indexed delete).</summary>
    public async ValueTask CompactIdentityLogAsync(CancellationToken cancellationToken)
    {
        var through = _context.ChangedVersion - IdentityChangeLog.RemovalRetention;
        if (_context.RemovalsLogged && through > 0)
        {
            await _context.ExecuteAsync(IdentityLog.Compact, cancellationToken, Text(_context.Tenant), Long(through)).ConfigureAwait(false);
        }
    }
}

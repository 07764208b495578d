using System.Runtime.CompilerServices;
using EventLink.Sqlite.Internal;
using EventLink.Storage;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Identity.Internal;

/// <summary>
/// The identity log of a SQLite session. Every identity the session writes carries the version its commit
/// produces, <see cref="EventLinkStoreSession.Version"/> + 1: a session holds the file's write lock from
/// <c>BEGIN IMMEDIATE</c> to its end (so no other writer of the tenant, in any process, commits meanwhile), and a
/// commit that changed something sets the version one higher. A removed identity leaves a row in
/// <c>identity_removals</c> with that version.
/// </summary>
internal sealed class SqliteIdentityLog(SqliteSessionContext context)
{
    private bool _removalsLogged;

    public IAsyncEnumerable<IdentityChange>? ReadIdentityChangesAsync(long sinceVersion, CancellationToken cancellationToken) =>
        sinceVersion < context.IdentityLogFrom || sinceVersion > context.Session.Version ? null : ReadChangesAsync(sinceVersion, cancellationToken);

    private async IAsyncEnumerable<IdentityChange> ReadChangesAsync(long sinceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var command = context.Command(IdentityLogSql.ChangesSince, "$since");
        command.Parameters[1].Value = sinceVersion;
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = new IdentityKey(reader.GetString(1), reader.GetString(2));
                yield return new IdentityChange(key, ToNullableGuid(reader, 3));
            }
        }
    }

    /// <summary>Records that an identity is about to be deleted (nothing when the tenant does not hold it).</summary>
    public void LogRemoval(IdentityKey key)
    {
        var log = context.Command(IdentityLogSql.LogRemoval, "$kind", "$value", "$changed");
        log.Parameters[1].Value = key.Kind;
        log.Parameters[2].Value = key.Value;
        log.Parameters[3].Value = context.ChangedVersionValue;
        _removalsLogged |= log.ExecuteNonQuery() > 0;
    }

    /// <summary>
    /// After an erasure: drops the tenant's removal log (it must not keep erased identities) and answers only
    /// from this commit on, so another process whose index predates it reads the whole index again.
    /// </summary>
    public void Reset()
    {
        context.Command(IdentityLogSql.DropRemovals).ExecuteNonQuery();
        var from = context.Command(IdentityLogSql.RaiseLogFrom, "$from");
        from.Parameters[1].Value = context.ChangedVersionValue;
        from.ExecuteNonQuery();
    }

    /// <summary>Drops removals older than the retention window when this session logged some (a bounded, indexed delete).</summary>
    public void Compact(long version)
    {
        var through = version - IdentityChangeLog.RemovalRetention;
        if (!_removalsLogged || through <= 0)
        {
            return;
        }

        var drop = context.Command(IdentityLogSql.DropRemovalsThrough, "$from");
        drop.Parameters[1].Value = through;
        if (drop.ExecuteNonQuery() > 0)
        {
            var from = context.Command(IdentityLogSql.RaiseLogFrom, "$from");
            from.Parameters[1].Value = through;
            from.ExecuteNonQuery();
        }
    }

    private static class IdentityLogSql
    {
        /// <summary>Removals first, then the identities held now: a key in both was removed and added again, and is held.</summary>
        public const string ChangesSince = """
            SELECT 0, kind, value, NULL FROM identity_removals INDEXED BY ix_identity_removals_version
            WHERE tenant_key = $t AND version > $since
            UNION ALL
            SELECT 1, kind, value, profile_id FROM identities INDEXED BY ix_identities_changed
            WHERE tenant_key = $t AND changed_version > $since
            ORDER BY 1;
            """;

        public const string LogRemoval = """
            INSERT INTO identity_removals (tenant_key, kind, value, version)
            SELECT tenant_key, kind, value, $changed FROM identities WHERE tenant_key = $t AND kind = $kind AND value = $value
            ON CONFLICT (tenant_key, kind, value) DO UPDATE SET version = excluded.version;
            """;

        public const string DropRemovals = "DELETE FROM identity_removals WHERE tenant_key = $t;";
        public const string DropRemovalsThrough = "DELETE FROM identity_removals WHERE tenant_key = $t AND version <= $from;";
        public const string RaiseLogFrom = "UPDATE tenants SET identity_log_from = MAX(identity_log_from, $from) WHERE tenant_key = $t;";
    }
}

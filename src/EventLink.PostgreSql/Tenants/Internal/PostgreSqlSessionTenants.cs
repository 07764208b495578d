using EventLink.PostgreSql.Internal;
using EventLink.Storage;
using Npgsql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Tenants.Internal;

/// <summary>Erasing a whole tenant, in the session's transaction (which holds the tenant's advisory lock).</summary>
internal sealed class PostgreSqlSessionTenants(PostgreSqlSessionContext context, PostgreSqlSessionIdentityLog identityLog)
{
    private readonly PostgreSqlSessionContext _context = context;
    private readonly PostgreSqlSessionIdentityLog _identityLog = identityLog;

    public async ValueTask<TenantErasureCounts> EraseTenantAsync(CancellationToken cancellationToken = default)
    {
        // Every table holding tenant rows has a tenant column; reading them from the catalog keeps the erasure
        // complete as migrations add tables. The tenants table keeps the tenant's version, so it keeps growing.
        await _context.FlushAsync(cancellationToken).ConfigureAwait(false);
        _context.Cache.ClearCaches();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(PostgreSqlRowSecurity.TenantTablesQuery, _context.Connection, _context.Transaction))
        {
            list.Parameters.Add(Text(_context.Sql.Schema));
            await using var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        long profiles = 0, events = 0, rows = 0;
        var schema = PostgreSqlSql.Quote(_context.Sql.Schema);
        foreach (var table in tables.Where(t => t != "tenants"))
        {
            await using var delete = new NpgsqlCommand($"DELETE FROM {schema}.{PostgreSqlSql.Quote(table)} WHERE tenant = $1", _context.Connection, _context.Transaction);
            delete.Parameters.Add(Text(_context.Tenant));
            var deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            rows += deleted;
            profiles += table == "profiles" ? deleted : 0;
            events += table == "events" ? deleted : 0;
        }

        if (rows > 0)
        {
            await _identityLog.ResetIdentityLogAsync(cancellationToken).ConfigureAwait(false);
        }
        return new TenantErasureCounts(profiles, events, rows);
    }
}

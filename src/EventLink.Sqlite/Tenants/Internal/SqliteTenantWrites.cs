using EventLink.Sqlite.Internal;
using EventLink.Storage;
using Microsoft.Data.Sqlite;

namespace EventLink.Sqlite.Tenants.Internal;

/// <summary>Erasing a whole tenant, in the session's transaction.</summary>
internal sealed class SqliteTenantWrites(SqliteSessionContext context)
{
    // Every table that holds tenant rows has a tenant_key column; reading them from the catalog keeps the erasure
    // complete as migrations add tables. The tenants table itself keeps the tenant's key and version.
    private const string TenantTables = """
        SELECT m.name FROM sqlite_master m
        WHERE m.type = 'table' AND m.name <> 'tenants'
          AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'tenant_key')
        ORDER BY m.name;
        """;

    public ValueTask<TenantErasureCounts> EraseTenantAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        context.Session.ThrowIfClosed();
        context.FlushDeferred();
        var tables = new List<string>();
        using (var list = context.Writer.Connection.CreateCommand())
        {
            list.CommandText = TenantTables;
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        long profiles = 0, events = 0, rows = 0;
        foreach (var table in tables)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var delete = context.Writer.Connection.CreateCommand();
            delete.CommandText = $"DELETE FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WHERE tenant_key = $t;";
            delete.Parameters.Add(new SqliteParameter("$t", context.TenantKey));
            var deleted = delete.ExecuteNonQuery();
            rows += deleted;
            profiles += table == "profiles" ? deleted : 0;
            events += table == "events" ? deleted : 0;
        }

        if (rows > 0)
        {
            context.IdentityLog.Reset();
            context.MarkDirty();
        }

        return ValueTask.FromResult(new TenantErasureCounts(profiles, events, rows));
    }
}

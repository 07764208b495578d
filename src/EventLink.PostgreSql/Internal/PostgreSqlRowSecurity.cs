using Npgsql;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// Row-level security as defence in depth: every tenant-scoped table lets a connection see and write only the rows
/// of the tenant named by the <c>eventlink.tenant</c> setting, which the store sets on every connection and
/// transaction it uses, on top of the tenant predicate every statement carries.
/// </summary>
internal static class PostgreSqlRowSecurity
{
    /// <summary>The setting holding the current tenant.</summary>
    public const string Setting = "eventlink.tenant";

    /// <summary>The base tables of a schema (<c>$1</c>) that have a <c>tenant</c> column.</summary>
    public const string TenantTablesQuery = """
        SELECT c.relname FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant' AND NOT a.attisdropped
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
        ORDER BY c.relname
        """;

    /// <summary>Sets the tenant for the rest of the transaction (<c>$1</c>).</summary>
    public const string SetTenantLocal = "SELECT set_config('eventlink.tenant', $1, true)";

    /// <summary>Sets the tenant for the connection (<c>$1</c>); the pool resets it when the connection is returned.</summary>
    public const string SetTenantSession = "SELECT set_config('eventlink.tenant', $1, false)";

    /// <summary>
    /// Enables and forces row-level security with a tenant policy on every tenant-scoped table of the schema that
    /// lacks one: idempotent, so it also runs after later migrations to cover the tables they add. Only DDL, which
    /// row security does not filter, so migrations need no tenant. <c>FORCE</c> subjects the tables' owner too;
    /// superusers and roles with <c>BYPASSRLS</c> are never subject.
    /// </summary>
    /// <param name="quotedSchema">The schema, quoted.</param>
    /// <returns>The statement.</returns>
    public static string Enable(string quotedSchema)
    {
        var name = quotedSchema[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal);
        return $$"""
            DO $eventlink$
            DECLARE t record;
            BEGIN
                FOR t IN
                    SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant' AND NOT a.attisdropped
                    WHERE n.nspname = '{{name}}' AND c.relkind IN ('r', 'p')
                LOOP
                    IF NOT t.relrowsecurity THEN
                        EXECUTE format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', '{{name}}', t.relname);
                    END IF;
                    IF NOT t.relforcerowsecurity THEN
                        EXECUTE format('ALTER TABLE %I.%I FORCE ROW LEVEL SECURITY', '{{name}}', t.relname);
                    END IF;
                    IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = '{{name}}' AND tablename = t.relname AND policyname = 'eventlink_tenant') THEN
                        EXECUTE format('CREATE POLICY eventlink_tenant ON %I.%I USING (tenant = current_setting(%L, true))', '{{name}}', t.relname, 'eventlink.tenant');
                    END IF;
                END LOOP;
            END
            $eventlink$;
            """;
    }

    /// <summary>Opens a pooled connection whose row-security tenant is <paramref name="tenant"/>.</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The open connection.</returns>
    public static async ValueTask<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, string tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(SetTenantSession, connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}

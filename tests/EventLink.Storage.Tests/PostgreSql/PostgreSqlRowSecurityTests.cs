using EventLink.PostgreSql;
using Npgsql;
using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Tests;

/// <summary>Row-level security: a connection sees only the rows of the tenant its <c>eventlink.tenant</c> setting names.</summary>
public sealed class PostgreSqlRowSecurityTests(PostgreSqlFixture fixture) : ContractTestBase<PostgreSqlFixture>(fixture)
{
    private const string AppRole = "eventlink_app";

    [PostgresFact]
    public async Task The_application_role_with_tenant_A_set_reads_only_A_rows_from_a_hand_written_query()
    {
        var name = nameof(The_application_role_with_tenant_A_set_reads_only_A_rows_from_a_hand_written_query);
        var schema = PostgreSqlFixture.SchemaName(name);
        var link = Build(await Fixture.CreateStoreAsync(name), null, null);
        await link.ForTenant("acme").IngestAsync(SeedData.Records());
        await link.ForTenant("globex").IngestAsync([StripeCustomer("cus_9", "zed@example.com", Day(2026, 1, 1)), StripeCharge("ch_9", "zed@example.com", Day(2026, 1, 2), 1)]);
        var acmeEvents = (long)(await Fixture.ScalarAsync($"SELECT count(*) FROM \"{schema}\".events WHERE tenant = 'acme'"))!;
        acmeEvents.Should().BeGreaterThan(0);
        (await Fixture.ScalarAsync($"SELECT count(*) FROM \"{schema}\".events WHERE tenant = 'globex'")).Should().Be(1L, "the owner/superuser sees every tenant");

        await Fixture.ScalarAsync($"""
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{AppRole}') THEN CREATE ROLE {AppRole} LOGIN; END IF;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
            END $$;
            GRANT USAGE ON SCHEMA "{schema}" TO {AppRole};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO {AppRole};
            """);
        var builder = new NpgsqlConnectionStringBuilder(PostgreSqlFixture.RequireConnectionString()) { Username = AppRole, Pooling = false };
        await using var app = new NpgsqlConnection(builder.ConnectionString);
        await app.OpenAsync();

        // No tenant set: nothing is visible.
        (await AllAsync(app, $"SELECT * FROM \"{schema}\".events")).Should().BeEmpty("without eventlink.tenant no row matches the policy");

        await using (var set = new NpgsqlCommand("SELECT set_config('eventlink.tenant', 'acme', false)", app))
        {
            await set.ExecuteNonQueryAsync();
        }

        var rows = await AllAsync(app, $"SELECT * FROM \"{schema}\".events");
        rows.Should().HaveCount((int)acmeEvents).And.OnlyContain(tenant => tenant == "acme");
        (await AllAsync(app, $"SELECT * FROM \"{schema}\".profiles")).Should().NotBeEmpty().And.OnlyContain(tenant => tenant == "acme");
        (await AllAsync(app, $"SELECT * FROM \"{schema}\".identities WHERE value = 'zed@example.com'")).Should().BeEmpty("globex's identity is invisible to acme");

        // Writing another tenant's row is refused too.
        await using var insert = new NpgsqlCommand($"INSERT INTO \"{schema}\".rejections VALUES ('globex', 'charge', 'stripe', 'k', 1, 'm', now())", app);
        var write = async () => await insert.ExecuteNonQueryAsync();
        (await write.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
    }

    [PostgresFact]
    public async Task Every_tenant_table_has_forced_row_level_security_with_the_tenant_policy()
    {
        var name = nameof(Every_tenant_table_has_forced_row_level_security_with_the_tenant_policy);
        var schema = PostgreSqlFixture.SchemaName(name);
        await using var store = await Fixture.CreateStoreAsync(name);
        await store.InitializeAsync();
        var unprotected = await Fixture.ScalarAsync($"""
            SELECT string_agg(c.relname, ',') FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant'
            WHERE n.nspname = '{schema}' AND c.relkind = 'r'
              AND NOT (c.relrowsecurity AND c.relforcerowsecurity
                       AND EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = n.nspname AND p.tablename = c.relname AND p.policyname = 'eventlink_tenant'))
            """);
        unprotected.Should().Be(DBNull.Value, "every tenant table is protected");
        (await Fixture.ScalarAsync($"SELECT count(*) FROM pg_policies WHERE schemaname = '{schema}'")).Should().Match<object>(c => (long)c >= 20);
    }

    [PostgresFact]
    public async Task Erasing_a_tenant_leaves_no_row_of_it_in_any_table()
    {
        var name = nameof(Erasing_a_tenant_leaves_no_row_of_it_in_any_table);
        var schema = PostgreSqlFixture.SchemaName(name);
        var link = Build(await Fixture.CreateStoreAsync(name), null, null);
        await link.ForTenant("acme").IngestAsync(SeedData.Records());
        await link.ForTenant("globex").IngestAsync(SeedData.Records());

        await link.ForTenant("acme").EraseTenantAsync();

        var tables = await Fixture.ScalarAsync($"SELECT string_agg(table_name, ',') FROM information_schema.columns WHERE table_schema = '{schema}' AND column_name = 'tenant' AND table_name <> 'tenants'");
        foreach (var table in ((string)tables!).Split(','))
        {
            (await Fixture.ScalarAsync($"SELECT count(*) FROM \"{schema}\".\"{table}\" WHERE tenant = 'acme'")).Should().Be(0L, $"{table} holds nothing of acme");
        }

        (await Fixture.ScalarAsync($"SELECT count(*) FROM \"{schema}\".events WHERE tenant = 'globex'")).Should().NotBe(0L);
    }

    private static async Task<List<string>> AllAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var tenants = new List<string>();
        var column = reader.GetOrdinal("tenant");
        while (await reader.ReadAsync())
        {
            tenants.Add(reader.GetString(column));
        }

        return tenants;
    }
}

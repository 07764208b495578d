using EventLink.Sqlite;
using Microsoft.Data.Sqlite;

namespace EventLink.Storage.Tests;

/// <summary>SQLite-only checks of tenant erasure: no row of the tenant is left in any table of the file.</summary>
public sealed class SqliteTenantStoreTests(SqliteFixture fixture) : ContractTestBase<SqliteFixture>(fixture)
{
    [StoreFact]
    public async Task Erasing_a_tenant_leaves_no_row_of_it_in_any_table()
    {
        var name = nameof(Erasing_a_tenant_leaves_no_row_of_it_in_any_table).ToLowerInvariant();
        var link = Build(await Fixture.CreateStoreAsync(name), null, null);
        await link.ForTenant("acme").IngestAsync(SeedData.Records());
        await link.ForTenant("globex").IngestAsync(SeedData.Records());

        await link.ForTenant("acme").EraseTenantAsync();

        await using var connection = new SqliteConnection($"Data Source={Fixture.PathOf(name)};Pooling=False");
        await connection.OpenAsync();
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return (long)command.ExecuteScalar()!;
        }

        var acme = Scalar("SELECT tenant_key FROM tenants WHERE name = 'acme'");
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.name <> 'tenants' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'tenant_key')";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        tables.Should().Contain(["profiles", "events", "identities", "changes", "quality_notes"]);
        foreach (var table in tables)
        {
            Scalar($"SELECT count(*) FROM \"{table}\" WHERE tenant_key = {acme}").Should().Be(0, $"{table} holds nothing of acme");
        }

        Scalar("SELECT count(*) FROM events e JOIN tenants t ON t.tenant_key = e.tenant_key WHERE t.name = 'globex'").Should().BeGreaterThan(0);
    }
}

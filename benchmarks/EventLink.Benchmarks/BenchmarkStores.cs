using Npgsql;

namespace EventLink.Benchmarks;

/// <summary>
/// Clients on each of the three stores, built the same way, for the benchmarks that compare stores in one run
/// (<see cref="MixedStreamBenchmark"/>, <see cref="ProfileIngestBenchmark"/>). Each client owns its store: an
/// in-memory store, a SQLite file <c>{prefix}-{process id}.db</c> in <see cref="BenchmarkFiles.Folder"/>, or a
/// PostgreSQL schema <c>bench_{prefix}_{process id}</c> (the connection from <c>EVENTLINK_TEST_POSTGRES</c>).
/// </summary>
internal static class BenchmarkStores
{
    public const string InMemory = nameof(InMemory);
    public const string Sqlite = nameof(Sqlite);
    public const string PostgreSql = nameof(PostgreSql);

    /// <summary>Whether a PostgreSQL server is configured.</summary>
    public static bool HasPostgreSql => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PostgreSqlIngestBenchmark.ConnectionVariable));

    /// <summary>The stores this machine can run: PostgreSQL only when <c>EVENTLINK_TEST_POSTGRES</c> is set.</summary>
    public static IEnumerable<string> Available() => HasPostgreSql ? [InMemory, Sqlite, PostgreSql] : [InMemory, Sqlite];

    public static string ConnectionString => Environment.GetEnvironmentVariable(PostgreSqlIngestBenchmark.ConnectionVariable)
        ?? throw new InvalidOperationException($"{PostgreSqlIngestBenchmark.ConnectionVariable} is not set.");

    /// <summary>A new client of <paramref name="store"/> on a store of its own named after <paramref name="prefix"/>, emptied first.</summary>
    public static IEventLink Create(string store, string prefix, Action<SchemaBuilder> schema)
    {
        Drop(store, prefix);
        var builder = new EventLinkBuilder();
        builder.AddSchema(schema);
        switch (store)
        {
            case InMemory:
                break;
            case Sqlite:
                builder.UseSqlite($"Data Source={SqlitePath(prefix)}");
                break;
            case PostgreSql:
                builder.UsePostgreSql(ConnectionString, o => o.Schema = PostgreSqlSchema(prefix));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(store), store, "unknown store");
        }

        var client = builder.Build();

        // Creates the tables now, so that no measured call pays for the migration.
        BenchmarkFiles.Wait(client.ForTenant("warm-up").GetCoverageAsync());
        return client;
    }

    /// <summary>Deletes what <see cref="Create"/> made for <paramref name="store"/> and <paramref name="prefix"/> (call after disposing the client).</summary>
    public static void Drop(string store, string prefix)
    {
        switch (store)
        {
            case Sqlite:
                BenchmarkFiles.DeleteStale(prefix);
                BenchmarkFiles.Delete(SqlitePath(prefix));
                break;
            case PostgreSql:
                using (var connection = new NpgsqlConnection(ConnectionString))
                {
                    connection.Open();
                    using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {PostgreSqlSchema(prefix)} CASCADE", connection);
                    command.ExecuteNonQuery();
                }

                break;
        }
    }

    /// <summary>
    /// Checks that every event a tenant stored is linked (none left in quarantine, none rejected), so that a benchmark
    /// cannot silently time failures; returns the number of linked events of <paramref name="recordType"/>.
    /// </summary>
    public static long AllEventsLinked(IEventLink tenant, string recordType, long expected)
    {
        var coverage = BenchmarkFiles.Wait(tenant.GetCoverageAsync())[recordType];
        if (coverage.Linked != expected || coverage.Total != expected || coverage.Quarantined != 0 || coverage.Rejected != 0)
        {
            throw new InvalidOperationException(
                $"tenant '{tenant.Tenant}': {coverage.Linked} of {expected} {recordType} events linked ({coverage.Total} stored, {coverage.Quarantined} quarantined, {coverage.Rejected} rejected)");
        }

        return coverage.Linked;
    }

    /// <summary>The number of live profiles of a tenant.</summary>
    public static int LiveProfiles(IEventLink tenant) => CountAsync(tenant.GetProfilesAsync()).AsTask().GetAwaiter().GetResult();

    private static async ValueTask<int> CountAsync<T>(IAsyncEnumerable<T> items)
    {
        var count = 0;
        await foreach (var _ in items.ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    private static string SqlitePath(string prefix) => Path.Combine(BenchmarkFiles.Folder, $"{prefix}-{Environment.ProcessId}.db");

    private static string PostgreSqlSchema(string prefix) => $"bench_{prefix}_{Environment.ProcessId}";
}

using System.Security.Cryptography;
using System.Text;
using EventLink.PostgreSql;
using Npgsql;

namespace EventLink.Storage.Tests;

/// <summary>
/// PostgreSQL stores for the contract suites: each store name gets its own schema in the database named by
/// <c>EVENTLINK_TEST_POSTGRES</c>, dropped and recreated by <see cref="CreateStoreAsync"/>.
/// </summary>
public sealed class PostgreSqlFixture : StoreFixture
{
    /// <summary>The environment variable holding the test database's connection string.</summary>
    public const string ConnectionVariable = "EVENTLINK_TEST_POSTGRES";

    private NpgsqlDataSource? _admin;

    /// <summary>Gets the test database's connection string, or <see langword="null"/> when none is configured.</summary>
    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } value ? value : null;

    /// <summary>Gets whether a missing database fails the tests rather than skipping them (on CI, or when asked to).</summary>
    public static bool IsRequired =>
        Environment.GetEnvironmentVariable("EVENTLINK_REQUIRE_POSTGRES") == "1" ||
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets why the PostgreSQL tests skip, or <see langword="null"/> when they run.</summary>
    public static string? SkipReason => ConnectionString is null && !IsRequired
        ? $"PostgreSQL tests skipped: set {ConnectionVariable} to a connection string (or run .ci/run, which starts a server)."
        : null;

    public override bool IsDurable => true;

    /// <summary>Gets the connection string, failing with a clear message when it is missing.</summary>
    public static string RequireConnectionString() => ConnectionString ?? throw new InvalidOperationException(
        $"{ConnectionVariable} is not set, but PostgreSQL tests are required here (EVENTLINK_REQUIRE_POSTGRES=1 or CI=true). " +
        $"Set {ConnectionVariable} to a connection string such as 'Host=127.0.0.1;Port=5432;Username=postgres;Database=eventlink_test', or run .ci/run.");

    public override async Task<EventLinkStore> CreateStoreAsync(string name)
    {
        var schema = SchemaName(name);
        await DropSchemaAsync(schema);
        return new PostgreSqlEventLinkStore(RequireConnectionString(), schema);
    }

    public override Task<EventLinkStore> OpenStoreAsync(string name) =>
        Task.FromResult<EventLinkStore>(new PostgreSqlEventLinkStore(RequireConnectionString(), SchemaName(name)));

    /// <summary>Drops a schema and everything in it.</summary>
    public async Task DropSchemaAsync(string schema)
    {
        _admin ??= NpgsqlDataSource.Create(RequireConnectionString());
        await using var command = _admin.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs SQL against the test database.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        _admin ??= NpgsqlDataSource.Create(RequireConnectionString());
        await using var command = _admin.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>The schema of a store name: a valid identifier of at most 63 characters, unique per name.</summary>
    public static string SchemaName(string name)
    {
        name = name.ToLowerInvariant();
        var builder = new StringBuilder("t_");
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        if (builder.Length <= 63)
        {
            return builder.ToString();
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..10];
        return builder.ToString(0, 52) + "_" + hash;
    }

    public override async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }
    }
}

/// <summary>A fact that needs PostgreSQL: skipped with a reason when no database is configured (and none is required).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgreSqlFixture.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs PostgreSQL: skipped with a reason when no database is configured (and none is required).</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgreSqlFixture.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

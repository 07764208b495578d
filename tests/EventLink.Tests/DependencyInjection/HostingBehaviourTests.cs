using System.Collections.Concurrent;
using System.Text;
using EventLink.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventLink.Tests.DependencyInjection;

/// <summary>How EventLink behaves inside a container and a host: disposal, start-up checks, configuration, one registration, logs.</summary>
public sealed class HostingBehaviourTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("eventlink-hosting");

    private static void Schema(SchemaBuilder s) => s
        .Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email").Identity("user_id", IdentityKinds.UserId))
        .AppendOnly("charge", t => t.RecordId("id").OccurredAt("created").RelatesTo("customer_email", "customer"));

    private static IConfiguration Configuration(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task A_service_provider_disposed_synchronously_disposes_EventLink_and_its_store()
    {
        var services = new ServiceCollection();
        services.AddEventLink(el => el.AddSchema(Schema).UseSqlite($"Data Source={Path.Combine(_directory.FullName, "sync.db")}"));
        var provider = services.BuildServiceProvider();
        var link = provider.GetRequiredService<IEventLink>();
        var store = provider.GetRequiredService<EventLinkStore>();
        (await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1767225600,"email":"ada@example.com"}"""))).Outcome
            .Should().Be(IngestOutcome.Created);

        var dispose = () => provider.Dispose();

        dispose.Should().NotThrow("EventLink is IDisposable as well as IAsyncDisposable");
        var afterwards = async () => await store.BeginAsync("default");
        await afterwards.Should().ThrowAsync<ObjectDisposedException>("the container disposed the store with EventLink");
    }

    [Fact]
    public void An_instance_built_without_a_host_disposes_synchronously()
    {
        var link = new EventLinkBuilder().AddSchema(Schema).UseSqlite($"Data Source={Path.Combine(_directory.FullName, "built.db")}").Build();
        link.Dispose();
        File.Delete(Path.Combine(_directory.FullName, "built.db"));
        File.Exists(Path.Combine(_directory.FullName, "built.db")).Should().BeFalse();
    }

    [Fact]
    public async Task A_host_whose_SQLite_directory_is_missing_fails_to_start_with_a_clear_message()
    {
        var missing = Path.Combine(_directory.FullName, "no-such-directory", "eventlink.db");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEventLink(el => el.AddSchema(Schema).UseSqlite($"Data Source={missing}"));
        using var host = builder.Build();

        var start = async () => await host.StartAsync();

        var failure = await start.Should().ThrowAsync<OptionsValidationException>();
        failure.Which.Message.Should().Contain("EventLink could not open its store (SqliteEventLinkStore)")
            .And.Contain("does not exist").And.Contain(Path.GetDirectoryName(missing)!);
        File.Exists(missing).Should().BeFalse();
    }

    [Fact]
    public async Task A_host_whose_PostgreSQL_server_cannot_be_reached_fails_to_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEventLink(el => el.AddSchema(Schema).UsePostgreSql("Host=127.0.0.1;Port=9;Username=nobody;Database=none;Timeout=3"));
        using var host = builder.Build();

        var start = async () => await host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Message.Should().Contain("EventLink could not open its store (PostgreSqlEventLinkStore)");
    }

    [Fact]
    public async Task A_host_with_a_reachable_PostgreSQL_server_migrates_the_schema_at_start()
    {
        var connectionString = Environment.GetEnvironmentVariable("EVENTLINK_TEST_POSTGRES");
        if (string.IsNullOrEmpty(connectionString))
        {
            Environment.GetEnvironmentVariable("EVENTLINK_REQUIRE_POSTGRES").Should().NotBe("1", "EVENTLINK_TEST_POSTGRES must be set when PostgreSQL is required");
            return;
        }

        var schema = "startup_" + Guid.NewGuid().ToString("N")[..12];
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEventLink(el => el.AddSchema(Schema).UsePostgreSql(connectionString, o => o.Schema = schema));
        using var host = builder.Build();

        await host.StartAsync();

        await using var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'events'");
        command.Parameters.AddWithValue(schema);
        ((long)(await command.ExecuteScalarAsync())!).Should().Be(1, "start-up migrated the schema before any call");
        await host.StopAsync();
        await using var drop = dataSource.CreateCommand($"DROP SCHEMA {schema} CASCADE");
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_host_with_a_usable_store_starts()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEventLink(el => el.AddSchema(Schema).UseSqlite($"Data Source={Path.Combine(_directory.FullName, "ok.db")}"));
        using var host = builder.Build();
        await host.StartAsync();
        File.Exists(Path.Combine(_directory.FullName, "ok.db")).Should().BeTrue("start-up created and migrated the database");
        await host.StopAsync();
    }

    [Fact]
    public async Task The_SQLite_store_binds_from_ConnectionStrings_and_its_section()
    {
        var file = Path.Combine(_directory.FullName, "configured.db").Replace("\\", "\\\\", StringComparison.Ordinal);
        var configuration = Configuration($$"""
            {
              "ConnectionStrings": { "EventLink": "Data Source={{file}}" },
              "EventLink": { "Sqlite": { "Synchronous": "Normal", "BusyTimeout": "00:00:05", "CacheSizeKibibytes": "2048" } }
            }
            """);
        var services = new ServiceCollection();
        services.AddEventLink(el => el.AddSchema(Schema).UseSqlite(configuration));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<EventLink.Sqlite.SqliteEventLinkStoreOptions>>().Value;
        options.ConnectionString.Should().Be($"Data Source={Path.Combine(_directory.FullName, "configured.db")}");
        options.Synchronous.Should().Be(EventLink.Sqlite.SqliteSynchronousMode.Normal);
        options.BusyTimeout.Should().Be(TimeSpan.FromSeconds(5));
        options.CacheSizeKibibytes.Should().Be(2048);
        await provider.GetRequiredService<IEventLink>().IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1767225600,"email":"ada@example.com"}"""));
        File.Exists(Path.Combine(_directory.FullName, "configured.db")).Should().BeTrue();
    }

    [Fact]
    public async Task The_PostgreSQL_store_binds_from_ConnectionStrings_and_its_section()
    {
        var configuration = Configuration("""
            {
              "ConnectionStrings": { "Events": "Host=db.internal;Username=app;Database=app" },
              "Events": { "PostgreSql": { "Schema": "tenant_events", "BulkInsertThreshold": "16" } }
            }
            """);
        var services = new ServiceCollection();
        services.AddEventLink(el => el.AddSchema(Schema).UsePostgreSql(configuration, "Events"));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<EventLink.PostgreSql.PostgreSqlEventLinkStoreOptions>>().Value;
        options.ConnectionString.Should().Be("Host=db.internal;Username=app;Database=app");
        options.Schema.Should().Be("tenant_events");
        options.BulkInsertThreshold.Should().Be(16);
    }

    [Fact]
    public void A_second_configured_AddEventLink_is_refused()
    {
        var services = new ServiceCollection();
        services.AddEventLink(el => el.AddSchema(Schema));

        var again = () => services.AddEventLink(el => el.AddSchema(s => s.AppendOnly("ticket", t => t.RecordId("id").OccurredAt("created"))));

        again.Should().Throw<InvalidOperationException>().WithMessage("AddEventLink has already been called*merge both schemas*");
        services.AddEventLink().Should().NotBeNull("a call without configuration adds nothing and is allowed");
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IEventLink>().Schema.RecordTypes.Keys.Should().BeEquivalentTo("customer", "charge");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Identity_values_and_payload_values_stay_out_of_logs_unless_enabled(bool logPersonalData)
    {
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddEventLink(el => el.AddSchema(Schema).Configure(o => o.LogPersonalData = logPersonalData));
        await using var provider = services.BuildServiceProvider();
        var link = provider.GetRequiredService<IEventLink>();

        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1767225600,"email":"ada.secret@example.com"}"""));
        await link.IngestAsync(new IngestRecord("app", "customer", """{"id":"acct_9","created":1767225600,"user_id":"u_secret_1"}"""));
        var merged = await link.IngestAsync(new IngestRecord("crm", "customer", """{"id":"c_1","created":1767225601,"email":"ada.secret@example.com","user_id":"u_secret_1"}"""));
        var rejected = await link.IngestAsync(new IngestRecord("stripe", "charge", """{"id":"ch_1","created":"payload-secret-42","customer_email":"ada.secret@example.com"}"""));

        merged.Outcome.Should().Be(IngestOutcome.Updated);
        rejected.Outcome.Should().Be(IngestOutcome.Rejected);
        rejected.Message.Should().Contain("payload-secret-42", "the caller's result keeps the details");
        var text = string.Join("\n", logs.Messages);
        text.Should().Contain("Merged profile").And.Contain("Rejected stripe/charge record ch_1: InvalidOccurredAt");
        if (logPersonalData)
        {
            text.Should().Contain("u_secret_1").And.Contain("payload-secret-42");
        }
        else
        {
            text.Should().NotContain("secret").And.Contain("user_id:***").And.Contain("LogPersonalData");
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Messages.Enqueue($"{logLevel}: {formatter(state, exception)}");
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventLink.Samples.Snippets;

/// <summary>Snippets of README.md and docs/stores.md.</summary>
public static class ReadmeSnippets
{
    public static async Task QuickStartAsync()
    {
        #region readme-quickstart
        await using var link = new EventLinkBuilder()
            .AddSchema(schema => schema
                .Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email"))
                .AppendOnly("charge", t => t.RecordId("id").OccurredAt("created").RelatesTo("customer_email", "customer")))
            .UseSqlite("Data Source=eventlink.db")
            .Build();

        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1767225600,"email":"Ada@Example.com"}"""));
        await link.IngestAsync(new IngestRecord("stripe", "charge", """{"id":"ch_1","created":1768471200,"customer_email":" ada@example.com","amount":4900}"""));

        var ada = await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com");
        await foreach (var e in link.GetTimelineAsync(ada!.Id))
        {
            Console.WriteLine($"{e.OccurredAt:yyyy-MM-dd} {e.Source} {e.EventName}");
        }
        #endregion
    }

    public static void DependencyInjection(HostApplicationBuilder builder)
    {
        #region readme-di
        builder.Services.AddEventLink(el => el
            .AddSchema(schema => schema
                .Merged("customer", t => t.Identity("email"))
                .AppendOnly("charge", t => t.RelatesTo("customer_email", "customer")))
            .UseSqlite("Data Source=eventlink.db"));

        // or from appsettings.json (section "EventLink", schema under "EventLink:Schema"):
        builder.Services.AddEventLink(builder.Configuration.GetSection("EventLink"), el => el.UseSqlite("Data Source=eventlink.db"));
        #endregion
    }

    public static void PostgreSql(HostApplicationBuilder builder)
    {
        #region readme-postgresql
        builder.Services.AddEventLink(el => el
            .AddSchema(ConceptSnippets.Schema)
            .UsePostgreSql("Host=db;Username=app;Password=secret;Database=app", options => options.Schema = "eventlink"));
        #endregion
    }

    public static void Sqlite(IServiceCollection services)
    {
        #region stores-sqlite
        services.AddEventLink(el => el
            .AddSchema(ConceptSnippets.Schema)
            .UseSqlite(options =>
            {
                options.ConnectionString = "Data Source=/var/lib/myapp/eventlink.db";
                options.BusyTimeout = TimeSpan.FromSeconds(10);
            }));
        #endregion
    }

    public static void PostgreSqlVariants(IServiceCollection services, Npgsql.NpgsqlDataSource dataSource)
    {
        #region postgresql-usage
        services.AddEventLink(eventLink => eventLink
            .AddSchema(ConceptSnippets.Schema)
            .UsePostgreSql("Host=db;Username=app;Password=secret;Database=app", options => options.Schema = "eventlink"));

        // or with a data source you own (the store does not dispose it)
        services.AddEventLink(eventLink => eventLink.AddSchema(ConceptSnippets.Schema).UsePostgreSql(dataSource));

        // or with the data source registered by Npgsql's AddNpgsqlDataSource(...)
        services.AddEventLink(eventLink => eventLink.AddSchema(ConceptSnippets.Schema).UsePostgreSql());
        #endregion
    }
}

using EventLink.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventLink;

/// <summary>Chooses the SQLite store on an <see cref="IEventLinkBuilder"/>.</summary>
public static class SqliteEventLinkBuilderExtensions
{
    /// <summary>Stores EventLink's data in a SQLite file.</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The connection string, such as <c>Data Source=eventlink.db</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionString"/> is <see langword="null"/>.</exception>
    public static TBuilder UseSqlite<TBuilder>(this TBuilder builder, string connectionString)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return builder.UseSqlite(options => options.ConnectionString = connectionString);
    }

    /// <summary>Stores EventLink's data in a SQLite file, configured by <paramref name="configure"/>.</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options (at least the connection string).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static TBuilder UseSqlite<TBuilder>(this TBuilder builder, Action<SqliteEventLinkStoreOptions> configure)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<SqliteEventLinkStoreOptions>()
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), "SqliteEventLinkStoreOptions.ConnectionString must name a database file.")
            .ValidateOnStart();
        return builder.UseStore(sp => new SqliteEventLinkStore(sp.GetRequiredService<IOptions<SqliteEventLinkStoreOptions>>().Value));
    }
}

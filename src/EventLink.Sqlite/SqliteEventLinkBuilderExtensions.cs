using System.Globalization;
using EventLink.Sqlite;
using Microsoft.Extensions.Configuration;
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

    /// <summary>
    /// Stores EventLink's data in a SQLite file named in configuration: the connection string is
    /// <c>ConnectionStrings:{name}</c> (as <c>GetConnectionString</c> reads it), and the section <c>{name}:Sqlite</c>
    /// may set <c>ConnectionString</c> (which wins), <c>Synchronous</c>, <c>BusyTimeout</c> and <c>CacheSizeKibibytes</c>.
    /// Configuration is read when the options are first needed (host start), so sources added later count.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The application's configuration (its root).</param>
    /// <param name="name">The connection string's name, and the section holding further options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/>, <paramref name="configuration"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    public static TBuilder UseSqlite<TBuilder>(this TBuilder builder, IConfiguration configuration, string name = "EventLink")
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(name);
        return builder.UseSqlite(options =>
        {
            var section = configuration.GetSection(name).GetSection("Sqlite");
            options.ConnectionString = section["ConnectionString"] ?? configuration.GetConnectionString(name) ?? string.Empty;
            if (section["Synchronous"] is { } synchronous)
            {
                options.Synchronous = Enum.TryParse<SqliteSynchronousMode>(synchronous, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
                    ? mode
                    : throw new InvalidOperationException($"{section.Path}:Synchronous '{synchronous}' is not one of {string.Join(", ", Enum.GetNames<SqliteSynchronousMode>())}.");
            }

            if (section["BusyTimeout"] is { } busyTimeout)
            {
                options.BusyTimeout = TimeSpan.TryParse(busyTimeout, CultureInfo.InvariantCulture, out var timeout)
                    ? timeout
                    : throw new InvalidOperationException($"{section.Path}:BusyTimeout '{busyTimeout}' is not a time span (such as 00:00:30).");
            }

            if (section["CacheSizeKibibytes"] is { } cacheSize)
            {
                options.CacheSizeKibibytes = int.TryParse(cacheSize, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kibibytes)
                    ? kibibytes
                    : throw new InvalidOperationException($"{section.Path}:CacheSizeKibibytes '{cacheSize}' is not a whole number.");
            }
        });
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

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using EventLink.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventLink;

/// <summary>Chooses the PostgreSQL store on an <see cref="IEventLinkBuilder"/>.</summary>
public static class PostgreSqlEventLinkBuilderExtensions
{
    /// <summary>Stores EventLink's data in PostgreSQL, connecting with a connection string (the store owns its data source).</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The Npgsql connection string, such as <c>Host=localhost;Username=app;Password=…;Database=app</c>.</param>
    /// <param name="configure">Changes further options, such as the schema.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionString"/> is <see langword="null"/>.</exception>
    public static TBuilder UsePostgreSql<TBuilder>(this TBuilder builder, string connectionString, Action<PostgreSqlEventLinkStoreOptions>? configure = null)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return builder.UsePostgreSql(options =>
        {
            options.ConnectionString = connectionString;
            configure?.Invoke(options);
        });
    }

    /// <summary>
    /// Stores EventLink's data in PostgreSQL named in configuration: the connection string is
    /// <c>ConnectionStrings:{name}</c> (as <c>GetConnectionString</c> reads it), and the section <c>{name}:PostgreSql</c>
    /// may set <c>ConnectionString</c> (which wins), <c>Schema</c> and <c>BulkInsertThreshold</c>. Configuration is
    /// read when the options are first needed (host start), so sources added later count.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The application's configuration (its root).</param>
    /// <param name="name">The connection string's name, and the section holding further options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/>, <paramref name="configuration"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "Each overload's first parameter has its own type (string, IConfiguration, NpgsqlDataSource, Action), so no call can bind to two of them.")]
    public static TBuilder UsePostgreSql<TBuilder>(this TBuilder builder, IConfiguration configuration, string name = "EventLink")
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(name);
        return builder.UsePostgreSql(options =>
        {
            var section = configuration.GetSection(name).GetSection("PostgreSql");
            if ((section["ConnectionString"] ?? configuration.GetConnectionString(name)) is { Length: > 0 } connectionString)
            {
                options.ConnectionString = connectionString;
            }

            if (section["Schema"] is { } schema)
            {
                options.Schema = schema;
            }

            if (section["BulkInsertThreshold"] is { } threshold)
            {
                options.BulkInsertThreshold = int.TryParse(threshold, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new InvalidOperationException($"{section.Path}:BulkInsertThreshold '{threshold}' is not a whole number.");
            }
        });
    }

    /// <summary>Stores EventLink's data in PostgreSQL, connecting through a data source (which the store does not dispose).</summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="dataSource">The data source.</param>
    /// <param name="configure">Changes further options, such as the schema.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="dataSource"/> is <see langword="null"/>.</exception>
    public static TBuilder UsePostgreSql<TBuilder>(this TBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlEventLinkStoreOptions>? configure = null)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.UsePostgreSql(options =>
        {
            options.DataSource = dataSource;
            configure?.Invoke(options);
        });
    }

    /// <summary>
    /// Stores EventLink's data in PostgreSQL. Unless <paramref name="configure"/> sets a connection string or a data
    /// source, the store uses the <see cref="NpgsqlDataSource"/> registered in the container (for example with
    /// Npgsql's <c>AddNpgsqlDataSource</c>). Options are validated when the host starts.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type (kept so chains end in <see cref="EventLinkBuilder.Build"/>).</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets options, such as the schema.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static TBuilder UsePostgreSql<TBuilder>(this TBuilder builder, Action<PostgreSqlEventLinkStoreOptions>? configure = null)
        where TBuilder : IEventLinkBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<PostgreSqlEventLinkStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<PostgreSqlEventLinkStoreOptions>, ResolveDataSource>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlEventLinkStoreOptions>, Validator>());
        return builder.UseStore(sp => new PostgreSqlEventLinkStore(sp.GetRequiredService<IOptions<PostgreSqlEventLinkStoreOptions>>().Value));
    }

    /// <summary>Reports invalid options when the host starts rather than at first use.</summary>
    private sealed class Validator : IValidateOptions<PostgreSqlEventLinkStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, PostgreSqlEventLinkStoreOptions options)
        {
            var errors = options.GetErrors();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }

    /// <summary>Fills in the container's data source when the options name no connection.</summary>
    private sealed class ResolveDataSource(IServiceProvider services) : IPostConfigureOptions<PostgreSqlEventLinkStoreOptions>
    {
        public void PostConfigure(string? name, PostgreSqlEventLinkStoreOptions options)
        {
            if (options.DataSource is null && string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                options.DataSource = services.GetService<NpgsqlDataSource>()
                    ?? throw new InvalidOperationException(
                        "UsePostgreSql was given no connection string or data source, and no NpgsqlDataSource is registered (register one with AddNpgsqlDataSource, or pass a connection string).");
            }
        }
    }
}

using Npgsql;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// The base of the store-level reads of one feature (<see cref="PostgreSqlEventLinkStore"/> forwards to them): the
/// data source, the SQL, and tenant-scoped connections for the reads (row-level security).
/// </summary>
internal abstract class PostgreSqlStoreQueries(NpgsqlDataSource dataSource, PostgreSqlSql sql)
{
    protected NpgsqlDataSource DataSource { get; } = dataSource;

    protected PostgreSqlSql Sql { get; } = sql;

    /// <summary>Opens a connection whose row-security tenant (<c>eventlink.tenant</c>) is <paramref name="tenant"/>.</summary>
    protected ValueTask<NpgsqlConnection> OpenAsync(string tenant, CancellationToken cancellationToken) =>
        PostgreSqlRowSecurity.OpenAsync(DataSource, tenant, cancellationToken);
}

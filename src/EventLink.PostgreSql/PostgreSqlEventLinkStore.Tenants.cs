using EventLink.PostgreSql.Internal;
using Npgsql;

namespace EventLink.PostgreSql;

/// <summary>Tenant-scoped connections for the store's reads (row-level security).</summary>
public sealed partial class PostgreSqlEventLinkStore
{
    /// <summary>Opens a connection whose row-security tenant (<c>eventlink.tenant</c>) is <paramref name="tenant"/>.</summary>
    private ValueTask<NpgsqlConnection> OpenAsync(string tenant, CancellationToken cancellationToken) =>
        PostgreSqlRowSecurity.OpenAsync(_dataSource, tenant, cancellationToken);
}

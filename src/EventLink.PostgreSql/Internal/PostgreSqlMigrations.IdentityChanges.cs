namespace EventLink.PostgreSql.Internal;

/// <summary>The identity-log migration step.</summary>
internal static partial class PostgreSqlMigrations
{
    /// <summary>
    /// 7: identity changes, so that a process brings its identity index up to date from what changed since the
    /// version it reflects: the version of the commit that last wrote each identity (existing rows: 0, at most the
    /// tenant's version), the removed identities with the version that removed them, and per tenant the oldest
    /// version the log answers from and the version of the last commit that kept the log (a commit by an older
    /// library, which does not, moves the first up to its version). Adding a column with a constant default
    /// rewrites no rows.
    /// </summary>
    private static string IdentityChangesVersion(string s) => $"""
        ALTER TABLE {s}.tenants
            ADD COLUMN IF NOT EXISTS identity_log_from bigint NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS identity_log_version bigint NOT NULL DEFAULT 0;
        ALTER TABLE {s}.identities ADD COLUMN IF NOT EXISTS changed_version bigint NOT NULL DEFAULT 0;
        CREATE INDEX IF NOT EXISTS identities_changed ON {s}.identities (tenant, changed_version);

        CREATE TABLE IF NOT EXISTS {s}.identity_removals (
            tenant text COLLATE "C" NOT NULL,
            kind text COLLATE "C" NOT NULL,
            value text COLLATE "C" NOT NULL,
            version bigint NOT NULL,
            PRIMARY KEY (tenant, kind, value));
        CREATE INDEX IF NOT EXISTS identity_removals_version ON {s}.identity_removals (tenant, version);
        """;
}

namespace EventLink.PostgreSql.Internal;

/// <summary>The data-quality migration step.</summary>
internal static partial class PostgreSqlMigrations
{
    /// <summary>2: data quality — notes (filtered records, contract violations), payload shapes, hourly arrivals.</summary>
    private static string QualityVersion(string s) => $"""
        CREATE TABLE {s}.quality_notes (
            tenant text COLLATE "C" NOT NULL,
            source text COLLATE "C" NOT NULL,
            record_type text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            kind smallint NOT NULL,
            rule text COLLATE "C" NOT NULL,
            message text NOT NULL,
            noted_at timestamptz NOT NULL,
            PRIMARY KEY (tenant, source, record_type, key, kind, rule));

        CREATE TABLE {s}.field_shapes (
            tenant text COLLATE "C" NOT NULL,
            source text COLLATE "C" NOT NULL,
            record_type text COLLATE "C" NOT NULL,
            path text COLLATE "C" NOT NULL,
            json_type text COLLATE "C" NOT NULL,
            first_seen timestamptz NOT NULL,
            last_seen timestamptz NOT NULL,
            count bigint NOT NULL,
            PRIMARY KEY (tenant, source, record_type, path, json_type));

        CREATE TABLE {s}.hourly_counts (
            tenant text COLLATE "C" NOT NULL,
            source text COLLATE "C" NOT NULL,
            record_type text COLLATE "C" NOT NULL,
            hour timestamptz NOT NULL,
            count bigint NOT NULL,
            PRIMARY KEY (tenant, source, record_type, hour));
        CREATE INDEX hourly_counts_hour ON {s}.hourly_counts (tenant, hour);
        """;
}

using EventLink.PostgreSql.Internal;
namespace EventLink.PostgreSql.Quality.Internal;

/// <summary>The data-quality statements, written once per schema; <c>$1</c> is always the tenant.</summary>
internal sealed class PostgreSqlQualitySql
{
    public PostgreSqlQualitySql(string schema)
    {
        var s = PostgreSqlSql.Quote(schema);
        AddNote = $"""
            INSERT INTO {s}.quality_notes (tenant, source, record_type, key, kind, rule, message, noted_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING
            """;
        ObserveFields = $"""
            INSERT INTO {s}.field_shapes AS f (tenant, source, record_type, path, json_type, first_seen, last_seen, count)
            SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::bigint[])
            ON CONFLICT (tenant, source, record_type, path, json_type) DO UPDATE SET
                first_seen = least(f.first_seen, excluded.first_seen), last_seen = greatest(f.last_seen, excluded.last_seen), count = f.count + excluded.count
            RETURNING source, record_type, path, json_type, (xmax = 0)
            """;
        AddHourlyCounts = $"""
            INSERT INTO {s}.hourly_counts AS h (tenant, source, record_type, hour, count)
            SELECT $1, * FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::bigint[])
            ON CONFLICT (tenant, source, record_type, hour) DO UPDATE SET count = h.count + excluded.count
            """;
        NoteCounts = $"SELECT record_type, kind, rule, count(*) FROM {s}.quality_notes WHERE tenant = $1 GROUP BY record_type, kind, rule ORDER BY record_type, kind, rule";
        FieldShapes = $"SELECT source, record_type, path, json_type, first_seen, last_seen, count FROM {s}.field_shapes WHERE tenant = $1 ORDER BY source, record_type, path, json_type";
        HourlyCounts = $"SELECT source, record_type, hour, count FROM {s}.hourly_counts WHERE tenant = $1 AND hour >= $2 AND hour < $3 ORDER BY source, record_type, hour";
        EventNameCounts = $"""
            SELECT record_type, event_name, count(profile_id), count(*) - count(profile_id) FROM {s}.events
            WHERE tenant = $1 AND ($2::timestamptz IS NULL OR occurred_at < $2)
            GROUP BY record_type, event_name ORDER BY record_type, event_name COLLATE "C"
            """;
    }

    public string AddNote { get; }

    public string ObserveFields { get; }

    public string AddHourlyCounts { get; }

    public string NoteCounts { get; }

    public string FieldShapes { get; }

    public string HourlyCounts { get; }

    public string EventNameCounts { get; }
}

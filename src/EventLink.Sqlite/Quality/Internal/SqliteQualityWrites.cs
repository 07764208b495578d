using EventLink.Sqlite.Internal;
using EventLink.Storage;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Quality.Internal;

/// <summary>Data-quality writes: prepared statements on the session's write transaction.</summary>
internal sealed class SqliteQualityWrites(SqliteSessionContext context)
{
    private const string AddQualityNoteSql = """
        INSERT INTO quality_notes (tenant_key, source, record_type, key, kind, rule, message, noted_at)
        VALUES ($t, $source, $type, $key, $kind, $rule, $message, $at) ON CONFLICT DO NOTHING;
        """;

    private const string FindFieldShapeSql = "SELECT 1 FROM field_shapes WHERE tenant_key = $t AND source = $source AND record_type = $type AND path = $path AND json_type = $json;";

    private const string ObserveFieldSql = """
        INSERT INTO field_shapes (tenant_key, source, record_type, path, json_type, first_seen, last_seen, count)
        VALUES ($t, $source, $type, $path, $json, $first, $last, $count)
        ON CONFLICT (tenant_key, source, record_type, path, json_type) DO UPDATE SET
            first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen), count = count + excluded.count;
        """;

    private const string AddHourlyCountSql = """
        INSERT INTO hourly_counts (tenant_key, source, record_type, hour, count) VALUES ($t, $source, $type, $hour, $count)
        ON CONFLICT (tenant_key, source, record_type, hour) DO UPDATE SET count = count + excluded.count;
        """;

    public ValueTask AddQualityNoteAsync(QualityNoteRow note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(note);
        cancellationToken.ThrowIfCancellationRequested();
        var command = context.Command(AddQualityNoteSql, "$source", "$type", "$key", "$kind", "$rule", "$message", "$at");
        var p = command.Parameters;
        p[1].Value = note.Source;
        p[2].Value = note.RecordType;
        p[3].Value = note.Key;
        p[4].Value = (int)note.Kind;
        p[5].Value = note.Rule;
        p[6].Value = note.Message;
        p[7].Value = ToMicros(note.NotedAt);
        context.Write(command);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<bool>> ObserveFieldsAsync(IReadOnlyList<FieldObservationRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        cancellationToken.ThrowIfCancellationRequested();
        var find = context.Command(FindFieldShapeSql, "$source", "$type", "$path", "$json");
        var upsert = context.Command(ObserveFieldSql, "$source", "$type", "$path", "$json", "$first", "$last", "$count");
        var isNew = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var f = find.Parameters;
            f[1].Value = row.Source;
            f[2].Value = row.RecordType;
            f[3].Value = row.Path;
            f[4].Value = row.JsonType;
            isNew[i] = find.ExecuteScalar() is null;

            var p = upsert.Parameters;
            p[1].Value = row.Source;
            p[2].Value = row.RecordType;
            p[3].Value = row.Path;
            p[4].Value = row.JsonType;
            p[5].Value = ToMicros(row.FirstSeen);
            p[6].Value = ToMicros(row.LastSeen);
            p[7].Value = row.Count;
            context.Write(upsert);
        }

        return ValueTask.FromResult<IReadOnlyList<bool>>(isNew);
    }

    public ValueTask AddHourlyCountsAsync(IReadOnlyList<HourlyCountRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        cancellationToken.ThrowIfCancellationRequested();
        var command = context.Command(AddHourlyCountSql, "$source", "$type", "$hour", "$count");
        foreach (var row in rows)
        {
            var p = command.Parameters;
            p[1].Value = row.Source;
            p[2].Value = row.RecordType;
            p[3].Value = ToMicros(row.Hour);
            p[4].Value = row.Count;
            context.Write(command);
        }

        return ValueTask.CompletedTask;
    }
}

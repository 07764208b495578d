using System.Runtime.CompilerServices;
using EventLink.Sqlite.Internal;
using EventLink.Storage;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Quality.Internal;

/// <summary>Data-quality reads, each in its own read snapshot.</summary>
internal sealed class SqliteQualityQueries(SqliteEventLinkStore store)
{
    public async ValueTask<IReadOnlyList<QualityNoteCount>> GetQualityNoteCountsAsync(string tenant, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return [];
        }

        using var command = scope.Command("SELECT record_type, kind, rule, count(*) FROM quality_notes WHERE tenant_key = $t GROUP BY record_type, kind, rule ORDER BY record_type, kind, rule;");
        using var reader = command.ExecuteReader();
        var counts = new List<QualityNoteCount>();
        while (reader.Read())
        {
            counts.Add(new QualityNoteCount(reader.GetString(0), (QualityNoteKind)reader.GetInt32(1), reader.GetString(2), reader.GetInt64(3)));
        }

        return counts;
    }

    public async IAsyncEnumerable<FieldObservationRow> ReadFieldObservationsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            yield break;
        }

        using var command = scope.Command("""
            SELECT source, record_type, path, json_type, first_seen, last_seen, count FROM field_shapes
            WHERE tenant_key = $t ORDER BY source, record_type, path, json_type;
            """);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return new FieldObservationRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), ToTime(reader, 4), ToTime(reader, 5), reader.GetInt64(6));
            }
        }
    }

    public async IAsyncEnumerable<HourlyCountRow> ReadHourlyCountsAsync(string tenant, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            yield break;
        }

        using var command = scope.Command("""
            SELECT source, record_type, hour, count FROM hourly_counts
            WHERE tenant_key = $t AND hour >= $from AND hour < $to ORDER BY source, record_type, hour;
            """);
        command.Parameters.AddWithValue("$from", CeilingMicros(from));
        command.Parameters.AddWithValue("$to", CeilingMicros(to));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return new HourlyCountRow(reader.GetString(0), reader.GetString(1), ToTime(reader, 2), reader.GetInt64(3));
            }
        }
    }

    public async ValueTask<IReadOnlyList<EventNameCountRow>> CountEventsByNameAsync(string tenant, DateTimeOffset? occurredBefore, CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return [];
        }

        using var command = scope.Command("""
            SELECT e.record_type, e.event_name, count(COALESCE(l.profile_id, e.profile_id)), count(*) - count(COALESCE(l.profile_id, e.profile_id))
            FROM events e LEFT JOIN event_links l ON l.tenant_key = e.tenant_key AND l.event_id = e.id
            WHERE e.tenant_key = $t AND ($before IS NULL OR e.occurred_at < $before)
            GROUP BY e.record_type, e.event_name ORDER BY e.record_type, e.event_name;
            """);
        command.Parameters.AddWithValue("$before", occurredBefore is { } before ? CeilingMicros(before) : DBNull.Value);
        using var reader = command.ExecuteReader();
        var rows = new List<EventNameCountRow>();
        while (reader.Read())
        {
            rows.Add(new EventNameCountRow(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return rows;
    }
}

using EventLink.PostgreSql.Internal;
using System.Runtime.CompilerServices;
using EventLink.Storage;
using Npgsql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Quality.Internal;

/// <summary>Data-quality reads; they take no lock.</summary>
internal sealed class PostgreSqlQualityQueries(NpgsqlDataSource dataSource, PostgreSqlSql sql) : PostgreSqlStoreQueries(dataSource, sql)
{
    private PostgreSqlQualitySql QualitySql => field ??= new PostgreSqlQualitySql(Sql.Schema);

    public async ValueTask<IReadOnlyList<QualityNoteCount>> GetQualityNoteCountsAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, QualitySql.NoteCounts, Text(tenant));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var counts = new List<QualityNoteCount>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new QualityNoteCount(reader.GetString(0), (QualityNoteKind)reader.GetInt16(1), reader.GetString(2), reader.GetInt64(3)));
        }

        return counts;
    }

    public async IAsyncEnumerable<FieldObservationRow> ReadFieldObservationsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, QualitySql.FieldShapes, Text(tenant));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new FieldObservationRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Time(reader, 4), Time(reader, 5), reader.GetInt64(6));
        }
    }

    public async IAsyncEnumerable<HourlyCountRow> ReadHourlyCountsAsync(string tenant, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, QualitySql.HourlyCounts, Text(tenant), Timestamp(from), Timestamp(to));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new HourlyCountRow(reader.GetString(0), reader.GetString(1), Time(reader, 2), reader.GetInt64(3));
        }
    }

    public async ValueTask<IReadOnlyList<EventNameCountRow>> CountEventsByNameAsync(string tenant, DateTimeOffset? occurredBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await OpenAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, QualitySql.EventNameCounts, Text(tenant), NullableTimestamp(occurredBefore));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<EventNameCountRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new EventNameCountRow(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return rows;
    }
}

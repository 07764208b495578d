using EventLink.PostgreSql.Internal;
using EventLink.Storage;
using Npgsql;
using NpgsqlTypes;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Quality.Internal;

/// <summary>Data-quality writes: one statement per batch for shapes and for hourly counts (arrays unnested server-side).</summary>
internal sealed class PostgreSqlSessionQuality(PostgreSqlSessionContext context)
{
    private readonly PostgreSqlSessionContext _context = context;

    private PostgreSqlQualitySql QualitySql => field ??= new PostgreSqlQualitySql(_context.Sql.Schema);

    public async ValueTask AddQualityNoteAsync(QualityNoteRow note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(note);
        await using var command = await _context.PrepareAsync(
            QualitySql.AddNote,
            cancellationToken,
            Text(_context.Tenant),
            Text(note.Source),
            Text(note.RecordType),
            Text(note.Key),
            new NpgsqlParameter<short> { TypedValue = (short)note.Kind, NpgsqlDbType = NpgsqlDbType.Smallint },
            Text(note.Rule),
            Text(note.Message),
            Timestamp(note.NotedAt)).ConfigureAwait(false);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
            _context.Dirty = true;
        }
    }

    public async ValueTask<IReadOnlyList<bool>> ObserveFieldsAsync(IReadOnlyList<FieldObservationRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return [];
        }

        await using var command = await _context.PrepareAsync(
            QualitySql.ObserveFields,
            cancellationToken,
            Text(_context.Tenant),
            TextArray([.. rows.Select(r => r.Source)]),
            TextArray([.. rows.Select(r => r.RecordType)]),
            TextArray([.. rows.Select(r => r.Path)]),
            TextArray([.. rows.Select(r => r.JsonType)]),
            TimestampArray([.. rows.Select(r => r.FirstSeen.UtcDateTime)]),
            TimestampArray([.. rows.Select(r => r.LastSeen.UtcDateTime)]),
            LongArray([.. rows.Select(r => r.Count)])).ConfigureAwait(false);
        var inserted = new HashSet<(string, string, string, string)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.GetBoolean(4))
                {
                    inserted.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
                }
            }
        }

        _context.Dirty = true;
        return [.. rows.Select(r => inserted.Contains((r.Source, r.RecordType, r.Path, r.JsonType)))];
    }

    public async ValueTask AddHourlyCountsAsync(IReadOnlyList<HourlyCountRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        await _context.ExecuteAsync(
            QualitySql.AddHourlyCounts,
            cancellationToken,
            Text(_context.Tenant),
            TextArray([.. rows.Select(r => r.Source)]),
            TextArray([.. rows.Select(r => r.RecordType)]),
            TimestampArray([.. rows.Select(r => r.Hour.UtcDateTime)]),
            LongArray([.. rows.Select(r => r.Count)])).ConfigureAwait(false);
    }

    private static NpgsqlParameter LongArray(long[] values) => new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = values };
}

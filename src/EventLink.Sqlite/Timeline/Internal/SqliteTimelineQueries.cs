using System.Runtime.CompilerServices;
using System.Text;
using EventLink.Sqlite.Internal;
using EventLink.Storage;
using Microsoft.Data.Sqlite;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Timeline.Internal;

/// <summary>Timeline and event queries, each in one read snapshot like the other queries.</summary>
internal sealed class SqliteTimelineQueries(SqliteEventLinkStore store)
{
    public async IAsyncEnumerable<EventRow> ReadTimelineAsync(string tenant, Guid profileId, TimelineQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            yield break;
        }

        if (query is { From: null, To: null, RecordTypes: null or { Count: 0 }, Sources: null or { Count: 0 }, Limit: null, After: null })
        {
            var timeline = scope.Prepared(SqliteReads.Timeline);
            timeline.Parameters.AddWithValue("$profile", ToBlob(profileId));
            using var rows = timeline.ExecuteReader();
            while (rows.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return SqliteReads.ReadEvent(rows);
            }

            yield break;
        }

        using var command = scope.Command(string.Empty);
        // The filters go into both arms of the read by profile (see SqliteEventLinks), so each arm keeps its index
        // order and the LIMIT stops the merge of the two early.
        var sql = new StringBuilder();
        command.Parameters.AddWithValue("$profile", ToBlob(profileId));
        if (query.From is { } from)
        {
            // Stored times are whole microseconds: a bound with finer ticks rounds up, as the comparison would.
            sql.Append(" AND occurred_at >= $from");
            command.Parameters.AddWithValue("$from", CeilingMicros(from));
        }

        if (query.To is { } to)
        {
            sql.Append(" AND occurred_at < $to");
            command.Parameters.AddWithValue("$to", CeilingMicros(to));
        }

        if (query.After is { } after)
        {
            // Keyset paging on the timeline's sort key (a row-value comparison, in the ORDER BY's own collation).
            sql.Append(" AND (occurred_at, source, record_id) > ($after_at, $after_source, $after_id)");
            command.Parameters.AddWithValue("$after_at", CeilingMicros(after.OccurredAt));
            command.Parameters.AddWithValue("$after_source", after.Source);
            command.Parameters.AddWithValue("$after_id", after.RecordId);
        }

        AppendIn(sql, command, "record_type", "$type", query.RecordTypes);
        AppendIn(sql, command, "source", "$source", query.Sources);
        var filters = sql.ToString();
        sql.Clear().Append(SqliteEventLinks.RowsOfProfile).Append(filters)
            .Append(" UNION ALL ").Append(SqliteEventLinks.LateLinkedToProfile).Append(filters)
            .Append(" ORDER BY occurred_at, source, record_id");
        if (query.Limit is { } limit)
        {
            sql.Append(" LIMIT $limit");
            command.Parameters.AddWithValue("$limit", Math.Max(0, limit));
        }

        command.CommandText = sql.Append(';').ToString();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return SqliteReads.ReadEvent(reader);
            }
        }
    }

    public async IAsyncEnumerable<EventRow> ReadEventsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var scope = await store.BeginReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            yield break;
        }

        using var command = scope.Command(SqliteReads.Events);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return SqliteReads.ReadEvent(reader);
            }
        }
    }

    private static void AppendIn(StringBuilder sql, SqliteCommand command, string column, string prefix, IReadOnlyCollection<string>? values)
    {
        if (values is null || values.Count == 0)
        {
            return;
        }

        sql.Append(" AND ").Append(column).Append(" IN (");
        var i = 0;
        foreach (var value in values)
        {
            var name = prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? string.Empty : ", ").Append(name);
            command.Parameters.AddWithValue(name, value);
            i++;
        }

        sql.Append(')');
    }
}

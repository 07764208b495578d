using EventLink.Sqlite.Internal;
using EventLink.Storage;

namespace EventLink.Sqlite.Quarantine.Internal;

/// <summary>The reads of waiting events by identity (the events a newly held identity may link).</summary>
internal static class SqliteWaitReads
{
    /// <summary>The events waiting for an identity, by event, then relation.</summary>
    public static IReadOnlyList<PendingLink> Of(SqliteSessionContext context, IdentityKey key)
    {
        var command = context.Command(SqliteSessionSql.GetWaits, "$kind", "$value");
        command.Parameters[1].Value = key.Kind;
        command.Parameters[2].Value = key.Value;
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return [];
        }

        var links = new List<PendingLink>();
        do
        {
            links.Add(new PendingLink(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2)));
        }
        while (reader.Read());
        return links;
    }

    /// <summary>The events waiting for each identity, read in statements of up to <see cref="SqliteMultiRow.MaxRows"/> identities.</summary>
    public static IReadOnlyList<IReadOnlyList<PendingLink>> Of(SqliteSessionContext context, IReadOnlyList<IdentityKey> keys)
    {
        var waits = new List<PendingLink>?[keys.Count];
        var statement = SqliteSessionSql.GetWaitsOfIdentities;
        for (var start = 0; start < keys.Count; start += SqliteMultiRow.MaxRows)
        {
            var rows = Math.Min(SqliteMultiRow.MaxRows, keys.Count - start);
            using var reader = statement.Statement(context, keys, start, rows).Query();
            while (reader.Read())
            {
                (waits[start + reader.GetInt32(0)] ??= []).Add(new PendingLink(reader.GetInt64(1), reader.GetInt32(2), reader.GetInt32(3)));
            }
        }

        // Each identity's waits in the order of one identity's read: by event, then relation.
        var result = new IReadOnlyList<PendingLink>[keys.Count];
        for (var i = 0; i < result.Length; i++)
        {
            waits[i]?.Sort(static (a, b) => a.EventId != b.EventId ? a.EventId.CompareTo(b.EventId) : a.RelationIndex.CompareTo(b.RelationIndex));
            result[i] = waits[i] ?? (IReadOnlyList<PendingLink>)[];
        }

        return result;
    }
}

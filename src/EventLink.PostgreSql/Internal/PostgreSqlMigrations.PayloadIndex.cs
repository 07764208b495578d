namespace EventLink.PostgreSql.Internal;

/// <summary>The payload index's pending-list migration step.</summary>
internal static partial class PostgreSqlMigrations
{
    /// <summary>
    /// 8: a 1 MB pending list for the payload's GIN index (the server's default is 4 MB). New events' index entries wait
    /// in that list, and the insert that overflows it moves them all into the index: with the default, every fourth
    /// batch of a thousand events or so paid for the three before it (batches up to five times the median); with 1 MB
    /// the work is spread over nearly every batch at the same total cost (measured: slowest batch within 2.4 times the
    /// median with 1, 2 and 4 writers, throughput unchanged; turning the list off instead cost a third of it).
    /// </summary>
    private static string PayloadIndexVersion(string s) => $"""
        ALTER INDEX {s}.events_payload SET (gin_pending_list_limit = 1024);
        """;
}

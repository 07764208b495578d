using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using Npgsql;

namespace EventLink.Kafka.Tests;

/// <summary>The stores the tests run against, and reading back what they hold.</summary>
internal static class TestStores
{
    /// <summary>The test database (EVENTLINK_TEST_POSTGRES), or <see langword="null"/> when the PostgreSQL tests skip here.</summary>
    public static string? PostgreSql()
    {
        var connectionString = Environment.GetEnvironmentVariable("EVENTLINK_TEST_POSTGRES");
        if (string.IsNullOrEmpty(connectionString))
        {
            var required = Environment.GetEnvironmentVariable("EVENTLINK_REQUIRE_POSTGRES") == "1"
                || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
            required.Should().BeFalse("EVENTLINK_TEST_POSTGRES must be set when PostgreSQL is required (EVENTLINK_REQUIRE_POSTGRES=1 or CI=true)");
            return null;
        }

        return connectionString;
    }

    public static string NewSchema(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];

    public static async Task DropSchemaAsync(string connectionString, string schema)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var command = source.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Where the connection string's server listens (a TCP host, or a Unix socket directory).</summary>
    public static EndPoint Endpoint(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var host = builder.Host!.Split(',')[0];
        return host.StartsWith('/')
            ? new UnixDomainSocketEndPoint(Path.Combine(host, $".s.PGSQL.{builder.Port}"))
            : new DnsEndPoint(host, builder.Port);
    }

    /// <summary>A reader of the same store: what the consumers stored, read through the public API.</summary>
    public static IEventLink Open(Action<IEventLinkBuilder> useStore)
    {
        var builder = new EventLinkBuilder();
        builder.AddSchema(schema => schema.AddStripe().AddSegment());
        useStore(builder);
        return builder.Build();
    }

    /// <summary>The record id of every stored record: profile records, timeline events and quarantined events.</summary>
    public static async Task<List<string>> StoredRecordIdsAsync(IEventLink link)
    {
        var ids = new List<string>();
        await foreach (var profile in link.GetProfilesAsync())
        {
            ids.AddRange(profile.Records.Select(r => r.RecordId));
            await foreach (var e in link.GetTimelineAsync(profile.Id))
            {
                ids.Add(e.RecordId);
            }
        }

        await foreach (var quarantined in link.GetQuarantineAsync())
        {
            ids.Add(quarantined.RecordId);
        }

        return ids;
    }

    public static async Task<List<RejectedRecord>> RejectionsAsync(IEventLink link)
    {
        var rejections = new List<RejectedRecord>();
        await foreach (var rejection in link.GetRejectionsAsync())
        {
            rejections.Add(rejection);
        }

        return rejections;
    }

    /// <summary>
    /// Checks what a group committed against what the store holds: every message below a partition's committed offset
    /// is stored (a valid one's record, a malformed one's rejection note).
    /// </summary>
    public static void CommittedOffsetsAreStored(
        IReadOnlyList<Delivery> messages,
        IReadOnlyList<TopicPartitionOffset> positions,
        IReadOnlyDictionary<TopicPartition, long> committed,
        IReadOnlySet<string> storedIds,
        IReadOnlySet<string> rejectionKeys)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            var position = positions[i];
            if (!committed.TryGetValue(position.TopicPartition, out var next) || position.Offset.Value >= next)
            {
                continue;
            }

            if (messages[i].RecordId is { } id)
            {
                storedIds.Should().Contain(id, $"{position} is below the committed offset {next}");
            }
            else
            {
                rejectionKeys.Should().Contain(Origin(position), $"{position} is below the committed offset {next}");
            }
        }
    }

    public static string Origin(TopicPartitionOffset position) => $"kafka:{position.Topic}/{position.Partition.Value}@{position.Offset.Value}";
}

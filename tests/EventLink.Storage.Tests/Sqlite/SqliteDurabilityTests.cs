using System.Globalization;
using System.Text.Json;
using EventLink.Sqlite;
using EventLink.Sqlite.CrashHost;
using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Tests;

/// <summary>What only a durable store can show: reopening, a second process, SIGKILL mid-stream, resumed backfills.</summary>
public sealed class SqliteDurabilityTests(SqliteFixture fixture) : ContractTestBase<SqliteFixture>(fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Reopening_the_file_and_reading_it_from_another_process_give_the_same_answers()
    {
        var link = await CreateAsync();
        await link.IngestAsync(CrashInput.Generate(2_000));
        await link.IngestAsync([StripeCharge("late", "user3@example.com", Day(2026, 5, 1), 1), new IngestRecord("stripe", "charge", "{")]);
        var written = await StateDump.CaptureAsync(link);
        written.Should().Contain(l => l.StartsWith("profile", StringComparison.Ordinal))
            .And.Contain(l => l.StartsWith("quarantine", StringComparison.Ordinal))
            .And.Contain(l => l.StartsWith("rejection", StringComparison.Ordinal));

        (await StateDump.CaptureAsync(await ReopenAsync())).Should().Equal(written);
        (await StateDump.CaptureAsync(await ReopenAsync())).Should().Equal(written);

        using var cts = new CancellationTokenSource(Deadline);
        using var host = CrashHostProcess.Start("dump", Fixture.PathOf(StoreName()));
        (await host.ReadToEndAsync(cts.Token)).Should().Equal(written);
    }

    [Fact]
    public async Task Acknowledged_batches_survive_SIGKILL_and_reingesting_converges()
    {
        const int Count = 20_000;
        const int BatchSize = 500;
        const int KillAfter = 5_000;
        var input = CrashInput.Generate(Count);
        using var cts = new CancellationTokenSource(Deadline);

        // The other process ingests and acknowledges batch after batch; it is killed without warning mid-stream.
        var crashed = StoreName("crashed");
        Fixture.DeleteFiles(crashed);
        var acknowledged = 0;
        using (var host = CrashHostProcess.Start("ingest", Fixture.PathOf(crashed), Count.ToString(CultureInfo.InvariantCulture), BatchSize.ToString(CultureInfo.InvariantCulture)))
        {
            while (acknowledged < KillAfter && await host.ReadLineAsync(cts.Token) is { } line)
            {
                if (line.StartsWith("ACK ", StringComparison.Ordinal))
                {
                    acknowledged = int.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
                }
            }

            await host.KillAsync();
        }

        acknowledged.Should().BeGreaterThanOrEqualTo(KillAfter).And.BeLessThan(Count, "the host is killed mid-stream");

        // Every acknowledged record is there, once.
        await using (var store = await Fixture.OpenStoreAsync(crashed))
        {
            var stored = await StoredKeysAsync(store);
            stored.Should().OnlyHaveUniqueItems();
            stored.ToHashSet().Should().Contain(input.Take(acknowledged).Select(KeyOf));
        }

        // Ingesting the whole input again ends exactly where an uninterrupted run does.
        var resumed = Build(await Fixture.OpenStoreAsync(crashed), null, null);
        await IngestInBatchesAsync(resumed, input, BatchSize);
        var reference = Build(await Fixture.CreateStoreAsync(StoreName("reference")), null, null);
        await IngestInBatchesAsync(reference, input, BatchSize);

        var expected = await StateDump.CaptureAsync(reference);
        (await StateDump.CaptureAsync(resumed)).Should().Equal(expected);
        await using (var store = await Fixture.OpenStoreAsync(crashed))
        {
            (await StoredKeysAsync(store)).Should().OnlyHaveUniqueItems();
        }
    }

    [Fact]
    public async Task A_cancelled_backfill_resumed_from_the_start_ends_like_an_uninterrupted_one()
    {
        var input = CrashInput.Generate(8_000);
        var interrupted = Build(await Fixture.CreateStoreAsync(StoreName("interrupted")), null, o => o.BatchSize = 500);
        using (var cts = new CancellationTokenSource())
        {
            var seen = 0;
            var stop = async () =>
            {
                await foreach (var _ in interrupted.IngestAsync(input.ToAsyncEnumerable(), cts.Token))
                {
                    if (++seen == 3_200)
                    {
                        // Mid-stream: the batch being stored when this lands is rolled back.
                        await cts.CancelAsync();
                    }
                }
            };
            await stop.Should().ThrowAsync<OperationCanceledException>();
            seen.Should().BeLessThan(input.Count);
        }

        var resumed = Build(await Fixture.OpenStoreAsync(StoreName("interrupted")), null, o => o.BatchSize = 500);
        var results = await resumed.IngestAsync(input.ToAsyncEnumerable()).ToListAsync();
        results.Take(3_000).Should().OnlyContain(r => r.Outcome == IngestOutcome.Duplicate || r.Outcome == IngestOutcome.Stale, "those were stored before the stop");

        var uninterrupted = Build(await Fixture.CreateStoreAsync(StoreName("uninterrupted")), null, o => o.BatchSize = 500);
        await uninterrupted.IngestAsync(input.ToAsyncEnumerable()).ToListAsync();

        (await StateDump.CaptureAsync(resumed)).Should().Equal(await StateDump.CaptureAsync(uninterrupted));
        await using var store = await Fixture.OpenStoreAsync(StoreName("interrupted"));
        (await StoredKeysAsync(store)).Should().OnlyHaveUniqueItems();
    }

    private string StoreName(string suffix = "", [System.Runtime.CompilerServices.CallerMemberName] string test = "") =>
        base.StoreName(test + suffix);

    private static async Task IngestInBatchesAsync(IEventLink link, IReadOnlyList<IngestRecord> input, int batchSize)
    {
        foreach (var batch in input.Chunk(batchSize))
        {
            await link.IngestAsync(batch);
        }
    }

    /// <summary>The (source, record id) of every stored record: events, and merged records linked or quarantined.</summary>
    private static async Task<List<(string Source, string RecordId)>> StoredKeysAsync(EventLinkStore store)
    {
        const string Tenant = "default";
        var keys = new List<(string, string)>();
        await foreach (var e in store.ReadEventsAsync(Tenant))
        {
            keys.Add((e.Source, e.RecordId));
        }

        await foreach (var p in store.ReadProfilesAsync(Tenant))
        {
            keys.AddRange(p.Records.Select(r => (r.Source, r.RecordId)));
        }

        await foreach (var q in store.ReadQuarantineAsync(Tenant, null))
        {
            if (q.EventId is null)
            {
                keys.Add((q.Record.Source, q.Record.RecordId));
            }
        }

        return keys;
    }

    private static (string Source, string RecordId) KeyOf(IngestRecord record)
    {
        using var document = JsonDocument.Parse(record.Utf8Payload);
        var id = document.RootElement.GetProperty(record.RecordType == "contact" ? "vid" : "id");
        return (record.Source, id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText());
    }
}

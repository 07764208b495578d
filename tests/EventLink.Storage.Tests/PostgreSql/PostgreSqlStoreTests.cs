using EventLink.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventLink.Storage.Tests;

/// <summary>What only the PostgreSQL store has: migrations, bulk insert, the jsonb payload, configuration.</summary>
public sealed class PostgreSqlStoreTests(PostgreSqlFixture fixture) : ContractTestBase<PostgreSqlFixture>(fixture)
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [PostgresFact]
    public async Task InitializeAsync_from_many_processes_at_once_migrates_once()
    {
        var name = nameof(InitializeAsync_from_many_processes_at_once_migrates_once);
        var stores = new List<EventLinkStore> { await Fixture.CreateStoreAsync(name) };
        for (var i = 1; i < 6; i++)
        {
            stores.Add(await Fixture.OpenStoreAsync(name));
        }

        await Task.WhenAll(stores.Select(s => Task.Run(async () => await s.InitializeAsync())));
        await stores[0].InitializeAsync();

        var schema = PostgreSqlFixture.SchemaName(name);
        (await Fixture.ScalarAsync($"SELECT version FROM \"{schema}\".schema_version")).Should().Be(PostgreSqlEventLinkStore.SchemaVersion);
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task Append_only_sessions_of_a_tenant_run_side_by_side_and_an_exclusive_one_waits_for_them()
    {
        var name = nameof(Append_only_sessions_of_a_tenant_run_side_by_side_and_an_exclusive_one_waits_for_them);
        await using var first = await Fixture.CreateStoreAsync(name);
        await using var second = await Fixture.OpenStoreAsync(name);
        await using var third = await Fixture.OpenStoreAsync(name);
        await first.InitializeAsync();
        await using (var creates = await first.BeginAsync("acme", StoreSessionMode.Exclusive))
        {
            await creates.CommitAsync(); // the tenant's row exists (a new tenant's first sessions wait for its insert)
        }

        await using var a = await first.BeginAsync("acme", StoreSessionMode.AppendOnly);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var b = await second.BeginAsync("acme", StoreSessionMode.AppendOnly, timeout.Token); // does not wait for a

        var exclusive = third.BeginAsync("acme", StoreSessionMode.Exclusive).AsTask();
        await Task.Delay(300);
        exclusive.IsCompleted.Should().BeFalse("an exclusive session waits while append-only ones hold the tenant");

        (await a.CommitAsync()).Should().Be(a.Version, "an append-only session leaves the tenant's version alone");
        await a.DisposeAsync();
        await b.DisposeAsync();
        await using var c = await exclusive.WaitAsync(TimeSpan.FromSeconds(10));
        c.Version.Should().Be(a.Version);
    }

    [PostgresFact]
    public async Task InitializeAsync_refuses_a_schema_migrated_by_a_newer_version()
    {
        var name = nameof(InitializeAsync_refuses_a_schema_migrated_by_a_newer_version);
        await using var store = await Fixture.CreateStoreAsync(name);
        await store.InitializeAsync();
        await Fixture.ScalarAsync($"UPDATE \"{PostgreSqlFixture.SchemaName(name)}\".schema_version SET version = 99");

        await using var newer = await Fixture.OpenStoreAsync(name);
        var act = async () => await newer.InitializeAsync();

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("version 99").And.Contain("upgrade");
    }

    [PostgresFact]
    public async Task TryInsertEventsAsync_in_bulk_keeps_the_first_of_a_key_and_skips_stored_keys()
    {
        await using var store = await Fixture.CreateStoreAsync(nameof(TryInsertEventsAsync_in_bulk_keeps_the_first_of_a_key_and_skips_stored_keys));
        await store.InitializeAsync();

        long? stored;
        await using (var session = await store.BeginAsync("t1"))
        {
            stored = await session.TryInsertEventAsync(Row("stripe", "a", "{\"n\":0}"));
            await session.CommitAsync();
        }

        IReadOnlyList<long?> ids;
        long version;
        await using (var session = await store.BeginAsync("t1"))
        {
            ids = await session.TryInsertEventsAsync(
            [
                Row("stripe", "b", "{\"n\":1}"),
                Row("stripe", "a", "{\"n\":2}"),
                Row("hubspot", "b", "{\"n\":3}"),
                Row("stripe", "b", "{\"n\":4}"),
                Row("stripe", "c", "{\"n\":5}"),
            ]);
            version = await session.CommitAsync();
        }

        stored.Should().NotBeNull();
        ids.Select(id => id is not null).Should().Equal(true, false, true, false, true);
        ids.Where(id => id is not null).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        version.Should().Be(2);

        var events = new List<EventRow>();
        await foreach (var e in store.ReadEventsAsync("t1"))
        {
            events.Add(e);
        }

        events.Select(e => $"{e.Source}/{e.RecordId} {e.PayloadJson}").Should().Equal(
            "hubspot/b {\"n\":3}", "stripe/a {\"n\":0}", "stripe/b {\"n\":1}", "stripe/c {\"n\":5}");

        var otherTenant = new List<EventRow>();
        await foreach (var e in store.ReadEventsAsync("t2"))
        {
            otherTenant.Add(e);
        }

        otherTenant.Should().BeEmpty();
    }

    [PostgresFact]
    public async Task A_session_disposed_without_commit_leaves_no_trace_and_releases_the_tenant()
    {
        await using var store = await Fixture.CreateStoreAsync(nameof(A_session_disposed_without_commit_leaves_no_trace_and_releases_the_tenant));
        await store.InitializeAsync();
        await using (var session = await store.BeginAsync("t1"))
        {
            await session.TryInsertEventsAsync([Row("s", "1", "{}"), Row("s", "2", "{}"), Row("s", "3", "{}"), Row("s", "4", "{}")]);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using (var session = await store.BeginAsync("t1", timeout.Token))
        {
            session.Version.Should().Be(0);
            await session.TryInsertEventsAsync([Row("s", "1", "{}"), Row("s", "2", "{}"), Row("s", "3", "{}"), Row("s", "4", "{}")], timeout.Token);
            (await session.CommitAsync(timeout.Token)).Should().Be(1);
        }

        var count = 0;
        await foreach (var _ in store.ReadEventsAsync("t1"))
        {
            count++;
        }

        count.Should().Be(4);
    }

    [PostgresFact]
    public async Task Payloads_are_kept_as_received_and_queryable_as_jsonb()
    {
        var link = await CreateAsync();
        const string payload = """{"id":"ch_1","type":"charge.succeeded","amount":1200,"currency":"eur","customer_email":"x@example.com","created":1767225600,  "z":1.50}""";
        await link.IngestAsync(new IngestRecord("stripe", "charge", payload));

        var quarantined = new List<QuarantinedRecord>();
        await foreach (var q in link.GetQuarantineAsync())
        {
            quarantined.Add(q);
        }

        quarantined.Should().ContainSingle().Which.PayloadJson.Should().Be(payload);
        var schema = PostgreSqlFixture.SchemaName($"{nameof(PostgreSqlStoreTests)}_{nameof(Payloads_are_kept_as_received_and_queryable_as_jsonb)}");
        (await Fixture.ScalarAsync($$"""SELECT count(*) FROM "{{schema}}".events WHERE payload @> '{"currency":"eur"}'""")).Should().Be(1L);
    }

    [PostgresFact]
    public async Task UsePostgreSql_takes_the_data_source_registered_in_the_container()
    {
        var schema = PostgreSqlFixture.SchemaName($"{nameof(PostgreSqlStoreTests)}_di");
        await Fixture.DropSchemaAsync(schema);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(_ => NpgsqlDataSource.Create(PostgreSqlFixture.RequireConnectionString()));
        services.AddEventLink(builder => builder.AddSchema(TestSchema.Define).UsePostgreSql(options => options.Schema = schema));
        await using var provider = services.BuildServiceProvider();

        var link = provider.GetRequiredService<IEventLink>();
        var result = await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", At));

        result.Outcome.Should().Be(IngestOutcome.Created);
        (await Fixture.ScalarAsync($"SELECT count(*) FROM \"{schema}\".profiles")).Should().Be(1L);
    }

    [PostgresFact]
    public async Task A_batch_of_merges_reads_the_other_side_of_each_merge_in_its_prefetch_not_one_row_at_a_time()
    {
        var link = await CreateAsync();
        var schema = PostgreSqlFixture.SchemaName($"{nameof(PostgreSqlStoreTests)}_{nameof(A_batch_of_merges_reads_the_other_side_of_each_merge_in_its_prefetch_not_one_row_at_a_time)}");
        const int Merges = 20;
        var earlier = new List<IngestRecord>();
        for (var i = 0; i < Merges; i++)
        {
            earlier.Add(TestSchema.StripeCustomer($"cus_a{i}", $"a{i}@example.com", At));
            earlier.Add(TestSchema.StripeCustomer($"cus_b{i}", $"b{i}@example.com", At, userId: $"u{i}"));
        }

        await link.IngestAsync(earlier);
        var bridges = Enumerable.Range(0, Merges)
            .Select(i => TestSchema.StripeCustomer($"cus_m{i}", $"a{i}@example.com", At.AddHours(1), userId: $"u{i}"))
            .ToList();

        var commands = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                var text = activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? string.Empty;
                if (text.Contains($"\"{schema}\"", StringComparison.Ordinal))
                {
                    commands.Enqueue(text);
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        var results = await link.IngestAsync(bridges);

        results.Should().OnlyContain(r => r.Outcome == IngestOutcome.Created || r.Outcome == IngestOutcome.Updated);
        (await Fixture.ScalarAsync($"SELECT count(*) FROM \"{schema}\".profiles WHERE merged_into IS NULL")).Should().Be((long)Merges, "each bridge joined its two customers");
        commands.Should().NotBeEmpty("the listener sees the store's commands");
        var oneByOne = commands.Where(c =>
            c.StartsWith("SELECT c.record_type, c.first_occurred_at", StringComparison.Ordinal) || // a claim
            c.Contains(".profiles WHERE tenant = $1 AND id = $2", StringComparison.Ordinal) || // a profile
            c.Contains(".source_records WHERE tenant = $1 AND source = $2 AND record_id = $3", StringComparison.Ordinal) || // a source record
            c.Contains("WHERE i.tenant = $1 AND i.kind = $2 AND i.value = $3", StringComparison.Ordinal) || // the claims of an identity
            c.Contains(".identities WHERE tenant = $1 AND profile_id = $2", StringComparison.Ordinal)); // a merged-away profile's identities
        oneByOne.Should().BeEmpty("the prefetch loads the claims a batch's identities lead to, what their other identities lead to, and the identities of the profiles those claims belong to");
        (await Fixture.ScalarAsync($"SELECT count(DISTINCT profile_id) FROM \"{schema}\".identities")).Should().Be((long)Merges, "every identity of a merged-away profile moved to its survivor");
    }

    [Fact]
    public void Options_reject_a_schema_that_is_not_a_plain_identifier()
    {
        var act = () => new PostgreSqlEventLinkStore("Host=localhost", "bad-schema; DROP TABLE x");

        act.Should().Throw<ArgumentException>().WithMessage("*Schema*plain PostgreSQL identifier*");
    }

    private static EventRow Row(string source, string recordId, string payload) =>
        new(0, source, recordId, "charge", "charge.succeeded", At, At, null, -1, IngestReason.NoMatchingProfile, "waiting", payload);
}

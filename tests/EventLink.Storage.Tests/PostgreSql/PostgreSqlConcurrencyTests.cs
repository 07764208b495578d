using System.Diagnostics;
using EventLink.Storage.InMemory;

namespace EventLink.Storage.Tests;

/// <summary>
/// Several ingestors (separate <see cref="IEventLink"/> instances, stores, connections and identity caches, and
/// separate OS processes) ingesting overlapping identities into one tenant must end exactly as one sequential run:
/// one profile per identity, each event stored and linked once, each profile merged once.
/// </summary>
public sealed class PostgreSqlConcurrencyTests(PostgreSqlFixture fixture) : ContractTestBase<PostgreSqlFixture>(fixture)
{
    private const string Tenant = "acme";

    [PostgresFact]
    public async Task Eight_concurrent_ingestors_over_overlapping_identities_end_as_a_sequential_run()
    {
        var name = $"{nameof(PostgreSqlConcurrencyTests)}_threads";
        var records = OverlapDataset.Create();

        // Stores are not initialised beforehand: the eight race on the first migration too.
        var stores = new List<EventLinkStore> { await Fixture.CreateStoreAsync(name) };
        for (var i = 1; i < 8; i++)
        {
            stores.Add(await Fixture.OpenStoreAsync(name));
        }

        var links = stores.Select(store => Build(store, null, null).ForTenant(Tenant)).ToList();
        var ingestors = links.Select((link, k) => Task.Run(async () =>
        {
            // Each ingestor sees every record, in its own order and batching.
            foreach (var batch in OverlapDataset.Batches(OverlapDataset.Shuffle(records, seed: 100 + k), seed: 200 + k))
            {
                await link.IngestAsync(batch);
            }
        }));
        await Task.WhenAll(ingestors);

        await AssertMatchesSequentialRunAsync(name, records, Build(await Fixture.OpenStoreAsync(name), null, null).ForTenant(Tenant));
    }

    [PostgresFact]
    public async Task Separate_processes_ingesting_overlapping_slices_end_as_a_sequential_run()
    {
        var name = $"{nameof(PostgreSqlConcurrencyTests)}_processes";
        await RunLoadHostsAsync(name, parts: 4);
        await AssertMatchesSequentialRunAsync(name, OverlapDataset.Create(), Build(await Fixture.OpenStoreAsync(name), null, null).ForTenant(Tenant));
    }

    [PostgresFact]
    public async Task Processes_racing_merges_against_each_other_and_against_appended_events_end_as_a_sequential_run()
    {
        // One process per role: first customers, app accounts, the records that merge them, and plain charges (whose
        // batches take the tenant's lock shared, side by side with nothing but each other).
        var name = $"{nameof(PostgreSqlConcurrencyTests)}_merge_race";
        await RunLoadHostsAsync(name, parts: 4, "merge-race");
        var records = OverlapDataset.MergeRace().Select(r => r.Record).ToList();
        await AssertMatchesSequentialRunAsync(name, records, Build(await Fixture.OpenStoreAsync(name), null, null).ForTenant(Tenant));

        var schema = PostgreSqlFixture.SchemaName(name);
        // How many merges happen depends on who wins each race (a merging record that comes before the app account
        // gives it no second profile to merge), never more than one per person.
        ((long)(await Fixture.ScalarAsync($"SELECT count(*) FROM \"{schema}\".merges"))!).Should().BeLessThanOrEqualTo(60L, "each person's two profiles merge at most once");
    }

    private async Task RunLoadHostsAsync(string name, int parts, params string[] extra)
    {
        var schema = PostgreSqlFixture.SchemaName(name);
        await Fixture.DropSchemaAsync(schema);
        var host = LoadHostPath();

        var processes = Enumerable.Range(0, parts).Select(part =>
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { host, PostgreSqlFixture.RequireConnectionString(), schema, Tenant, $"{part}", $"{parts}", $"{300 + part}" }.Concat(extra))
            {
                start.ArgumentList.Add(arg);
            }

            return Process.Start(start) ?? throw new InvalidOperationException("Could not start the load host.");
        }).ToList();

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        foreach (var process in processes)
        {
            using (process)
            {
                var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
                var error = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                process.ExitCode.Should().Be(0, $"the load host should succeed; it wrote:\n{await output}\n{await error}");
            }
        }
    }

    private async Task AssertMatchesSequentialRunAsync(string name, List<IngestRecord> records, IEventLink concurrent)
    {
        var sequential = Build(new InMemoryEventLinkStore(), null, null).ForTenant(Tenant);
        await sequential.IngestAsync(records);

        var expected = await StoreSnapshot.ReadAsync(sequential, orderIndependent: true);
        var actual = await StoreSnapshot.ReadAsync(concurrent, orderIndependent: true);
        actual.ShouldEqual(expected);
        actual.LinkedEvents.Should().Be(actual.DistinctLinkedEvents, "every event is linked to exactly one profile");

        var schema = PostgreSqlFixture.SchemaName(name);
        (await Fixture.ScalarAsync($"SELECT count(*) - count(DISTINCT (source, record_id)) FROM \"{schema}\".events")).Should().Be(0L, "no event is stored twice");
        (await Fixture.ScalarAsync($"SELECT count(*) - count(DISTINCT merged_id) FROM \"{schema}\".merges")).Should().Be(0L, "no profile is merged twice");
        (await Fixture.ScalarAsync($"SELECT count(*) FROM \"{schema}\".profiles WHERE merged_into IS NULL")).Should().Be((long)expected.Profiles.Count, "one live profile per person");
        (await Fixture.ScalarAsync($"SELECT count(*) FROM \"{schema}\".events e WHERE e.profile_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \"{schema}\".profiles p WHERE p.tenant = e.tenant AND p.id = e.profile_id AND p.merged_into IS NULL)"))
            .Should().Be(0L, "every linked event points at a live profile");

        var identities = new List<string>();
        await foreach (var profile in concurrent.GetProfilesAsync())
        {
            identities.AddRange(profile.Identities.Select(i => i.Key.ToString()));
        }

        identities.Should().OnlyHaveUniqueItems("each identity belongs to exactly one profile");
    }

    private static string LoadHostPath()
    {
        // tests/EventLink.Storage.Tests/bin/<configuration>/<tfm>/ → tests/EventLink.PostgreSql.LoadHost/bin/<configuration>/<tfm>/
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!;
        var tests = configuration.Parent!.Parent!.Parent!;
        var path = Path.Combine(tests.FullName, "EventLink.PostgreSql.LoadHost", "bin", configuration.Name, tfm.Name, "EventLink.PostgreSql.LoadHost.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The load host was not built at {path}; build the solution first.", path);
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using Npgsql;

namespace EventLink.Benchmarks;

/// <summary>
/// The identity index of a process that another process wrote beside: a tenant of <c>--profiles</c> customers (default
/// 500,000, two identities each: 1,000,000 identities), process A with its index loaded, process B committing one new
/// customer, then A's next batch. Reports the rows A's refresh read (the <c>eventlink.index.rows_read</c> counter) and
/// the time of that batch, beside a cold process's first batch, which reads the whole index.
/// </summary>
/// <remarks>
/// Runs from <c>Program</c> with <c>--index-refresh</c>, outside BenchmarkDotNet: the figure is a count of rows, and the
/// times are single batches whose point is their order of magnitude. The two "processes" are two engines over their
/// own connection pools in this process, as the store's tests do; the template database is the writers benchmark's.
/// </remarks>
internal static class IndexRefreshBenchmark
{
    public static int Run(string[] args)
    {
        var profiles = TenantWritersBenchmark.Option(args, "--profiles", 500_000);
        var server = new NpgsqlConnectionStringBuilder(BenchmarkStores.ConnectionString);
        var template = $"eventlink_bench_writers_{profiles}";
        var copy = $"eventlink_bench_refresh_run_{Environment.ProcessId}";
        Console.WriteLine($"// {profiles:N0} profiles ({2 * profiles:N0} identities); load average {TenantWritersBenchmark.LoadAverage()}");
        TenantWritersBenchmark.EnsureTemplate(server, template, profiles, args.Contains("--rebuild"));
        TenantWritersBenchmark.Admin(server, $"DROP DATABASE IF EXISTS {copy} WITH (FORCE)", $"CREATE DATABASE {copy} TEMPLATE {template}");
        var target = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = copy }.ConnectionString;

        var reads = new List<(long Rows, string Refresh)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "eventlink.index.rows_read")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, rows, tags, _) =>
        {
            var refresh = "";
            foreach (var tag in tags)
            {
                refresh = tag.Key == "refresh" ? (string)tag.Value! : refresh;
            }

            lock (reads)
            {
                reads.Add((rows, refresh));
            }
        });
        listener.Start();

        var a = TenantWritersBenchmark.Client(target);
        var b = TenantWritersBenchmark.Client(target);
        try
        {
            var sequence = 800_000_000;
            (long Rows, string Refresh, double Ms) Batch(IEventLink client, IngestRecord record)
            {
                lock (reads)
                {
                    reads.Clear();
                }

                var clock = Stopwatch.StartNew();
                BenchmarkFiles.Wait(client.ForTenant(TenantWritersBenchmark.Tenant).IngestAsync([record]));
                var ms = clock.Elapsed.TotalMilliseconds;
                lock (reads)
                {
                    return reads.Count == 0 ? (0, "none", ms) : (reads.Sum(r => r.Rows), string.Join("+", reads.Select(r => r.Refresh)), ms);
                }
            }

            IngestRecord Charge() => new("stripe", "charge", BenchmarkData.ChargeSucceeded(sequence++, sequence % profiles));

            var cold = Batch(a, Charge());
            var warm = Batch(a, Charge());
            var foreign = Batch(b, BenchmarkData.Customer(profiles + 1));
            var refreshed = Batch(a, Charge());

            Console.WriteLine();
            Console.WriteLine("| Batch of process A | Index rows read | Refresh | Batch time |");
            Console.WriteLine("|---|---:|---|---:|");
            Console.WriteLine($"| first (cold: the whole index) | {cold.Rows:N0} | {cold.Refresh} | {cold.Ms:N0} ms |");
            Console.WriteLine($"| next, nothing written elsewhere | {warm.Rows:N0} | {warm.Refresh} | {warm.Ms:N1} ms |");
            Console.WriteLine($"| next, after process B committed one customer | {refreshed.Rows:N0} | {refreshed.Refresh} | {refreshed.Ms:N1} ms |");
            Console.WriteLine();
            Console.WriteLine($"// process B's batch (its own cold start): {foreign.Rows:N0} rows read ({foreign.Refresh}), {foreign.Ms:N0} ms; load average {TenantWritersBenchmark.LoadAverage()}");
            return refreshed.Rows <= 100 ? 0 : 1;
        }
        finally
        {
            BenchmarkFiles.Dispose(a);
            BenchmarkFiles.Dispose(b);
            NpgsqlConnection.ClearAllPools();
            TenantWritersBenchmark.Admin(server, $"DROP DATABASE IF EXISTS {copy} WITH (FORCE)");
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace EventLink.Benchmarks;

/// <summary>
/// 1, 2 and 4 OS processes (<c>EventLink.Benchmarks.Writer</c>) ingesting linked charges into ONE PostgreSQL tenant
/// that holds <c>--profiles</c> customers (default 100,000): 40,000 charges per round split evenly among the
/// processes, batches of 1,000. Reports total throughput as a ratio to one process (the baseline), the median and
/// slowest batch, and the share of batch time spent waiting for and holding the tenant's advisory lock.
/// </summary>
/// <remarks>
/// <para>
/// Not a BenchmarkDotNet class (it runs from <c>Program</c> with <c>--writers</c>): BenchmarkDotNet times work in one
/// process, and its columns cannot carry figures measured in other processes. Each round is timed with a
/// <see cref="Stopwatch"/> from the moment every writer, already warm, is told to start, to the last one's exit.
/// </para>
/// <para>
/// The customers are ingested through the engine once into a template database
/// <c>eventlink_bench_writers_{profiles}</c>, kept between runs (<c>--rebuild</c> makes it again); every round
/// starts from <c>CREATE DATABASE … TEMPLATE</c> of it, so each starts from the same state, and drops its copy.
/// </para>
/// </remarks>
internal static class TenantWritersBenchmark
{
    internal const string Schema = "eventlink";
    internal const string Tenant = "writers";

    public static int Run(string[] args)
    {
        var profiles = Option(args, "--profiles", 100_000);
        var charges = Option(args, "--charges", 40_000);
        var batchSize = Option(args, "--batch", 1_000);
        var rounds = Option(args, "--rounds", 1);
        var processCounts = (Value(args, "--processes") ?? "1,2,4").Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var writer = WriterPath();
        var server = new NpgsqlConnectionStringBuilder(BenchmarkStores.ConnectionString);
        var template = $"eventlink_bench_writers_{profiles}";
        var copy = $"eventlink_bench_writers_run_{Environment.ProcessId}";

        Console.WriteLine($"// {profiles:N0} profiles, {charges:N0} charges per round in batches of {batchSize:N0}, processes {string.Join(", ", processCounts)}, {rounds} round(s); load average {LoadAverage()}");
        EnsureTemplate(server, template, profiles, args.Contains("--rebuild"));

        var results = new List<Round>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var processes in processCounts)
            {
                Admin(server, $"DROP DATABASE IF EXISTS {copy} WITH (FORCE)", $"CREATE DATABASE {copy} TEMPLATE {template}");
                try
                {
                    var target = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = copy }.ConnectionString;
                    var result = RunRound(writer, target, processes, profiles, charges, batchSize, round);
                    CheckAllLinked(target, charges + (processes * 3L * batchSize)); // each writer warms up with three batches of its own
                    results.Add(result);
                    Console.WriteLine($"// round {round + 1}, {processes} process(es): {result.Seconds:F2} s, load average {LoadAverage()}");
                }
                finally
                {
                    NpgsqlConnection.ClearAllPools();
                    Admin(server, $"DROP DATABASE IF EXISTS {copy} WITH (FORCE)");
                }
            }
        }

        Print(results, charges);
        return 0;
    }

    private static Round RunRound(string writer, string connectionString, int processes, int profiles, int charges, int batchSize, int round)
    {
        var share = charges / processes;
        var started = Enumerable.Range(0, processes).Select(part =>
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in (string[])[writer, connectionString, Schema, Tenant, $"{profiles}", $"{part * share}", $"{share}", $"{batchSize}", $"{(round * 100) + part}"])
            {
                start.ArgumentList.Add(arg);
            }

            return Process.Start(start) ?? throw new InvalidOperationException("could not start the writer");
        }).ToList();

        try
        {
            var errors = started.Select(p => p.StandardError.ReadToEndAsync()).ToList();
            foreach (var (process, i) in started.Select((p, i) => (p, i)))
            {
                if (process.StandardOutput.ReadLine() != "ready")
                {
                    process.WaitForExit();
                    throw new InvalidOperationException($"writer {i} did not start: {errors[i].GetAwaiter().GetResult()}");
                }
            }

            // Every writer is warm and waiting: start them together.
            var clock = Stopwatch.StartNew();
            foreach (var process in started)
            {
                process.StandardInput.WriteLine("go");
                process.StandardInput.Flush();
            }

            var outputs = started.Select(p => p.StandardOutput.ReadToEndAsync()).ToList();
            foreach (var process in started)
            {
                process.WaitForExit();
            }

            clock.Stop();
            var batches = new List<(double Total, double Wait, double Hold)>();
            foreach (var (process, i) in started.Select((p, i) => (p, i)))
            {
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"writer {i} failed ({process.ExitCode}): {errors[i].GetAwaiter().GetResult()}");
                }

                foreach (var line in outputs[i].GetAwaiter().GetResult().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (line.StartsWith("batch ", StringComparison.Ordinal))
                    {
                        var f = line.Split(' ')[1..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                        batches.Add((f[0], f[1], f[2]));
                    }
                }
            }

            return new Round(processes, clock.Elapsed.TotalSeconds, [.. batches]);
        }
        finally
        {
            foreach (var process in started)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }

                process.Dispose();
            }
        }
    }

    private static void Print(List<Round> results, int charges)
    {
        var baseline = results.Where(r => r.Processes == 1).Select(r => charges / r.Seconds).DefaultIfEmpty(double.NaN).Average();
        Console.WriteLine();
        Console.WriteLine("| Processes | Round time | Charges/s | Ratio (throughput) | Median batch | Slowest batch | Lock wait | Lock held |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var totals = r.Batches.Select(b => b.Total).Order().ToArray();
            var time = totals.Sum();
            var throughput = charges / r.Seconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Processes}{(r.Processes == 1 ? " (baseline)" : string.Empty)} | {r.Seconds:F2} s | {throughput:N0} | {throughput / baseline:F2} | {totals[totals.Length / 2]:F1} ms | {totals[^1]:F1} ms | {100 * r.Batches.Sum(b => b.Wait) / time:F0} % | {100 * r.Batches.Sum(b => b.Hold) / time:F0} % |"));
        }

        Console.WriteLine();
        Console.WriteLine("Lock wait: from the call to the end of the store's first statement (connection and advisory lock); lock held: from there to the call's return, commit included; both as shares of the writers' summed batch time.");
    }

    /// <summary>Makes the template database of <paramref name="profiles"/> customers through the engine, unless a complete one exists.</summary>
    internal static void EnsureTemplate(NpgsqlConnectionStringBuilder server, string template, int profiles, bool rebuild)
    {
        var target = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = template }.ConnectionString;
        if (!rebuild && Exists(server, template) && IsComplete(target))
        {
            Console.WriteLine($"// reusing {template}");
            return;
        }

        Admin(server, $"DROP DATABASE IF EXISTS {template} WITH (FORCE)", $"CREATE DATABASE {template}");
        var clock = Stopwatch.StartNew();
        var client = Client(target);
        try
        {
            var tenant = client.ForTenant(Tenant);
            var loaded = 0;
            foreach (var batch in BenchmarkData.Customers(profiles).Chunk(5_000))
            {
                BenchmarkFiles.Wait(tenant.IngestAsync(batch));
                loaded += batch.Length;
                Console.WriteLine($"// {template}: {loaded:N0} profiles, {clock.Elapsed.TotalSeconds:F0} s, load average {LoadAverage()}");
            }

            if (BenchmarkStores.LiveProfiles(tenant) != profiles)
            {
                throw new InvalidOperationException($"{template} does not hold {profiles} profiles");
            }
        }
        finally
        {
            BenchmarkFiles.Dispose(client);
        }

        using (var connection = new NpgsqlConnection(target))
        {
            connection.Open();
            using var marker = new NpgsqlCommand("CREATE TABLE public.bench_complete (profiles int)", connection);
            marker.ExecuteNonQuery();
        }

        NpgsqlConnection.ClearAllPools();
        Console.WriteLine($"// {template}: {profiles:N0} profiles through the engine in {clock.Elapsed.TotalSeconds:F0} s");
    }

    private static void CheckAllLinked(string connectionString, long expected)
    {
        var client = Client(connectionString);
        try
        {
            BenchmarkStores.AllEventsLinked(client.ForTenant(Tenant), "charge", expected);
        }
        finally
        {
            BenchmarkFiles.Dispose(client);
        }
    }

    /// <summary>A client of the benchmark's schema in the database of <paramref name="connectionString"/>, as the writers build theirs.</summary>
    internal static IEventLink Client(string connectionString)
    {
        var builder = new EventLinkBuilder();
        builder.AddSchema(BenchmarkData.DefineSchema);
        builder.UsePostgreSql(connectionString, o => o.Schema = Schema);
        return builder.Build();
    }

    private static bool Exists(NpgsqlConnectionStringBuilder server, string database)
    {
        using var connection = new NpgsqlConnection(server.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        return (long)command.ExecuteScalar()! == 1;
    }

    private static bool IsComplete(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT to_regclass('public.bench_complete') IS NOT NULL", connection);
        var complete = (bool)command.ExecuteScalar()!;
        connection.Close();
        NpgsqlConnection.ClearAllPools();
        return complete;
    }

    internal static void Admin(NpgsqlConnectionStringBuilder server, params string[] statements)
    {
        using var connection = new NpgsqlConnection(server.ConnectionString);
        connection.Open();
        foreach (var statement in statements)
        {
            using var command = new NpgsqlCommand(statement, connection);
            command.ExecuteNonQuery();
        }
    }

    private static string WriterPath()
    {
        // benchmarks/EventLink.Benchmarks/bin/<configuration>/<tfm>/ → benchmarks/EventLink.Benchmarks.Writer/bin/<configuration>/<tfm>/
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!;
        var benchmarks = configuration.Parent!.Parent!.Parent!;
        var path = Path.Combine(benchmarks.FullName, "EventLink.Benchmarks.Writer", "bin", configuration.Name, tfm.Name, "EventLink.Benchmarks.Writer.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The writer was not built at {path}; build the benchmarks first.", path);
    }

    internal static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "n/a";

    private static string? Value(string[] args, string name) => Array.IndexOf(args, name) is >= 0 and var i && i + 1 < args.Length ? args[i + 1] : null;

    internal static int Option(string[] args, string name, int fallback) => Value(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private sealed record Round(int Processes, double Seconds, (double Total, double Wait, double Hold)[] Batches);
}

using BenchmarkDotNet.Running;

namespace EventLink.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--writers"))
        {
            // Several OS processes into one tenant: timed outside BenchmarkDotNet (see TenantWritersBenchmark).
            return BenchmarkStores.HasPostgreSql
                ? TenantWritersBenchmark.Run(args)
                : throw new InvalidOperationException($"--writers needs {PostgreSqlIngestBenchmark.ConnectionVariable}.");
        }

        if (args.Contains("--index-refresh"))
        {
            // A count of rows, not a timing: outside BenchmarkDotNet (see IndexRefreshBenchmark).
            return BenchmarkStores.HasPostgreSql
                ? IndexRefreshBenchmark.Run(args)
                : throw new InvalidOperationException($"--index-refresh needs {PostgreSqlIngestBenchmark.ConnectionVariable}.");
        }

        var types = typeof(Program).Assembly.GetExportedTypes()
            .Where(t => t.Name.EndsWith("Benchmark", StringComparison.Ordinal) && !t.IsAbstract)
            .ToList();
        if (!BenchmarkStores.HasPostgreSql)
        {
            // Without a server these classes cannot run; saying so beats an error row in the summary.
            foreach (var type in (Type[])[typeof(PostgreSqlIngestBenchmark), typeof(ProfileIngestBenchmark)])
            {
                types.Remove(type);
                Console.WriteLine($"// {type.Name} skipped: set {PostgreSqlIngestBenchmark.ConnectionVariable} to a PostgreSQL connection string to run it.");
            }
        }

        BenchmarkSwitcher.FromTypes([.. types]).Run(args);
        return 0;
    }
}

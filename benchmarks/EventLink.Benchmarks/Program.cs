using BenchmarkDotNet.Running;

namespace EventLink.Benchmarks;

public static class Program
{
    public static void Main(string[] args)
    {
        var types = typeof(Program).Assembly.GetExportedTypes()
            .Where(t => t.Name.EndsWith("Benchmark", StringComparison.Ordinal) && !t.IsAbstract)
            .ToList();
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PostgreSqlIngestBenchmark.ConnectionVariable)))
        {
            // Without a server the class cannot run; saying so beats an error row in the summary.
            types.Remove(typeof(PostgreSqlIngestBenchmark));
            Console.WriteLine($"// {nameof(PostgreSqlIngestBenchmark)} skipped: set {PostgreSqlIngestBenchmark.ConnectionVariable} to a PostgreSQL connection string to run it.");
        }

        BenchmarkSwitcher.FromTypes([.. types]).Run(args);
    }
}

using Microsoft.Data.Sqlite;

namespace EventLink.Benchmarks;

/// <summary>
/// The SQLite files of the durable benchmarks. They live in one folder (<c>EVENTLINK_BENCH_DATA</c>, by default
/// <c>eventlink-benchmarks</c> under the temp folder) so that an expensive file, such as the 1,000,000-event
/// timeline, is built once and reused by later runs.
/// </summary>
internal static class BenchmarkFiles
{
    public const string Tenant = "default";

    public static string Folder
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable("EVENTLINK_BENCH_DATA") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Path.GetTempPath(), "eventlink-benchmarks");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>A client on the SQLite file at <paramref name="path"/>, with the store's default options.</summary>
    public static IEventLink SqliteClient(string path)
    {
        var builder = new EventLinkBuilder();
        builder.AddSchema(BenchmarkData.DefineSchema);
        builder.UseSqlite($"Data Source={path}");
        return builder.Build();
    }

    /// <summary>Ingests <paramref name="customers"/> Stripe customers into a fresh file at <paramref name="path"/>.</summary>
    public static void CreateWithCustomers(string path, int customers)
    {
        Delete(path);
        var client = SqliteClient(path);
        try
        {
            const int Batch = 5_000;
            for (var start = 0; start < customers; start += Batch)
            {
                var records = new IngestRecord[Math.Min(Batch, customers - start)];
                for (var i = 0; i < records.Length; i++)
                {
                    records[i] = BenchmarkData.Customer(start + i);
                }

                Wait(client.IngestAsync(records));
            }
        }
        finally
        {
            Dispose(client);
        }
    }

    /// <summary>The profile id of each customer (by index), read from the file's identities.</summary>
    public static byte[][] ProfileBlobsByCustomer(string path, int customers)
    {
        var byEmail = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT value, profile_id FROM identities WHERE kind = 'email';";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                byEmail[reader.GetString(0)] = reader.GetFieldValue<byte[]>(1);
            }
        }

        var blobs = new byte[customers][];
        for (var i = 0; i < customers; i++)
        {
            blobs[i] = byEmail[BenchmarkData.Email(i)];
        }

        return blobs;
    }

    /// <summary>Copies a file with its WAL (if any) so the copy starts from the same state.</summary>
    public static void Copy(string from, string to)
    {
        Delete(to);
        File.Copy(from, to);
        if (File.Exists(from + "-wal"))
        {
            File.Copy(from + "-wal", to + "-wal");
        }
    }

    /// <summary>Deletes the files a process that is gone left behind (<c>{prefix}-{process id}.db*</c>).</summary>
    public static void DeleteStale(string prefix)
    {
        foreach (var file in Directory.EnumerateFiles(Folder, prefix + "-*"))
        {
            var name = Path.GetFileName(file)[(prefix.Length + 1)..];
            var end = name.IndexOf('.', StringComparison.Ordinal);
            if (end > 0 && int.TryParse(name[..end], out var processId) && processId != Environment.ProcessId && !IsRunning(processId))
            {
                File.Delete(file);
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(file);
        }
    }

    public static void Dispose(IEventLink? client) => client?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    public static T Wait<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
}

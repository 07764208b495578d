using System.Text.Json;

namespace EventLink.Cli.Ingestion;

/// <summary>
/// Remembers the last input item whose batch is stored, so an interrupted <c>ingest</c> resumes after it. Only an
/// optimisation: ingest is idempotent, so re-reading stored items changes nothing.
/// </summary>
internal static class Checkpoint
{
    public static long Read(string? file, string input)
    {
        if (file is null || !File.Exists(file))
        {
            return 0;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var root = document.RootElement;
            return root.GetProperty("input").GetString() == Key(input) ? root.GetProperty("item").GetInt64() : 0;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UsageException($"checkpoint file '{file}' is unreadable; delete it to start over");
        }
    }

    public static void Write(string? file, string input, long item)
    {
        if (file is null || input == "-")
        {
            return;
        }

        var temporary = file + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new Dictionary<string, object> { ["input"] = Key(input), ["item"] = item }));
        File.Move(temporary, file, overwrite: true);
    }

    public static void Complete(string? file)
    {
        if (file is not null)
        {
            File.Delete(file);
        }
    }

    private static string Key(string input) => input == "-" ? "-" : Path.GetFullPath(input);
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace EventLink.Cli;

/// <summary>How a command prints its answer.</summary>
internal enum OutputFormat
{
    /// <summary>An aligned table for people.</summary>
    Table,

    /// <summary>JSON for programs.</summary>
    Json,
}

/// <summary>Table and JSON output shared by the commands.</summary>
internal static class Output
{
    public static Option<OutputFormat> FormatOption() => new("--format")
    {
        Description = "table (the default) or json.",
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string IsoTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes rows as columns padded to their widest cell.</summary>
    public static void Table(TextWriter output, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { header };
        all.AddRange(rows);
        var widths = new int[header.Count];
        foreach (var row in all)
        {
            for (var i = 0; i < header.Count; i++)
            {
                widths[i] = Math.Max(widths[i], Math.Min(row[i].Length, 60));
            }
        }

        foreach (var row in all)
        {
            var cells = row.Select((cell, i) => (cell.Length > 60 ? cell[..59] + "…" : cell).PadRight(widths[i]));
            output.WriteLine(string.Join("  ", cells).TrimEnd());
        }
    }

    /// <summary>Writes JSON to standard output with <paramref name="write"/>.</summary>
    public static async Task JsonAsync(Action<Utf8JsonWriter> write)
    {
        await using var stdout = Console.OpenStandardOutput();
        await using (var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
        {
            write(json);
        }

        stdout.WriteByte((byte)'\n');
    }
}

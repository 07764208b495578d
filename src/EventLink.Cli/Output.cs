using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

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

    private const int MaxCellWidth = 60;

    /// <summary>
    /// Writes rows as a Spectre.Console table: columns are as wide as their widest cell in terminal cells (a CJK
    /// character takes two, a combining mark none), so text of any script lines up; cells past 60 cells are cut.
    /// </summary>
    public static void Table(TextWriter output, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table().Border(TableBorder.None).HideHeaders();
        foreach (var _ in header)
        {
            table.AddColumn(new TableColumn(string.Empty) { Padding = new Padding(0, 0, 2, 0) });
        }

        table.AddRow(header.Select(Cell));
        foreach (var row in rows)
        {
            table.AddRow(row.Select(Cell));
        }

        var console = ConsoleFor(output);
        console.Write(table);
    }

    /// <summary>A Spectre.Console console over <paramref name="output"/>: the terminal's width, or unbounded lines when redirected.</summary>
    public static IAnsiConsole ConsoleFor(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = System.Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = System.Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (System.Console.IsOutputRedirected || !ReferenceEquals(output, System.Console.Out))
        {
            console.Profile.Width = 4096;
        }

        return console;
    }

    /// <summary>Cuts <paramref name="text"/> to <see cref="MaxCellWidth"/> terminal cells.</summary>
    public static string Fit(string text)
    {
        if (text.GetCellWidth() <= MaxCellWidth)
        {
            return text;
        }

        var width = 0;
        var end = 0;
        var enumerator = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            var element = (string)enumerator.Current;
            var cells = element.GetCellWidth();
            if (width + cells > MaxCellWidth - 1)
            {
                break;
            }

            width += cells;
            end = enumerator.ElementIndex + element.Length;
        }

        return text[..end] + "…";
    }

    private static Text Cell(string text) => new(Fit(text.ReplaceLineEndings(" ")));

    /// <summary>A JSON property name in camelCase, as every key of <c>--format json</c> is.</summary>
    public static string Key(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

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

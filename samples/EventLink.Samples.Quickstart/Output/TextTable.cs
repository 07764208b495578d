namespace EventLink.Samples.Quickstart.Output;

/// <summary>A column of a <see cref="TextTable"/>.</summary>
/// <param name="Header">The header text.</param>
/// <param name="AlignRight">Whether cells are right-aligned (numbers).</param>
internal sealed record Column(string Header, bool AlignRight = false)
{
    public static Column Left(string header) => new(header);

    public static Column Right(string header) => new(header, AlignRight: true);
}

/// <summary>A plain-text table whose columns are padded to their widest cell.</summary>
internal sealed class TextTable
{
    private const string Gutter = "  ";

    private readonly Column[] _columns;
    private readonly List<string[]?> _rows = [];

    public TextTable(params Column[] columns) => _columns = columns;

    public TextTable AddRow(params string[] cells)
    {
        if (cells.Length != _columns.Length)
        {
            throw new ArgumentException($"Expected {_columns.Length} cells but got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    /// <summary>Adds a rule line, such as the one above a totals row.</summary>
    public TextTable AddRule()
    {
        _rows.Add(null);
        return this;
    }

    public void WriteTo(TextWriter writer, string indent = "  ")
    {
        var widths = new int[_columns.Length];
        for (var c = 0; c < _columns.Length; c++)
        {
            widths[c] = _columns[c].Header.Length;
            foreach (var row in _rows)
            {
                widths[c] = Math.Max(widths[c], row?[c].Length ?? 0);
            }
        }

        WriteLine(writer, indent, widths, _columns.Select(c => c.Header).ToArray());
        WriteRule(writer, indent, widths);
        foreach (var row in _rows)
        {
            if (row is null)
            {
                WriteRule(writer, indent, widths);
            }
            else
            {
                WriteLine(writer, indent, widths, row);
            }
        }
    }

    private void WriteLine(TextWriter writer, string indent, int[] widths, string[] cells)
    {
        var parts = new string[cells.Length];
        for (var c = 0; c < cells.Length; c++)
        {
            var isLast = c == cells.Length - 1;
            parts[c] = _columns[c].AlignRight ? cells[c].PadLeft(widths[c]) : isLast ? cells[c] : cells[c].PadRight(widths[c]);
        }

        writer.WriteLine(indent + string.Join(Gutter, parts));
    }

    private static void WriteRule(TextWriter writer, string indent, int[] widths) =>
        writer.WriteLine(indent + string.Join(Gutter, widths.Select(w => new string('-', w))));
}

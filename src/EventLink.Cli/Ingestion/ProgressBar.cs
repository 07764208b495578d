using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EventLink.Cli.Ingestion;

/// <summary>
/// The ingest progress on standard error: how far into the input (bytes read, so a JSON array advances as it is read),
/// the records ingested, their rate and the time left. On a terminal it is a live Spectre.Console progress bar; when
/// standard error is redirected and <c>--progress</c> is given, the same figures are printed as a line at each tenth
/// of the input and at the end.
/// </summary>
internal sealed class ProgressBar
{
    private const int Width = 30;
    private readonly long _total;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly ProgressTask? _task;
    private readonly bool _lines;
    private TimeSpan _lastLine = TimeSpan.Zero;
    private int _lastTenth = -1;

    private ProgressBar(long total, ProgressTask? task, bool lines)
    {
        _total = total;
        _task = task;
        _lines = lines;
    }

    /// <summary>Gets how far into the input the reader is, in bytes.</summary>
    public long Position { get; private set; }

    /// <summary>Gets the records ingested so far.</summary>
    public long Records { get; private set; }

    /// <summary>Runs <paramref name="work"/> with a progress bar: live on a terminal, lines with <paramref name="forced"/> elsewhere, none otherwise.</summary>
    /// <param name="forced">Whether <c>--progress</c> was given.</param>
    /// <param name="total">The input's length in bytes, or 0 when unknown (standard input).</param>
    /// <param name="work">The ingest loop.</param>
    public static async Task<T> RunAsync<T>(bool forced, long total, Func<ProgressBar, Task<T>> work)
    {
        if (!Console.IsErrorRedirected)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            var figures = new FiguresColumn();
            return await console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), figures)
                .StartAsync(async context =>
                {
                    var task = context.AddTask("ingest", maxValue: total > 0 ? total : 1);
                    task.IsIndeterminate = total <= 0;
                    var bar = new ProgressBar(total, task, lines: false);
                    figures.Bar = bar;
                    var result = await work(bar);
                    task.Value = task.MaxValue;
                    task.StopTask();
                    return result;
                });
        }

        var lines = new ProgressBar(total, null, lines: forced);
        var value = await work(lines);
        lines.Done();
        return value;
    }

    /// <summary>Notes progress: bytes read and records ingested.</summary>
    public void Report(long position, long records)
    {
        Position = position;
        Records = records;
        if (_task is not null)
        {
            _task.Value = _total > 0 ? Math.Min(position, _total) : 0;
        }
        else if (_lines)
        {
            // A line each tenth of the input (a log stays short), or every ten seconds when the length is unknown.
            var tenth = _total > 0 ? (int)(Math.Clamp((double)position / _total, 0, 1) * 10) : -1;
            if (_total > 0 ? tenth > _lastTenth && tenth < 10 : _watch.Elapsed - _lastLine >= TimeSpan.FromSeconds(10))
            {
                _lastTenth = tenth;
                _lastLine = _watch.Elapsed;
                Console.Error.WriteLine(Line());
            }
        }
    }

    /// <summary>The figures after the bar: records, rate and time left.</summary>
    public string Figures()
    {
        var elapsed = _watch.Elapsed;
        var rate = elapsed.TotalSeconds > 0 ? Records / elapsed.TotalSeconds : 0;
        var text = string.Create(CultureInfo.InvariantCulture, $"{Records:N0} records  {rate:N0} records/s");
        if (_total > 0 && Position > 0)
        {
            var left = Position >= _total ? TimeSpan.Zero : elapsed * ((double)(_total - Position) / Position);
            text += $"  ETA {(int)left.TotalHours:00}:{left.Minutes:00}:{left.Seconds:00}";
        }

        return text;
    }

    /// <summary>One line of progress: the bar, the share of the input read, and the figures.</summary>
    public string Line()
    {
        if (_total <= 0)
        {
            return $"ingest  {Figures()}";
        }

        var fraction = Math.Clamp((double)Position / _total, 0, 1);
        var filled = (int)(fraction * Width);
        return string.Create(CultureInfo.InvariantCulture, $"ingest  [{new string('#', filled)}{new string('.', Width - filled)}] {fraction * 100,3:0}%  {Figures()}");
    }

    private void Done()
    {
        if (_lines)
        {
            Console.Error.WriteLine(Line());
        }
    }

    /// <summary>Renders <see cref="Figures"/> in the live bar.</summary>
    private sealed class FiguresColumn : ProgressColumn
    {
        public ProgressBar? Bar { get; set; }

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(Bar?.Figures() ?? string.Empty);
    }
}

namespace EventLink.Cli.Ingestion;

/// <summary>A one-line progress bar on standard error, drawn only when it is a terminal (or when asked for).</summary>
internal sealed class ProgressBar(bool enabled, long total)
{
    private const int Width = 30;
    private DateTime _last = DateTime.MinValue;

    public void Report(long position, long records, bool force = false)
    {
        if (!enabled || (!force && DateTime.UtcNow - _last < TimeSpan.FromMilliseconds(100)))
        {
            return;
        }

        _last = DateTime.UtcNow;
        if (total > 0)
        {
            var fraction = Math.Clamp((double)position / total, 0, 1);
            var filled = (int)(fraction * Width);
            Console.Error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {fraction,4:P0}  {records:N0} records");
        }
        else
        {
            Console.Error.Write($"\r{records:N0} records");
        }
    }

    public void Done(long position, long records)
    {
        if (enabled)
        {
            Report(position, records, force: true);
            Console.Error.WriteLine();
        }
    }
}

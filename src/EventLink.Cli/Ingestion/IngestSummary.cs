using System.Text.Json;

namespace EventLink.Cli.Ingestion;

/// <summary>What an ingest run did: outcomes per record, deliveries ignored or unreadable, the first problems.</summary>
internal sealed class IngestSummary
{
    private const int MaxProblems = 20;

    public long Deliveries { get; set; }

    public long Records { get; private set; }

    public long Ignored { get; set; }

    public long Unreadable { get; private set; }

    public long Skipped { get; set; }

    public Dictionary<IngestOutcome, long> Outcomes { get; } = Enum.GetValues<IngestOutcome>().ToDictionary(o => o, _ => 0L);

    public List<(long Line, string Message)> Problems { get; } = [];

    public long BadInput => Unreadable + Outcomes[IngestOutcome.Rejected];

    public void Add(long line, IngestResult result)
    {
        Records++;
        Outcomes[result.Outcome]++;
        if (result.Outcome == IngestOutcome.Rejected)
        {
            Problem(line, $"rejected {result.Source}/{result.RecordType}{(result.RecordId is null ? string.Empty : "/" + result.RecordId)}: {result.Reason}: {result.Message}");
        }
    }

    public void AddUnreadable(long line, string message)
    {
        Unreadable++;
        Problem(line, message);
    }

    public void WriteTable(TextWriter output, TimeSpan elapsed)
    {
        output.WriteLine($"Ingested {Records:N0} records from {Deliveries:N0} items in {elapsed.TotalSeconds:0.0} s" + (Skipped > 0 ? $" (resumed: {Skipped:N0} items already done)" : string.Empty));
        foreach (var (outcome, count) in Outcomes)
        {
            output.WriteLine($"  {outcome.ToString().ToLowerInvariant(),-12} {count,10:N0}");
        }

        output.WriteLine($"  {"ignored",-12} {Ignored,10:N0}  items the preset does not keep");
        output.WriteLine($"  {"unreadable",-12} {Unreadable,10:N0}  items that are not JSON or not in the source's shape");
        foreach (var (line, message) in Problems)
        {
            output.WriteLine($"  item {line}: {message}");
        }
    }

    public void WriteJson(Stream output, TimeSpan elapsed)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("items", Deliveries);
        json.WriteNumber("skipped", Skipped);
        json.WriteNumber("records", Records);
        json.WriteStartObject("outcomes");
        foreach (var (outcome, count) in Outcomes)
        {
            json.WriteNumber(Output.Key(outcome.ToString()), count);
        }

        json.WriteEndObject();
        json.WriteNumber("ignored", Ignored);
        json.WriteNumber("unreadable", Unreadable);
        json.WriteNumber("badInput", BadInput);
        json.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 3));
        json.WriteStartArray("problems");
        foreach (var (line, message) in Problems)
        {
            json.WriteStartObject();
            json.WriteNumber("item", line);
            json.WriteString("message", message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    private void Problem(long line, string message)
    {
        if (Problems.Count < MaxProblems)
        {
            Problems.Add((line, message));
        }
    }
}

using System.CommandLine;

namespace EventLink.Cli.Commands;

/// <summary><c>eventlink quarantine list|replay [--type …]</c>: the records waiting for a profile, and re-reading them.</summary>
internal static class QuarantineCommand
{
    public static Command Create()
    {
        var command = new Command("quarantine", "List the quarantine, or replay it with the current schema.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Replay());
        return command;
    }

    private static Command List()
    {
        var link = new LinkOptions();
        var type = new Option<string?>("--type") { Description = "Only this record type." };
        var limit = new Option<int?>("--limit") { Description = "At most this many records (the quarantine is read as a stream and stops there)." };
        var format = Output.FormatOption();
        var command = new Command("list", "List the records waiting in quarantine, with why.") { type, limit, format };
        link.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var most = parse.GetValue(limit);
            if (most is < 0)
            {
                throw new UsageException("--limit must not be negative");
            }

            await using var open = link.Open(parse);
            var records = new List<QuarantinedRecord>();
            var more = false;
            await foreach (var q in open.Link.GetQuarantineAsync(parse.GetValue(type), cancellationToken))
            {
                if (records.Count == most)
                {
                    more = true;
                    break;
                }

                records.Add(q);
            }

            if (parse.GetValue(format) == OutputFormat.Json)
            {
                await Output.JsonAsync(json =>
                {
                    json.WriteStartArray();
                    foreach (var q in records)
                    {
                        json.WriteStartObject();
                        json.WriteString("source", q.Source);
                        json.WriteString("recordType", q.RecordType);
                        json.WriteString("recordId", q.RecordId);
                        json.WriteString("occurredAt", Output.IsoTime(q.OccurredAt));
                        json.WriteString("reason", q.Reason.ToString());
                        json.WriteString("message", q.Message);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                });
                return ExitCodes.Ok;
            }

            Console.WriteLine(more ? $"The first {records.Count} record(s) in quarantine (--limit {most}; more are waiting)" : $"{records.Count} record(s) in quarantine");
            Output.Table(Console.Out, ["record", "occurred (UTC)", "reason", "message"],
                records.Select(q => (IReadOnlyList<string>)[$"{q.Source}/{q.RecordType}/{q.RecordId}", Output.Time(q.OccurredAt), q.Reason.ToString(), q.Message]));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Replay()
    {
        var link = new LinkOptions();
        var type = new Option<string?>("--type") { Description = "Only this record type." };
        var format = Output.FormatOption();
        var command = new Command("replay", "Re-read the quarantine with the current schema and link what now matches.") { type, format };
        link.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var open = link.Open(parse);
            var result = await open.Link.ReplayQuarantineAsync(parse.GetValue(type), cancellationToken);
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                await Output.JsonAsync(json =>
                {
                    json.WriteStartObject();
                    json.WriteNumber("examined", result.Examined);
                    json.WriteNumber("linked", result.Linked);
                    json.WriteNumber("stillQuarantined", result.StillQuarantined);
                    json.WriteEndObject();
                });
            }
            else
            {
                Console.WriteLine($"Examined {result.Examined}, linked {result.Linked}, still quarantined {result.StillQuarantined}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}

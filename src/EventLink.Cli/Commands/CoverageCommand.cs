using System.CommandLine;
using System.Globalization;

namespace EventLink.Cli.Commands;

/// <summary><c>eventlink coverage</c>: per record type, how many records are linked, quarantined and rejected.</summary>
internal static class CoverageCommand
{
    public static Command Create()
    {
        var link = new LinkOptions();
        var format = Output.FormatOption();
        var command = new Command("coverage", "Show, per record type, how many records are linked, quarantined and rejected.") { format };
        link.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var open = link.Open(parse);
            var coverage = await open.Link.GetCoverageAsync(cancellationToken);
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                await Output.JsonAsync(json =>
                {
                    json.WriteStartArray();
                    foreach (var c in coverage.RecordTypes)
                    {
                        json.WriteStartObject();
                        json.WriteString("recordType", c.RecordType);
                        json.WriteNumber("total", c.Total);
                        json.WriteNumber("linked", c.Linked);
                        json.WriteNumber("quarantined", c.Quarantined);
                        json.WriteNumber("rejected", c.Rejected);
                        json.WriteNumber("distinctProfiles", c.DistinctProfiles);
                        json.WriteNumber("linkedPercent", c.LinkedPercent);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                });
                return ExitCodes.Ok;
            }

            Output.Table(Console.Out, ["record type", "total", "linked", "quarantined", "rejected", "profiles", "linked %"],
                coverage.RecordTypes.Select(c => (IReadOnlyList<string>)[
                    c.RecordType, N(c.Total), N(c.Linked), N(c.Quarantined), N(c.Rejected), N(c.DistinctProfiles),
                    c.LinkedPercent.ToString("0.##", CultureInfo.InvariantCulture)]));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

using System.CommandLine;
using System.Globalization;

namespace EventLink.Cli.Commands;

/// <summary><c>eventlink drift</c>: the observed shape of every source's payloads and the changes found in it (new fields, type changes, fields that stopped arriving).</summary>
internal static class DriftCommand
{
    public static Command Create()
    {
        var link = new LinkOptions();
        var format = Output.FormatOption();
        var source = new Option<string?>("--source") { Description = "Only this source." };
        var fields = new Option<bool>("--fields") { Description = "Also list every field path with the JSON types seen at it (always included in JSON)." };
        var command = new Command("drift", "Show the schema-drift report: per source and record type, the payload shape seen, and the fields that appeared, changed type or stopped arriving.")
        {
            source, fields, format,
        };
        link.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var open = link.Open(parse);
            var report = await open.Link.GetSchemaDriftAsync(cancellationToken);
            var only = parse.GetValue(source);
            var shapes = report.Shapes.Where(s => only is null || s.Source == only).ToList();
            var changes = report.Changes.Where(c => only is null || c.Source == only).ToList();
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                await Output.JsonAsync(json => WriteJson(json, shapes, changes));
                return ExitCodes.Ok;
            }

            Console.WriteLine($"{shapes.Count} record shape(s), {changes.Count} change(s)");
            Console.WriteLine();
            Output.Table(Console.Out, ["source", "record type", "records", "fields", "first seen (UTC)", "last seen (UTC)"],
                shapes.Select(s => (IReadOnlyList<string>)[
                    s.Source, s.RecordType, s.Records.ToString("N0", CultureInfo.InvariantCulture), s.Fields.Count.ToString(CultureInfo.InvariantCulture),
                    Output.Time(s.FirstSeen), Output.Time(s.LastSeen)]));
            if (parse.GetValue(fields))
            {
                Console.WriteLine();
                Output.Table(Console.Out, ["source", "record type", "field", "types (count)"],
                    shapes.SelectMany(s => s.Fields.Select(f => (IReadOnlyList<string>)[
                        s.Source, s.RecordType, f.Path, string.Join(", ", f.Types.Select(t => $"{t.JsonType} ({t.Count})"))])));
            }

            Console.WriteLine();
            if (changes.Count == 0)
            {
                Console.WriteLine("No schema changes detected.");
                return ExitCodes.Ok;
            }

            Output.Table(Console.Out, ["at (UTC)", "change", "source", "record type", "field", "details"],
                changes.Select(c => (IReadOnlyList<string>)[Output.Time(c.At), c.Kind.ToString(), c.Source, c.RecordType, c.Path, c.Message]));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteJson(System.Text.Json.Utf8JsonWriter json, List<RecordShape> shapes, List<SchemaChange> changes)
    {
        json.WriteStartObject();
        json.WriteStartArray("shapes");
        foreach (var shape in shapes)
        {
            json.WriteStartObject();
            json.WriteString("source", shape.Source);
            json.WriteString("recordType", shape.RecordType);
            json.WriteNumber("records", shape.Records);
            json.WriteString("firstSeen", Output.IsoTime(shape.FirstSeen));
            json.WriteString("lastSeen", Output.IsoTime(shape.LastSeen));
            json.WriteStartArray("fields");
            foreach (var field in shape.Fields)
            {
                json.WriteStartObject();
                json.WriteString("path", field.Path);
                json.WriteStartArray("types");
                foreach (var type in field.Types)
                {
                    json.WriteStartObject();
                    json.WriteString("type", type.JsonType);
                    json.WriteNumber("count", type.Count);
                    json.WriteString("firstSeen", Output.IsoTime(type.FirstSeen));
                    json.WriteString("lastSeen", Output.IsoTime(type.LastSeen));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("changes");
        foreach (var change in changes)
        {
            json.WriteStartObject();
            json.WriteString("kind", change.Kind.ToString());
            json.WriteString("source", change.Source);
            json.WriteString("recordType", change.RecordType);
            json.WriteString("path", change.Path);
            json.WriteString("at", Output.IsoTime(change.At));
            json.WriteString("fromType", change.FromType);
            json.WriteString("toType", change.ToType);
            if (change.LastSeen is { } lastSeen)
            {
                json.WriteString("lastSeen", Output.IsoTime(lastSeen));
            }
            else
            {
                json.WriteNull("lastSeen");
            }

            json.WriteString("message", change.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}

using System.CommandLine;
using System.Text.Json;
using EventLink.Presets;
using EventLink.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Cli.Commands;

/// <summary>
/// <c>eventlink check samples/ --preset stripe</c>: runs the schema against a folder of sample payloads before any
/// production data flows (<see cref="SchemaCheck"/>) and prints, per record type, selectors that found nothing,
/// relations that never matched, blocked identities and rejected samples.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var link = new LinkOptions();
        var format = Output.FormatOption();
        var folder = new Argument<string>("folder")
        {
            Description = "The folder of sample payloads: <source>.<record type>.json(l) or <source>/<record type>.json(l) files, " +
                          "or <preset>.json(l) files of the tool's deliveries (webhook bodies, API pages), read with that preset.",
        };
        var command = new Command("check", "Check a schema against a folder of sample payloads, in memory; exits with 1 when problems are found.") { folder, format };
        command.Options.Add(link.Schema);
        command.Options.Add(link.Preset);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(folder)!;
            if (!Directory.Exists(path))
            {
                throw new UsageException($"sample folder '{path}' not found");
            }

            using var samples = PresetSamples.Prepare(path, link.Presets(parse));
            SchemaCheckReport report;
            try
            {
                report = await SchemaCheck.RunAsync(services => services.AddEventLink(el => link.ConfigureSchema(parse, el)), samples.Folder, cancellationToken);
            }
            catch (Microsoft.Extensions.Options.OptionsValidationException ex)
            {
                throw new UsageException($"the schema is invalid: {string.Join("; ", ex.Failures)}");
            }

            var problems = report.RecordTypes.Sum(r => r.Problems.Count) + report.UnknownFiles.Count + samples.Unreadable.Count;
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                await Output.JsonAsync(json => WriteJson(json, report, samples.Unreadable, problems));
            }
            else
            {
                Console.Write(report.ToString());
                foreach (var unreadable in samples.Unreadable)
                {
                    Console.WriteLine($"! {unreadable}");
                }

                Console.WriteLine(problems == 0 ? "No problems found." : $"{problems} problem(s) found.");
            }

            if (problems > 0)
            {
                await Console.Error.WriteLineAsync($"eventlink: {problems} problem(s) found in the samples");
                return ExitCodes.BadInput;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteJson(Utf8JsonWriter json, SchemaCheckReport report, IReadOnlyList<string> unreadable, int problems)
    {
        json.WriteStartObject();
        json.WriteBoolean("clean", problems == 0);
        json.WriteNumber("problems", problems);
        json.WriteStartArray("recordTypes");
        foreach (var entry in report.RecordTypes)
        {
            json.WriteStartObject();
            json.WriteString("recordType", entry.RecordType);
            json.WriteNumber("payloads", entry.Payloads);
            json.WriteStartObject("outcomes");
            foreach (var (outcome, count) in entry.Outcomes.OrderBy(o => o.Key))
            {
                json.WriteNumber(Output.Key(outcome.ToString()), count);
            }

            json.WriteEndObject();
            json.WriteStartArray("fields");
            foreach (var field in entry.Fields)
            {
                json.WriteStartObject();
                json.WriteString("field", field.Field);
                json.WriteNumber("missing", field.Missing);
                json.WriteNumber("usable", field.Usable);
                json.WriteNumber("unusable", field.Unusable);
                if (field.Matched is { } matched)
                {
                    json.WriteNumber("matched", matched);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteStrings(json, "problems", entry.Problems);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteStrings(json, "unknownFiles", report.UnknownFiles);
        WriteStrings(json, "unreadable", unreadable);
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}

/// <summary>
/// The sample folder as <see cref="SchemaCheck"/> reads it: files named after a preset in use (<c>stripe.jsonl</c>)
/// hold the tool's deliveries, so they are read with the preset and written, per source and record type, into a
/// scratch folder next to copies of the other sample files; the scratch folder is deleted on dispose.
/// </summary>
internal sealed class PresetSamples : IDisposable
{
    private readonly string? _scratch;

    private PresetSamples(string folder, string? scratch, IReadOnlyList<string> unreadable)
    {
        Folder = folder;
        _scratch = scratch;
        Unreadable = unreadable;
    }

    /// <summary>Gets the folder to check.</summary>
    public string Folder { get; }

    /// <summary>Gets the deliveries a preset could not read, as <c>file:item: why</c>.</summary>
    public IReadOnlyList<string> Unreadable { get; }

    public static PresetSamples Prepare(string folder, IReadOnlyList<SourcePreset> presets)
    {
        var deliveryFiles = Directory.EnumerateFiles(folder, "*.json*", SearchOption.TopDirectoryOnly)
            .Where(f => Path.GetExtension(f) is ".json" or ".jsonl")
            .Select(f => (File: f, Preset: presets.FirstOrDefault(p => string.Equals(p.Name, Path.GetFileNameWithoutExtension(f), StringComparison.OrdinalIgnoreCase))))
            .Where(f => f.Preset is not null)
            .ToList();
        if (deliveryFiles.Count == 0)
        {
            return new PresetSamples(folder, null, []);
        }

        var scratch = Path.Combine(Path.GetTempPath(), "eventlink-check-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        var unreadable = new List<string>();
        var byType = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (file, preset) in deliveryFiles)
        {
            var number = 0;
            foreach (var delivery in Deliveries(File.ReadAllText(file)))
            {
                number++;
                var read = preset!.Read(delivery);
                if (read.Status == PresetReadStatus.Unrecognized)
                {
                    unreadable.Add($"{Path.GetFileName(file)}:{number}: {preset.DisplayName}: {read.Message}");
                }

                foreach (var record in read.Records)
                {
                    var key = $"{record.Source}.{record.RecordType}";
                    if (!byType.TryGetValue(key, out var payloads))
                    {
                        byType[key] = payloads = [];
                    }

                    payloads.Add(System.Text.Encoding.UTF8.GetString(record.Utf8Payload.Span));
                }
            }
        }

        foreach (var (key, payloads) in byType)
        {
            File.WriteAllLines(Path.Combine(scratch, key + ".jsonl"), payloads);
        }

        var presetFiles = deliveryFiles.Select(f => f.File).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => !presetFiles.Contains(f)))
        {
            var target = Path.Combine(scratch, Path.GetRelativePath(folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: false);
        }

        return new PresetSamples(scratch, scratch, unreadable);
    }

    public void Dispose()
    {
        if (_scratch is not null)
        {
            try
            {
                Directory.Delete(_scratch, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Splits a file into deliveries: one JSON array of them, or one per line.</summary>
    private static IEnumerable<string> Deliveries(string text)
    {
        if (text.TrimStart().StartsWith('['))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
            }
            catch (JsonException)
            {
                // Not one array: JSON Lines whose first line is an array.
            }
        }

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 1 || lines.All(l => l.StartsWith('{') || l.StartsWith('[')) ? lines : [text];
    }
}

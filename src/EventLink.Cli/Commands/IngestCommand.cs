using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using EventLink.Cli.Ingestion;
using EventLink.Presets;

namespace EventLink.Cli.Commands;

/// <summary>
/// <c>eventlink ingest [file]</c>: reads JSON Lines or a JSON array (a file, or standard input for <c>-</c>), turns each
/// item into records (with a preset, an explicit <c>--type</c>, or an envelope <c>{"source", "record_type", "payload"}</c>),
/// ingests them in atomic batches, and prints a summary. Re-running converges, since ingest is idempotent on
/// (source, record id); <c>--checkpoint</c> also skips the items an interrupted run already stored.
/// </summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var link = new LinkOptions();
        var file = new Argument<string>("file") { Description = "The input: JSON Lines or a JSON array; '-' (the default) reads standard input.", DefaultValueFactory = _ => "-" };
        var source = new Option<string?>("--source") { Description = "The source of items without an envelope: a preset's name, or any name with --type." };
        var type = new Option<string?>("--type") { Description = "The record type of items without an envelope (skips the preset's routing)." };
        var batch = new Option<int>("--batch-size") { Description = "Items per atomic batch.", DefaultValueFactory = _ => 500 };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A file remembering how far the input is stored, so an interrupted run resumes there." };
        var format = Output.FormatOption();
        var progress = new Option<bool>("--progress") { Description = "Draw the progress bar even when standard error is not a terminal." };

        var command = new Command("ingest", "Ingest JSON Lines or a JSON array from a file or standard input.") { file, source, type, batch, checkpoint, format, progress };
        link.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var batchSize = parse.GetValue(batch);
            if (batchSize <= 0)
            {
                throw new UsageException("--batch-size must be positive");
            }

            var router = new Router(link.Presets(parse), parse.GetValue(source), parse.GetValue(type));
            var path = parse.GetValue(file)!;
            await using var input = Open(path);
            var resumeFrom = Checkpoint.Read(parse.GetValue(checkpoint), path);
            await using var open = link.Open(parse, create: true);
            var summary = new IngestSummary();
            var watch = Stopwatch.StartNew();
            await ProgressBar.RunAsync(parse.GetValue(progress), input.CanSeek ? input.Length : 0, async bar =>
            {
                var pending = new List<(long Line, IngestRecord Record)>();
                long position = 0;
                await foreach (var delivery in DeliveryReader.ReadAsync(input, cancellationToken))
                {
                    if (delivery.Number <= resumeFrom && delivery.Error is null)
                    {
                        summary.Skipped++;
                        continue;
                    }

                    summary.Deliveries++;
                    foreach (var record in router.Route(delivery, summary))
                    {
                        pending.Add((delivery.Number, record));
                    }

                    if (pending.Count >= batchSize)
                    {
                        await FlushAsync(open.Link, pending, summary, cancellationToken);
                        Checkpoint.Write(parse.GetValue(checkpoint), path, delivery.Number);
                    }

                    position = delivery.Position;
                    bar.Report(position, summary.Records);
                }

                await FlushAsync(open.Link, pending, summary, cancellationToken);
                Checkpoint.Complete(parse.GetValue(checkpoint));
                bar.Report(position, summary.Records);
                return summary;
            });

            if (parse.GetValue(format) == OutputFormat.Json)
            {
                await using var stdout = Console.OpenStandardOutput();
                summary.WriteJson(stdout, watch.Elapsed);
            }
            else
            {
                summary.WriteTable(Console.Out, watch.Elapsed);
            }

            if (summary.BadInput > 0)
            {
                await Console.Error.WriteLineAsync($"eventlink: {summary.BadInput:N0} bad input item(s) found ({summary.Outcomes[IngestOutcome.Rejected]:N0} rejected, {summary.Unreadable:N0} unreadable)");
                return ExitCodes.BadInput;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Stream Open(string path)
    {
        if (path == "-")
        {
            return Console.OpenStandardInput();
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"input file '{path}' not found");
        }

        return File.OpenRead(path);
    }

    private static async Task FlushAsync(IEventLink link, List<(long Line, IngestRecord Record)> pending, IngestSummary summary, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var results = await link.IngestAsync(pending.Select(p => p.Record).ToList(), cancellationToken);
        for (var i = 0; i < results.Count; i++)
        {
            summary.Add(pending[i].Line, results[i]);
        }

        pending.Clear();
    }

    /// <summary>Turns one input item into records.</summary>
    private sealed class Router(IReadOnlyList<SourcePreset> presets, string? source, string? type)
    {
        public IEnumerable<IngestRecord> Route(Delivery delivery, IngestSummary summary)
        {
            if (delivery.Error is not null)
            {
                summary.AddUnreadable(delivery.Number, delivery.Error);
                return [];
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(delivery.Json);
            }
            catch (JsonException ex)
            {
                summary.AddUnreadable(delivery.Number, $"not JSON: {ex.Message}");
                return [];
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("payload", out var payload) &&
                    root.TryGetProperty("source", out var envelopeSource) && envelopeSource.ValueKind == JsonValueKind.String)
                {
                    var recordType = root.TryGetProperty("record_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    return recordType is not null
                        ? [new IngestRecord(envelopeSource.GetString()!, recordType, payload.GetRawText())]
                        : Read(PresetFor(envelopeSource.GetString()!), payload.GetRawText(), delivery, summary);
                }

                if (type is not null)
                {
                    return [new IngestRecord(source ?? throw new UsageException("--type needs --source"), type, delivery.Json)];
                }

                var preset = source is not null ? PresetFor(source)
                    : presets.Count == 1 ? presets[0]
                    : throw new UsageException("items have no envelope: name their source with --source (a preset) or give a single --preset");
                return Read(preset, delivery.Json, delivery, summary);
            }
        }

        private static IEnumerable<IngestRecord> Read(SourcePreset preset, string json, Delivery delivery, IngestSummary summary)
        {
            var read = preset.Read(json);
            switch (read.Status)
            {
                case PresetReadStatus.Ignored:
                    summary.Ignored++;
                    break;
                case PresetReadStatus.Unrecognized:
                    summary.AddUnreadable(delivery.Number, $"{preset.DisplayName}: {read.Message}");
                    break;
            }

            return read.Records;
        }

        private SourcePreset PresetFor(string name) =>
            presets.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new UsageException($"source '{name}' is not one of the presets in use ({string.Join(", ", presets.Select(p => p.Name))}); add --preset {name}, or give --type");
    }
}

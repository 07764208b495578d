using System.CommandLine;
using System.Globalization;

namespace EventLink.Cli.Commands;

/// <summary><c>eventlink timeline --email … [--since 2026-03-01]</c>: a profile's events across every source, in order.</summary>
internal static class TimelineCommand
{
    public static Command Create()
    {
        var link = new LinkOptions();
        var selector = new ProfileSelector();
        var format = Output.FormatOption();
        var since = new Option<string?>("--since") { Description = "Only events at or after this time (ISO-8601 date or time; UTC unless an offset is given)." };
        var limit = new Option<int?>("--limit") { Description = "At most this many events." };
        var command = new Command("timeline", "Show a profile's events across every source, ordered by when they happened.") { since, limit, format };
        link.AddTo(command);
        selector.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            DateTimeOffset? from = null;
            if (parse.GetValue(since) is { } text)
            {
                from = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed
                    : throw new UsageException($"--since '{text}' is not a date or time");
            }

            await using var open = link.Open(parse);
            var (profile, asked) = await selector.FindAsync(parse, open.Link, cancellationToken);
            if (profile is null)
            {
                await Console.Error.WriteLineAsync($"eventlink: no profile has {asked}");
                return ExitCodes.BadInput;
            }

            var events = new List<TimelineEvent>();
            await foreach (var e in open.Link.GetTimelineAsync(profile.Id, new TimelineQuery { From = from, Limit = parse.GetValue(limit) }, cancellationToken))
            {
                events.Add(e);
            }

            if (parse.GetValue(format) == OutputFormat.Json)
            {
                await Output.JsonAsync(json =>
                {
                    json.WriteStartObject();
                    json.WriteString("profileId", profile.Id);
                    json.WriteStartArray("events");
                    foreach (var e in events)
                    {
                        json.WriteStartObject();
                        json.WriteString("occurredAt", Output.IsoTime(e.OccurredAt));
                        json.WriteString("source", e.Source);
                        json.WriteString("recordType", e.RecordType);
                        json.WriteString("recordId", e.RecordId);
                        json.WriteString("event", e.EventName);
                        json.WriteString("linkedBy", e.LinkedBy);
                        json.WritePropertyName("payload");
                        json.WriteRawValue(e.PayloadJson);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                });
                return ExitCodes.Ok;
            }

            Console.WriteLine($"Timeline of profile {profile.Id}: {events.Count} event(s)");
            Output.Table(Console.Out, ["occurred (UTC)", "source", "event", "record", "linked by"],
                events.Select(e => (IReadOnlyList<string>)[Output.Time(e.OccurredAt), e.Source, e.EventName, $"{e.RecordType}/{e.RecordId}", e.LinkedBy ?? string.Empty]));
            return ExitCodes.Ok;
        });
        return command;
    }
}

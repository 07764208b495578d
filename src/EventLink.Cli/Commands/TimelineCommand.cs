using System.CommandLine;
using System.Globalization;

namespace EventLink.Cli.Commands;

/// <summary><c>eventlink timeline --email … [--since 2026-03-01]</c>: a profile's events across every source, in order; <c>--account</c> for an account and its members.</summary>
internal static class TimelineCommand
{
    public static Command Create()
    {
        var link = new LinkOptions();
        var selector = new ProfileSelector();
        var account = new AccountSelector();
        var format = Output.FormatOption();
        var since = new Option<string?>("--since") { Description = "Only events at or after this time (ISO-8601 date or time; UTC unless an offset is given)." };
        var limit = new Option<int?>("--limit") { Description = "At most this many events." };
        var command = new Command("timeline", "Show a profile's events across every source, ordered by when they happened; with --account, an account's and its members' events.") { since, limit, format };
        link.AddTo(command);
        selector.AddTo(command);
        account.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            DateTimeOffset? from = null;
            if (parse.GetValue(since) is { } text)
            {
                from = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed
                    : throw new UsageException($"--since '{text}' is not a date or time");
            }

            var forAccount = account.IsGiven(parse);
            if (forAccount && selector.IsGiven(parse))
            {
                throw new UsageException("--account names the account: leave out --email, --user-id, --id and --identity");
            }

            await using var open = link.Open(parse);
            var (profile, asked) = forAccount
                ? await account.FindAsync(parse, open.Link, cancellationToken)
                : await selector.FindAsync(parse, open.Link, cancellationToken);
            if (profile is null)
            {
                await Console.Error.WriteLineAsync($"eventlink: no {(forAccount ? "account" : "profile")} has {asked}");
                return ExitCodes.BadInput;
            }

            if (forAccount && profile.Entity != "account")
            {
                await Console.Error.WriteLineAsync($"eventlink: profile {profile.Id} ({asked}) is a {profile.Entity}, not an account");
                return ExitCodes.BadInput;
            }

            var query = new TimelineQuery { From = from, Limit = parse.GetValue(limit) };
            var events = new List<TimelineEvent>();
            await foreach (var e in forAccount
                ? open.Link.GetAccountTimelineAsync(profile.Id, query, cancellationToken)
                : open.Link.GetTimelineAsync(profile.Id, query, cancellationToken))
            {
                events.Add(e);
            }

            var members = new List<Profile>();
            if (forAccount)
            {
                await foreach (var member in open.Link.GetAccountMembersAsync(profile.Id, cancellationToken))
                {
                    members.Add(member);
                }
            }

            if (parse.GetValue(format) == OutputFormat.Json)
            {
                await Output.JsonAsync(json =>
                {
                    json.WriteStartObject();
                    json.WriteString("profileId", profile.Id);
                    if (forAccount)
                    {
                        json.WriteString("entity", profile.Entity);
                        json.WriteStartArray("members");
                        foreach (var member in members)
                        {
                            json.WriteStringValue(member.Id);
                        }

                        json.WriteEndArray();
                    }

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
                        if (forAccount && e.ProfileId is { } memberId)
                        {
                            json.WriteString("memberId", memberId);
                        }

                        json.WritePropertyName("payload");
                        json.WriteRawValue(e.PayloadJson);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                });
                return ExitCodes.Ok;
            }

            Console.WriteLine(forAccount
                ? $"Timeline of account {profile.Id} and its {members.Count} member(s): {events.Count} event(s)"
                : $"Timeline of profile {profile.Id}: {events.Count} event(s)");
            Output.Table(Console.Out, ["occurred (UTC)", "source", "event", "record", "linked by"],
                events.Select(e => (IReadOnlyList<string>)[Output.Time(e.OccurredAt), e.Source, e.EventName, $"{e.RecordType}/{e.RecordId}", e.LinkedBy ?? string.Empty]));
            return ExitCodes.Ok;
        });
        return command;
    }
}

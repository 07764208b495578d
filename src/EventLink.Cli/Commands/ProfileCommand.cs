using System.CommandLine;

namespace EventLink.Cli.Commands;

/// <summary><c>eventlink profile --email …</c>: a profile's attributes (each with the source that won) and identities.</summary>
internal static class ProfileCommand
{
    public static Command Create()
    {
        var link = new LinkOptions();
        var selector = new ProfileSelector();
        var format = Output.FormatOption();
        var command = new Command("profile", "Show a profile: its attributes with their source, and its identities.") { format };
        link.AddTo(command);
        selector.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var open = link.Open(parse);
            var (profile, asked) = await selector.FindAsync(parse, open.Link, cancellationToken);
            if (profile is null)
            {
                await Console.Error.WriteLineAsync($"eventlink: no profile has {asked}");
                return ExitCodes.BadInput;
            }

            if (parse.GetValue(format) == OutputFormat.Json)
            {
                await Output.JsonAsync(json => Write(json, profile));
                return ExitCodes.Ok;
            }

            Console.WriteLine($"Profile {profile.Id} ({profile.Entity}), created {Output.Time(profile.CreatedAt)}");
            Console.WriteLine();
            Output.Table(Console.Out, ["attribute", "value", "source", "record", "observed"],
                profile.Attributes.Select(a => (IReadOnlyList<string>)[a.Name, a.AsString(), a.Source, $"{a.RecordType}/{a.RecordId}", Output.Time(a.ObservedAt)]));
            Console.WriteLine();
            Output.Table(Console.Out, ["identity", "value", "first seen in"],
                profile.Identities.Select(i => (IReadOnlyList<string>)[i.Kind, i.Value, $"{i.Source}/{i.RecordType}/{i.RecordId}"]));
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static void Write(System.Text.Json.Utf8JsonWriter json, Profile profile)
    {
        json.WriteStartObject();
        json.WriteString("id", profile.Id);
        json.WriteString("entity", profile.Entity);
        json.WriteString("createdAt", Output.IsoTime(profile.CreatedAt));
        json.WriteStartArray("attributes");
        foreach (var a in profile.Attributes)
        {
            json.WriteStartObject();
            json.WriteString("name", a.Name);
            json.WritePropertyName("value");
            json.WriteRawValue(a.ValueJson);
            json.WriteString("source", a.Source);
            json.WriteString("recordType", a.RecordType);
            json.WriteString("recordId", a.RecordId);
            json.WriteString("observedAt", Output.IsoTime(a.ObservedAt));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("identities");
        foreach (var i in profile.Identities)
        {
            json.WriteStartObject();
            json.WriteString("kind", i.Kind);
            json.WriteString("value", i.Value);
            json.WriteString("source", i.Source);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}

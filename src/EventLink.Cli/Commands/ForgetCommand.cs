using System.CommandLine;

namespace EventLink.Cli.Commands;

/// <summary><c>eventlink forget --email …</c>: erases a person (right to be forgotten) and prints what was erased.</summary>
internal static class ForgetCommand
{
    public static Command Create()
    {
        var link = new LinkOptions();
        var selector = new ProfileSelector();
        var format = Output.FormatOption();
        var command = new Command(
            "forget",
            "Erase a person: the profile, identities, attributes, records, events, quarantined events waiting for them and pending outbox items. " +
            "Hashed identities are kept as tombstones so replaying the same records does not bring them back.")
        { format };
        link.AddTo(command);
        selector.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = selector.Resolve(parse);
            await using var open = link.Open(parse);
            ErasureResult erased;
            if (target.Id is { } profileId)
            {
                erased = await open.Link.ForgetAsync(profileId, cancellationToken);
            }
            else
            {
                if (!open.Link.Schema.IdentityKinds.ContainsKey(target.Kind!))
                {
                    throw new UsageException($"identity kind '{target.Kind}' is not in the schema (known: {string.Join(", ", open.Link.Schema.IdentityKinds.Keys.Order(StringComparer.Ordinal))})");
                }

                erased = await open.Link.ForgetAsync(target.Kind!, target.Value!, cancellationToken);
            }

            if (parse.GetValue(format) == OutputFormat.Json)
            {
                await Output.JsonAsync(json =>
                {
                    json.WriteStartObject();
                    json.WriteString("asked", target.ToString());
                    if (erased.ProfileId is { } id)
                    {
                        json.WriteString("profileId", id);
                    }
                    else
                    {
                        json.WriteNull("profileId");
                    }

                    json.WriteNumber("profiles", erased.Profiles);
                    json.WriteNumber("identities", erased.Identities);
                    json.WriteNumber("records", erased.Records);
                    json.WriteNumber("events", erased.Events);
                    json.WriteNumber("quarantinedEvents", erased.QuarantinedEvents);
                    json.WriteNumber("outboxItems", erased.OutboxItems);
                    json.WriteNumber("tombstones", erased.Tombstones);
                    json.WriteEndObject();
                });
                return ExitCodes.Ok;
            }

            Console.WriteLine(erased.ProfileId is { } erasedId
                ? $"Forgot profile {erasedId} ({target})."
                : $"No profile has {target}; {erased.Tombstones} identity tombstone(s) kept so it is not linked again.");
            Output.Table(Console.Out, ["erased", "count"],
            [
                ["profiles", N(erased.Profiles)], ["identities", N(erased.Identities)], ["records", N(erased.Records)], ["events", N(erased.Events)],
                ["quarantined events", N(erased.QuarantinedEvents)], ["outbox items", N(erased.OutboxItems)], ["tombstones kept", N(erased.Tombstones)],
            ]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string N(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}

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
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the profile that would be erased and what it holds; erase nothing." };
        var command = new Command(
            "forget",
            "Erase a person: the profile, identities, attributes, records, events, quarantined events waiting for them and pending outbox items. " +
            "Hashed identities are kept as tombstones so replaying the same records does not bring them back.")
        { format, dryRun };
        link.AddTo(command);
        selector.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = selector.Resolve(parse);
            await using var open = link.Open(parse);
            if (parse.GetValue(dryRun))
            {
                return await DryRunAsync(parse, selector, target, open.Link, parse.GetValue(format), cancellationToken);
            }

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

    /// <summary>Finds the profile and counts what forgetting it would erase, reading only.</summary>
    private static async Task<int> DryRunAsync(ParseResult parse, ProfileSelector selector, ProfileTarget target, IEventLink link, OutputFormat format, CancellationToken cancellationToken)
    {
        if (target.Kind is { } kind && !link.Schema.IdentityKinds.ContainsKey(kind))
        {
            throw new UsageException($"identity kind '{kind}' is not in the schema (known: {string.Join(", ", link.Schema.IdentityKinds.Keys.Order(StringComparer.Ordinal))})");
        }

        var (profile, asked) = await selector.FindAsync(parse, link, cancellationToken);
        long events = 0;
        if (profile is not null)
        {
            await foreach (var _ in link.GetTimelineAsync(profile.Id, null, cancellationToken))
            {
                events++;
            }
        }

        if (format == OutputFormat.Json)
        {
            await Output.JsonAsync(json =>
            {
                json.WriteStartObject();
                json.WriteBoolean("dryRun", true);
                json.WriteString("asked", asked);
                if (profile is not null)
                {
                    json.WriteString("profileId", profile.Id);
                }
                else
                {
                    json.WriteNull("profileId");
                }

                json.WriteNumber("profiles", profile is null ? 0 : 1);
                json.WriteNumber("identities", profile?.Identities.Count ?? 0);
                json.WriteNumber("attributes", profile?.Attributes.Count ?? 0);
                json.WriteNumber("records", profile?.Records.Count ?? 0);
                json.WriteNumber("events", events);
                json.WriteEndObject();
            });
            return ExitCodes.Ok;
        }

        Console.WriteLine(profile is null
            ? $"Dry run: no profile has {asked}; forgetting would only keep tombstones of the identity. Nothing was erased."
            : $"Dry run: forgetting {asked} would erase profile {profile.Id}. Nothing was erased.");
        Output.Table(Console.Out, ["would erase", "count"],
        [
            ["profiles", N(profile is null ? 0 : 1)], ["identities", N(profile?.Identities.Count ?? 0)], ["attributes", N(profile?.Attributes.Count ?? 0)],
            ["records", N(profile?.Records.Count ?? 0)], ["events", N(events)],
        ]);
        return ExitCodes.Ok;
    }

    private static string N(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}

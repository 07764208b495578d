using System.CommandLine;
using EventLink.Cli;
using EventLink.Cli.Commands;

var root = new RootCommand("eventlink: link customer events to customer profiles, from the command line. Exit codes: 0 ok, 1 bad input found (or nothing found), 2 usage error.")
{
    IngestCommand.Create(),
    ProfileCommand.Create(),
    TimelineCommand.Create(),
    CoverageCommand.Create(),
    QuarantineCommand.Create(),
    DriftCommand.Create(),
    ForgetCommand.Create(),
    CheckCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync($"eventlink: {error.Message}");
    }

    await Console.Error.WriteLineAsync("Run 'eventlink --help' for usage.");
    return ExitCodes.Usage;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UsageException ex)
{
    await Console.Error.WriteLineAsync($"eventlink: {ex.Message}");
    return ExitCodes.Usage;
}
catch (EventLink.SchemaValidationException ex)
{
    await Console.Error.WriteLineAsync($"eventlink: {ex.Message}");
    return ExitCodes.Usage;
}
catch (InvalidOperationException ex) when (ex.Message.Contains("TombstoneSecret", StringComparison.Ordinal))
{
    // Erasure without its secret (forget, or ingest into a store with tombstones): how to call the tool, not a crash.
    await Console.Error.WriteLineAsync($"eventlink: {ex.Message} Pass --tombstone-secret or set EVENTLINK_TOMBSTONE_SECRET.");
    return ExitCodes.Usage;
}

using System.CommandLine;
using System.CommandLine.Help;
using EventLink.Cli;
using EventLink.Cli.Commands;

// A plain command named after the tool, not RootCommand (whose name is the executable's: EventLink.Cli under `dotnet`).
var root = new Command("eventlink", "eventlink: link customer events to customer profiles, from the command line. Exit codes: 0 ok, 1 bad input found (or nothing found), 2 usage error (or a database that does not exist), 3 the store failed (such as PostgreSQL out of reach).")
{
    new HelpOption(),
    new VersionOption(),
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
catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or UnauthorizedAccessException || ex.InnerException is System.Data.Common.DbException)
{
    await Console.Error.WriteLineAsync($"eventlink: the store failed: {ex.Message}");
    return ExitCodes.Store;
}

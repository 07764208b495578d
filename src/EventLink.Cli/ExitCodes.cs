namespace EventLink.Cli;

/// <summary>The tool's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Everything went well.</summary>
    public const int Ok = 0;

    /// <summary>Bad input was found (the count is printed), or the profile asked for does not exist.</summary>
    public const int BadInput = 1;

    /// <summary>The command line, a schema file or a preset name is wrong, or the database named does not exist.</summary>
    public const int Usage = 2;

    /// <summary>The store failed: PostgreSQL cannot be reached, or the database cannot be opened.</summary>
    public const int Store = 3;
}

/// <summary>A mistake in how the tool was called; printed and turned into <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);

using System.CommandLine;

namespace EventLink.Cli;

/// <summary>Finds one account profile from <c>--account</c>: its id, <c>kind=value</c>, or a value of an identity accounts hold (a domain, a Segment group id, …).</summary>
internal sealed class AccountSelector
{
    public Option<string?> Account { get; } = new("--account")
    {
        Description = "An account instead of a person: its profile id, kind=value, or a value of an identity accounts hold (such as a domain or a group id).",
    };

    public void AddTo(Command command) => command.Options.Add(Account);

    public bool IsGiven(ParseResult parse) => parse.GetValue(Account) is not null;

    /// <summary>Finds the account; <see langword="null"/> with a message when there is none.</summary>
    public async Task<(Profile? Account, string Asked)> FindAsync(ParseResult parse, IEventLink link, CancellationToken cancellationToken)
    {
        var text = parse.GetValue(Account)!.Trim();
        if (Guid.TryParse(text, out var id))
        {
            return (await link.GetProfileAsync(id, cancellationToken), $"id {id}");
        }

        if (text.Contains('=', StringComparison.Ordinal))
        {
            var (kind, value) = ProfileSelector.ParseIdentity(text, "--account");
            if (!link.Schema.IdentityKinds.ContainsKey(kind))
            {
                throw new UsageException($"identity kind '{kind}' is not in the schema");
            }

            return (await link.FindProfileAsync(kind, value, cancellationToken), $"{kind} '{value}'");
        }

        // The kinds that identify accounts, highest priority first: the domain of a HubSpot company, a Segment group id, …
        var kinds = link.Schema.RecordTypes.Values
            .Where(t => t.Kind == RecordKind.Merged && t.Entity == "account")
            .SelectMany(t => t.Identities.Select(i => i.Kind))
            .DistinctBy(k => k.Name)
            .OrderBy(k => k.Priority).ThenBy(k => k.Name, StringComparer.Ordinal)
            .ToList();
        if (kinds.Count == 0)
        {
            throw new UsageException("the schema has no account record type; name the account by its profile id");
        }

        foreach (var kind in kinds)
        {
            if (link.Schema.TryNormalize(kind.Name, text, out _) &&
                await link.FindProfileAsync(kind.Name, text, cancellationToken) is { Entity: "account" } account)
            {
                return (account, $"{kind.Name} '{text}'");
            }
        }

        return (null, $"'{text}' as {string.Join(" or ", kinds.Select(k => k.Name))}");
    }
}

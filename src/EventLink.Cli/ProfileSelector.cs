using System.CommandLine;

namespace EventLink.Cli;

/// <summary>Finds one profile from <c>--email</c>, <c>--user-id</c>, <c>--id</c> or <c>--identity kind=value</c>.</summary>
internal sealed class ProfileSelector
{
    public Option<string?> Email { get; } = new("--email") { Description = "The profile holding this e-mail address." };

    public Option<string?> UserId { get; } = new("--user-id") { Description = "The profile holding this user id." };

    public Option<Guid?> Id { get; } = new("--id") { Description = "The profile with this id." };

    public Option<string?> Identity { get; } = new("--identity") { Description = "The profile holding this identity, as kind=value (such as stripe_customer_id=cus_123)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Email);
        command.Options.Add(UserId);
        command.Options.Add(Id);
        command.Options.Add(Identity);
    }

    /// <summary>Gets whether any of the options was given.</summary>
    public bool IsGiven(ParseResult parse) =>
        parse.GetValue(Email) is not null || parse.GetValue(UserId) is not null || parse.GetValue(Id) is not null || parse.GetValue(Identity) is not null;

    /// <summary>Reads which profile was named: exactly one of the options, else a usage error.</summary>
    public ProfileTarget Resolve(ParseResult parse)
    {
        var given = new List<(string Kind, string Value)>();
        if (parse.GetValue(Email) is { } email)
        {
            given.Add((IdentityKinds.Email, email));
        }

        if (parse.GetValue(UserId) is { } userId)
        {
            given.Add((IdentityKinds.UserId, userId));
        }

        if (parse.GetValue(Identity) is { } identity)
        {
            given.Add(ParseIdentity(identity, "--identity"));
        }

        var id = parse.GetValue(Id);
        if (given.Count + (id is null ? 0 : 1) != 1)
        {
            throw new UsageException("name exactly one of --email, --user-id, --id or --identity");
        }

        return id is { } profileId ? new ProfileTarget(profileId, null, null) : new ProfileTarget(null, given[0].Kind, given[0].Value);
    }

    /// <summary>Finds the profile; <see langword="null"/> with a message when there is none.</summary>
    public async Task<(Profile? Profile, string Asked)> FindAsync(ParseResult parse, IEventLink link, CancellationToken cancellationToken)
    {
        var target = Resolve(parse);
        var profile = target.Id is { } profileId
            ? await link.GetProfileAsync(profileId, cancellationToken)
            : await link.FindProfileAsync(target.Kind!, target.Value!, cancellationToken);
        return (profile, target.ToString());
    }

    /// <summary>Reads <c>kind=value</c>.</summary>
    public static (string Kind, string Value) ParseIdentity(string text, string option)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1)
        {
            throw new UsageException($"{option} '{text}' is not kind=value");
        }

        return (text[..equals].Trim(), text[(equals + 1)..]);
    }
}

/// <summary>The profile a command names: by <see cref="Id"/>, or by an identity (<see cref="Kind"/>, <see cref="Value"/>).</summary>
internal sealed record ProfileTarget(Guid? Id, string? Kind, string? Value)
{
    public override string ToString() => Id is { } id ? $"id {id}" : $"{Kind} '{Value}'";
}

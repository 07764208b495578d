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

    /// <summary>Finds the profile; <see langword="null"/> with a message when there is none.</summary>
    public async Task<(Profile? Profile, string Asked)> FindAsync(ParseResult parse, IEventLink link, CancellationToken cancellationToken)
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
            var equals = identity.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == identity.Length - 1)
            {
                throw new UsageException($"--identity '{identity}' is not kind=value");
            }

            given.Add((identity[..equals].Trim(), identity[(equals + 1)..]));
        }

        var id = parse.GetValue(Id);
        if (given.Count + (id is null ? 0 : 1) != 1)
        {
            throw new UsageException("name exactly one of --email, --user-id, --id or --identity");
        }

        if (id is { } profileId)
        {
            return (await link.GetProfileAsync(profileId, cancellationToken), $"id {profileId}");
        }

        var (kind, value) = given[0];
        return (await link.FindProfileAsync(kind, value, cancellationToken), $"{kind} '{value}'");
    }
}

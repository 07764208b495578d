namespace EventLink.Samples.Quickstart.Data;

/// <summary>A generated person: who they are, the email they use, and the UTC offset their tools write local times in.</summary>
internal sealed record Person(string FirstName, string LastName, string Company, string Email, TimeSpan UtcOffset)
{
    public string FullName => $"{FirstName} {LastName}";
}

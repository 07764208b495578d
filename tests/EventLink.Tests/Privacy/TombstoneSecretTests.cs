using Microsoft.Extensions.Configuration;
namespace EventLink.Tests.Privacy;

/// <summary>Erasure tombstones need a secret: none, or one too short, is a clear error, never unkeyed tombstones.</summary>
public sealed class TombstoneSecretTests
{
    private static void Schema(SchemaBuilder s) => s
        .Merged("customer", t => t.Identity("email"))
        .AppendOnly("charge", t => t.RelatesTo("email", "customer"));

    [Fact]
    public async Task Erasure_without_a_tombstone_secret_fails_saying_what_to_configure_and_erases_nothing()
    {
        await using var link = new EventLinkBuilder().AddSchema(Schema).Build();
        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1700000000,"email":"ada@example.com"}"""));

        var forget = () => link.ForgetAsync(IdentityKinds.Email, "ada@example.com").AsTask();

        (await forget.Should().ThrowAsync<InvalidOperationException>()).Which.Message
            .Should().Contain("EventLinkPrivacyOptions.TombstoneSecret").And.Contain("HMAC-SHA256");
        (await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com")).Should().NotBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0123456789abcdef0123456789abcde")]
    public async Task A_tombstone_secret_shorter_than_32_characters_fails_at_start_up(string secret)
    {
        var start = async () =>
        {
            await using var link = new EventLinkBuilder().AddSchema(Schema).ConfigurePrivacy(p => p.TombstoneSecret = secret).Build();
            await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1700000000,"email":"ada@example.com"}"""));
        };

        (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("at least 32 characters");
    }

    [Fact]
    public async Task The_tombstone_secret_binds_from_the_Privacy_section_of_the_configuration()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["EventLink:Privacy:TombstoneSecret"] = "configured-tombstone-secret-0123456789" })
            .Build();
        await using var link = new EventLinkBuilder().AddSchema(Schema).BindConfiguration(configuration.GetSection("EventLink")).Build();
        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1700000000,"email":"ada@example.com"}"""));

        (await link.ForgetAsync(IdentityKinds.Email, "ada@example.com")).Tombstones.Should().Be(1);
        (await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1700000000,"email":"ada@example.com"}""")))
            .Outcome.Should().Be(IngestOutcome.Suppressed);
    }
}

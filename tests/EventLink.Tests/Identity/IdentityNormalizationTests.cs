namespace EventLink.Tests.Identity;

public sealed class IdentityNormalizationTests
{
    private static readonly EventLinkSchema Schema = EventLinkSchema.Create(s => s
        .Merged("customer", t => t.Identity("email").Identity("user_id", IdentityKinds.UserId).Identity("phone", IdentityKinds.Phone)));

    [Theory]
    [InlineData(" Ada.Lovelace@Example.COM ", "ada.lovelace@example.com")]
    [InlineData("bob@example.co.uk", "bob@example.co.uk")]
    public void Emails_are_trimmed_and_lower_cased(string raw, string expected)
    {
        Schema.TryNormalize(IdentityKinds.Email, raw, out var key).Should().BeTrue();
        key.Should().Be(new IdentityKey(IdentityKinds.Email, expected));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("a b@example.com")]
    [InlineData("@example.com")]
    [InlineData("a@@example.com")]
    [InlineData("")]
    public void Malformed_emails_are_not_identities(string raw) =>
        Schema.TryNormalize(IdentityKinds.Email, raw, out _).Should().BeFalse();

    [Theory]
    [InlineData("null")]
    [InlineData("NULL")]
    [InlineData("undefined")]
    [InlineData("0")]
    [InlineData("000")]
    [InlineData("-1")]
    [InlineData("\"null\"")]
    [InlineData("'undefined'")]
    [InlineData("anonymous")]
    [InlineData("[object Object]")]
    [InlineData("   ")]
    public void Blocked_values_are_never_user_ids(string raw) =>
        Schema.TryNormalize(IdentityKinds.UserId, raw, out _).Should().BeFalse();

    [Fact]
    public void User_ids_are_trimmed_but_otherwise_exact()
    {
        Schema.TryNormalize(IdentityKinds.UserId, "  User-42 ", out var key).Should().BeTrue();
        key.Value.Should().Be("User-42");
    }

    [Fact]
    public void Configured_blocked_values_and_patterns_apply()
    {
        var schema = EventLinkSchema.Create(s => s
            .Merged("customer", t => t.Identity("email"))
            .BlockValues("info@acme.com")
            .BlockPattern("^test-.*@example\\.com$"));
        schema.TryNormalize(IdentityKinds.Email, "INFO@acme.com", out _).Should().BeFalse();
        schema.TryNormalize(IdentityKinds.Email, "test-7@example.com", out _).Should().BeFalse();
        schema.TryNormalize(IdentityKinds.Email, "ada@example.com", out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("+1 (415) 555-0123", "+14155550123")]
    [InlineData("0044 20 7946 0958", "+442079460958")]
    public void Phones_normalise_to_E164(string raw, string expected)
    {
        Schema.TryNormalize(IdentityKinds.Phone, raw, out var key).Should().BeTrue();
        key.Value.Should().Be(expected);
    }

    [Fact]
    public void Phones_without_a_country_code_need_a_default_one()
    {
        Schema.TryNormalize(IdentityKinds.Phone, "415 555 0123", out _).Should().BeFalse();
        var options = new EventLinkSchemaOptions { DefaultPhoneCountryCode = "1" };
        new SchemaBuilder(options).Merged("customer", t => t.Identity("phone", IdentityKinds.Phone));
        EventLinkSchema.Create(options).TryNormalize(IdentityKinds.Phone, "415 555 0123", out var key).Should().BeTrue();
        key.Value.Should().Be("+14155550123");
    }
}

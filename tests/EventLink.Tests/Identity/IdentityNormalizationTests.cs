namespace EventLink.Tests.Identity;

/// <summary>
/// Identity normalisation, table-driven. Provenance of the values: the report (NFC/NFD, zero-width spaces,
/// the BOM, full-width '＠', <c>bücher.de</c> / <c>xn--bcher-kva.de</c>, a leading 'İ', <c>+44 (0)20 7946 0958</c> /
/// <c>020 7946 0958</c>, <c>555-1234</c>, <c>+999 1234 5678</c>); the IDN names of .NET's <c>IdnMapping</c> docs
/// example (<c>bücher.com</c>, <c>мойдомен.рф</c>, <c>mycharity\u3002org</c>); libphonenumber's README
/// (<c>044 668 18 00</c> in CH is <c>+41446681800</c>) and its test suite's US number (<c>650 253 0000</c>);
/// 020 7946 0xxx is Ofcom's range reserved for drama (a valid London number nobody has).
/// </summary>
public sealed class IdentityNormalizationTests
{
    private static readonly EventLinkSchema Schema = EventLinkSchema.Create(s => s
        .Merged("customer", t => t.Identity("email").Identity("user_id", IdentityKinds.UserId).Identity("phone", IdentityKinds.Phone)));

    private static readonly EventLinkSchema BritishSchema = EventLinkSchema.Create(s => s
        .Merged("customer", t => t.Identity("email").Identity("phone", IdentityKinds.Phone))
        .DefaultPhoneRegion("GB"));

    public static TheoryData<string, string> EmailForms() => new()
    {
        { " Ada.Lovelace@Example.COM ", "ada.lovelace@example.com" },
        { "bob@example.co.uk", "bob@example.co.uk" },

        // Composed (NFC) and decomposed (NFD) forms of one address.
        { "jos\u00E9@example.com", "jos\u00E9@example.com" },
        { "jose\u0301@example.com", "jos\u00E9@example.com" },
        { "JOSE\u0301@EXAMPLE.COM", "jos\u00E9@example.com" },

        // Zero-width and other format characters, the byte-order mark among them, are not part of an address.
        { "ada\u200B@example.com", "ada@example.com" },
        { "\uFEFFada@example.com", "ada@example.com" },
        { "ada@exa\u200Dmple.com", "ada@example.com" },
        { "a\u00ADda@example.com", "ada@example.com" },
        { "ada@example.com\u2060", "ada@example.com" },
        { "\u200Eada@example.com\u200F", "ada@example.com" },

        // Full-width and half-width forms fold to their ordinary ones.
        { "ada\uFF20example.com", "ada@example.com" },
        { "\uFF41\uFF44\uFF41@\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45.\uFF43\uFF4F\uFF4D", "ada@example.com" },
        { "ada@example\uFF0Ecom", "ada@example.com" },
        { "ada@example\u3002com", "ada@example.com" },

        // One canonical (Unicode) form of an internationalised domain, whichever form it was written in.
        { "info@b\u00FCcher.de", "info@b\u00FCcher.de" },
        { "info@xn--bcher-kva.de", "info@b\u00FCcher.de" },
        { "INFO@XN--BCHER-KVA.DE", "info@b\u00FCcher.de" },
        { "info@B\u00DCCHER.de", "info@b\u00FCcher.de" },
        { "info@bu\u0308cher.de", "info@b\u00FCcher.de" },
        { "info@b\u00FCcher.com", "info@b\u00FCcher.com" },
        { "ceo@\u043C\u043E\u0439\u0434\u043E\u043C\u0435\u043D.\u0440\u0444", "ceo@\u043C\u043E\u0439\u0434\u043E\u043C\u0435\u043D.\u0440\u0444" },
        { "ceo@xn--d1acklchcc.xn--p1ai", "ceo@\u043C\u043E\u0439\u0434\u043E\u043C\u0435\u043D.\u0440\u0444" },
        { "ceo@mycharity\u3002org", "ceo@mycharity.org" },

        // 'İ' (and its decomposed and fully lower-cased forms) is 'i' outside Turkish; invariant lower-casing alone keeps it.
        { "\u0130nfo@example.com", "info@example.com" },
        { "I\u0307nfo@example.com", "info@example.com" },
        { "i\u0307nfo@example.com", "info@example.com" },
        { "INFO@EXAMPLE.COM", "info@example.com" },
    };

    [Theory]
    [MemberData(nameof(EmailForms))]
    public void Every_form_of_an_email_address_has_one_key(string raw, string expected)
    {
        Schema.TryNormalize(IdentityKinds.Email, raw, out var key).Should().BeTrue();
        key.Should().Be(new IdentityKey(IdentityKinds.Email, expected));
    }

    [Theory]
    [MemberData(nameof(EmailForms))]
    public void A_normalised_email_normalises_to_itself(string raw, string _)
    {
        Schema.TryNormalize(IdentityKinds.Email, raw, out var key).Should().BeTrue();
        Schema.TryNormalize(IdentityKinds.Email, key.Value, out var again).Should().BeTrue();
        again.Should().Be(key);
    }

    [Theory]
    [InlineData("not-an-email", "has no '@'")]
    [InlineData("a@b", "has a domain without a dot inside it, or with an empty label")]
    [InlineData("a b@example.com", "contains white space")]
    [InlineData("@example.com", "has nothing before the '@'")]
    [InlineData("a@@example.com", "has more than one '@'")]
    [InlineData("ada@example.com\uFF20x.org", "has more than one '@'")]
    [InlineData("ada\u3000lovelace@example.com", "contains white space")]
    [InlineData("ada\u200B@\u200B", "has no domain after the '@'")]
    [InlineData("ada@xn--zzzzzzzz.de", "not a valid internationalised domain name")]
    [InlineData("ada@b\u00FCcher\u2603\u0378.de", "not a valid internationalised domain name")]
    public void Malformed_emails_are_not_identities_and_say_why(string raw, string reason)
    {
        Schema.TryNormalize(IdentityKinds.Email, raw, out _).Should().BeFalse();
        Schema.DescribeUnusable(Schema.IdentityKinds[IdentityKinds.Email], raw).Should().Contain(reason);
    }

    [Fact]
    public void A_value_with_a_lone_surrogate_is_no_email_and_no_phone()
    {
        // Built in code: xunit would turn a lone surrogate in [InlineData] into U+FFFD on its way to the test.
        var email = "ada" + '\uD800' + "@example.com";
        var phone = "+44 20 7946 " + '\uDC00' + " 0958";

        Schema.TryNormalize(IdentityKinds.Email, email, out _).Should().BeFalse();
        Schema.DescribeUnusable(Schema.IdentityKinds[IdentityKinds.Email], email).Should().Contain("invalid UTF-16");
        BritishSchema.TryNormalize(IdentityKinds.Phone, phone, out _).Should().BeFalse();
        BritishSchema.DescribeUnusable(BritishSchema.IdentityKinds[IdentityKinds.Phone], phone).Should().Contain("invalid UTF-16");
    }

    [Fact]
    public void An_empty_email_is_not_an_identity() =>
        Schema.TryNormalize(IdentityKinds.Email, "", out _).Should().BeFalse();

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
        schema.DescribeUnusable(schema.IdentityKinds[IdentityKinds.Email], "INFO@acme.com").Should().Be("blocked");
    }

    [Theory]
    [InlineData("+44 (0)20 7946 0958", "+442079460958")]
    [InlineData("020 7946 0958", "+442079460958")]
    [InlineData("(020) 7946-0958", "+442079460958")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData("0044 20 7946 0958", "+442079460958")]
    [InlineData("+44.20.7946.0958", "+442079460958")]
    [InlineData("\uFF0B\uFF14\uFF14 \uFF12\uFF10 \uFF17\uFF19\uFF14\uFF16 \uFF10\uFF19\uFF15\uFF18", "+442079460958")]
    [InlineData("+41 44 668 18 00", "+41446681800")]
    [InlineData("+1 650-253-0000", "+16502530000")]
    [InlineData("+1 (415) 555-0123", "+14155550123")]
    public void Phones_normalise_to_E164_in_the_default_region(string raw, string expected)
    {
        BritishSchema.TryNormalize(IdentityKinds.Phone, raw, out var key).Should().BeTrue();
        key.Value.Should().Be(expected);
    }

    [Theory]
    [InlineData("555-1234", "is not a valid phone number of country code +44")]
    [InlineData("+999 1234 5678", "has an unknown country code")]
    [InlineData("+44 20 7946 0958 ext. 123", "has an extension")]
    [InlineData("call me maybe", "is not a phone number")]
    [InlineData("12", "is not a valid phone number")]
    [InlineData("+44 20 7946\u0000 0958", "control")]
    public void Invalid_phones_are_not_identities_and_say_why(string raw, string reason)
    {
        BritishSchema.TryNormalize(IdentityKinds.Phone, raw, out _).Should().BeFalse();
        BritishSchema.DescribeUnusable(BritishSchema.IdentityKinds[IdentityKinds.Phone], raw).Should().Contain(reason);
    }

    [Fact]
    public void A_national_number_is_read_in_the_default_region_and_one_without_a_region_is_refused()
    {
        Schema.TryNormalize(IdentityKinds.Phone, "020 7946 0958", out _).Should().BeFalse();
        Schema.DescribeUnusable(Schema.IdentityKinds[IdentityKinds.Phone], "020 7946 0958").Should().Contain("no default phone region");

        // Without a region, an international number still is one ("00" being the international prefix).
        Schema.TryNormalize(IdentityKinds.Phone, "+44 (0)20 7946 0958", out var plus).Should().BeTrue();
        Schema.TryNormalize(IdentityKinds.Phone, "0044 20 7946 0958", out var zeros).Should().BeTrue();
        plus.Value.Should().Be("+442079460958");
        zeros.Should().Be(plus);

        // libphonenumber's README: a Swiss number as dialled in Switzerland.
        var swiss = EventLinkSchema.Create(s => s.Merged("customer", t => t.Identity("phone", IdentityKinds.Phone)).DefaultPhoneRegion("CH"));
        swiss.TryNormalize(IdentityKinds.Phone, "044 668 18 00", out var key).Should().BeTrue();
        key.Value.Should().Be("+41446681800");
    }

    [Fact]
    public void A_default_country_calling_code_reads_numbers_in_its_main_region()
    {
        var options = new EventLinkSchemaOptions { DefaultPhoneCountryCode = "44" };
        new SchemaBuilder(options).Merged("customer", t => t.Identity("phone", IdentityKinds.Phone));
        var schema = EventLinkSchema.Create(options);

        schema.TryNormalize(IdentityKinds.Phone, "020 7946 0958", out var national).Should().BeTrue();
        schema.TryNormalize(IdentityKinds.Phone, "+44 (0)20 7946 0958", out var international).Should().BeTrue();
        national.Should().Be(international);
        national.Value.Should().Be("+442079460958");
    }

    [Theory]
    [InlineData(nameof(EventLinkSchemaOptions.DefaultPhoneRegion), "XX", "DefaultPhoneRegion 'XX'")]
    [InlineData(nameof(EventLinkSchemaOptions.DefaultPhoneCountryCode), "999", "DefaultPhoneCountryCode '999'")]
    [InlineData(nameof(EventLinkSchemaOptions.DefaultPhoneCountryCode), "UK", "DefaultPhoneCountryCode 'UK'")]
    public void An_unknown_default_region_or_country_code_fails_the_schema(string setting, string value, string message)
    {
        var options = new EventLinkSchemaOptions();
        typeof(EventLinkSchemaOptions).GetProperty(setting)!.SetValue(options, value);
        new SchemaBuilder(options).Merged("customer", t => t.Identity("phone", IdentityKinds.Phone));

        var create = () => EventLinkSchema.Create(options);

        create.Should().Throw<SchemaValidationException>().Which.Message.Should().Contain(message);
    }

    [Fact]
    public void A_custom_normaliser_replaces_the_rule_of_its_kind_and_a_custom_kind_without_one_fails_the_schema()
    {
        var schema = EventLinkSchema.Create(s => s
            .IdentityKind("sku", new UpperCaseNormalizer(), priority: 5)
            .Merged("product", t => t.Identity("sku", "sku")));

        schema.IdentityKinds["sku"].Normalization.Should().Be(IdentityNormalization.Custom);
        schema.TryNormalize("sku", " ab-12 ", out var key).Should().BeTrue();
        key.Value.Should().Be("AB-12");
        schema.TryNormalize("sku", "ab 12", out _).Should().BeFalse();
        schema.DescribeUnusable(schema.IdentityKinds["sku"], "ab 12").Should().Be("contains a space");

        var options = new EventLinkSchemaOptions();
        options.IdentityKinds["sku"] = new IdentityKindOptions { Normalization = IdentityNormalization.Custom };
        options.IdentityKinds["ean"] = new IdentityKindOptions { Normalization = IdentityNormalization.Exact, Normalizer = new UpperCaseNormalizer() };
        new SchemaBuilder(options).Merged("product", t => t.Identity("sku", "sku"));
        var create = () => EventLinkSchema.Create(options);
        create.Should().Throw<SchemaValidationException>().Which.Errors.Should().Contain(e => e.Contains("'sku' has normalization Custom but no normalizer"))
            .And.Contain(e => e.Contains("'ean' has both a custom normalizer and normalization Exact"));
    }

    private sealed class UpperCaseNormalizer : IIdentityNormalizer
    {
        public bool TryNormalize(ReadOnlySpan<char> value, Span<char> destination, out int charsWritten)
        {
            charsWritten = value.Contains(' ') ? 0 : value.ToUpperInvariant(destination);
            return charsWritten > 0;
        }

        public string? GetInvalidReason(ReadOnlySpan<char> value) => "contains a space";
    }
}

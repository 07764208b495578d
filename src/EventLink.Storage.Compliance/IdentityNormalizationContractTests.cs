namespace EventLink.Storage.Compliance;

/// <summary>
/// Identity normalisation end to end through ingestion: every form of one e-mail address or phone number reaches one
/// profile, a value that is no identity says why, and a custom <see cref="IIdentityNormalizer"/> decides its kind's keys.
/// The values are the report's (and Ofcom's drama range, 020 7946 0xxx, for a valid London number nobody has).
/// </summary>
public abstract class IdentityNormalizationContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    private const string CustomerNumber = "customer_number";

    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [StoreFact]
    public virtual async Task Every_form_of_one_email_address_reaches_one_profile()
    {
        var link = await CreateAsync(Schema);
        var first = await link.IngestAsync(Customer("c1", email: "josé.İnfo@bücher.de"));

        string[] forms =
        [
            "jose\u0301.I\u0307nfo@bu\u0308cher.de",
            "JOSÉ.İNFO@XN--BCHER-KVA.DE",
            "\uFEFFjosé.\u200Bi\u0307nfo@b\u00FCcher.de",
            "josé.info\uFF20bücher\uFF0Ede",
        ];
        var results = await link.IngestAsync(forms.Select((email, i) => Order($"o{i}", email: email)).ToList());

        first.Outcome.Should().Be(IngestOutcome.Created);
        results.Should().AllSatisfy(r =>
        {
            r.Outcome.Should().Be(IngestOutcome.Linked, r.Message);
            r.ProfileId.Should().Be(first.ProfileId);
        });
        var profile = await link.FindProfileAsync(IdentityKinds.Email, "JOSE\u0301.info@xn--bcher-kva.de");
        profile!.Id.Should().Be(first.ProfileId!.Value);
        profile.Identities.Select(i => i.Key).Should().Equal(new IdentityKey(IdentityKinds.Email, "josé.info@bücher.de"));
    }

    [StoreFact]
    public virtual async Task A_national_and_an_international_phone_number_are_one_identity_and_an_invalid_one_says_why()
    {
        var link = await CreateAsync(Schema);
        var contact = await link.IngestAsync(Customer("c1", phone: "+44 (0)20 7946 0958"));

        var national = await link.IngestAsync(Order("o1", phone: "020 7946 0958"));
        var local = await link.IngestAsync(Order("o2", phone: "555-1234"));
        var unknownCountry = await link.IngestAsync(Order("o3", phone: "+999 1234 5678"));

        national.Outcome.Should().Be(IngestOutcome.Linked);
        national.ProfileId.Should().Be(contact.ProfileId);
        (await link.FindProfileAsync(IdentityKinds.Phone, "+442079460958"))!.Id.Should().Be(contact.ProfileId!.Value);

        local.Outcome.Should().Be(IngestOutcome.Quarantined);
        local.Reason.Should().Be(IngestReason.NoUsableIdentifier);
        local.Message.Should().Contain("'phone' value '555-1234' is not a valid phone (is not a valid phone number of country code +44)");
        unknownCountry.Reason.Should().Be(IngestReason.NoUsableIdentifier);
        unknownCountry.Message.Should().Contain("has an unknown country code");

        // A merged record whose only identity is no phone number waits in quarantine, with the same reason.
        var merged = await link.IngestAsync(Customer("c2", phone: "+999 1234 5678"));
        merged.Outcome.Should().Be(IngestOutcome.Quarantined);
        merged.Reason.Should().Be(IngestReason.NoUsableIdentifier);
        merged.Message.Should().Contain("is not a usable phone (has an unknown country code)");
    }

    [StoreFact]
    public virtual async Task A_custom_normaliser_decides_the_keys_of_its_kind()
    {
        var normalizer = new CustomerNumberNormalizer();
        var link = await CreateAsync(s => Schema(s, normalizer));
        var customer = await link.IngestAsync(Customer("c1", number: "CUS-000123"));

        var linked = await link.IngestAsync(Order("o1", number: " cus 123 "));
        var refused = await link.IngestAsync(Order("o2", number: "n/a"));

        customer.Outcome.Should().Be(IngestOutcome.Created);
        linked.Outcome.Should().Be(IngestOutcome.Linked);
        linked.ProfileId.Should().Be(customer.ProfileId);
        (await link.FindProfileAsync(CustomerNumber, "123"))!.Identities.Select(i => i.Key)
            .Should().Equal(new IdentityKey(CustomerNumber, "CUS-123"));
        refused.Outcome.Should().Be(IngestOutcome.Quarantined);
        refused.Message.Should().Contain("'number' value 'n/a' is not a valid customer_number (has no digits)");
        normalizer.Calls.Should().BeGreaterThan(0);
    }

    private static void Schema(SchemaBuilder s) => Schema(s, new CustomerNumberNormalizer());

    private static void Schema(SchemaBuilder s, IIdentityNormalizer customerNumbers) => s
        .DefaultPhoneRegion("GB")
        .IdentityKind(CustomerNumber, customerNumbers)
        .Merged("customer", t => t
            .RecordId("id").OccurredAt("at")
            .Identity("email")
            .Identity("phone", IdentityKinds.Phone)
            .Identity("number", CustomerNumber))
        .AppendOnly("order", t => t
            .RecordId("id").OccurredAt("at")
            .RelatesTo("email", "customer")
            .RelatesTo("phone", "customer", IdentityKinds.Phone)
            .RelatesTo("number", "customer", CustomerNumber));

    private static IngestRecord Customer(string id, string? email = null, string? phone = null, string? number = null) =>
        Record("customer", id, email, phone, number);

    private static IngestRecord Order(string id, string? email = null, string? phone = null, string? number = null) =>
        Record("order", id, email, phone, number);

    private static IngestRecord Record(string type, string id, string? email, string? phone, string? number)
    {
        var payload = new System.Text.Json.Nodes.JsonObject { ["id"] = id, ["at"] = T0.ToString("O") };
        if (email is not null)
        {
            payload["email"] = email;
        }

        if (phone is not null)
        {
            payload["phone"] = phone;
        }

        if (number is not null)
        {
            payload["number"] = number;
        }

        return new IngestRecord("shop", type, payload.ToJsonString());
    }

    /// <summary>
    /// A customer number as people write it (<c>CUS-000123</c>, <c>cus 123</c>, <c>123</c>): its digits without
    /// leading zeros, behind one prefix.
    /// </summary>
    private sealed class CustomerNumberNormalizer : IIdentityNormalizer
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public bool TryNormalize(ReadOnlySpan<char> value, Span<char> destination, out int charsWritten)
        {
            Interlocked.Increment(ref _calls);
            var digits = value;
            if (digits.StartsWith("cus", StringComparison.OrdinalIgnoreCase))
            {
                digits = digits[3..].TrimStart(" -");
            }

            digits = digits.TrimStart('0');
            charsWritten = 0;
            if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
            {
                return false;
            }

            "CUS-".CopyTo(destination);
            digits.CopyTo(destination[4..]);
            charsWritten = 4 + digits.Length;
            return true;
        }

        public string? GetInvalidReason(ReadOnlySpan<char> value) => "has no digits";
    }
}

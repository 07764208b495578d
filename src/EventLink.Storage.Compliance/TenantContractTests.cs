using Microsoft.Extensions.DependencyInjection;
using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Compliance;

/// <summary>Tenant isolation: the same records in two tenants are two independent worlds.</summary>
[RequiresCapability(StoreCapabilities.TenantMaintenance)]
public abstract partial class TenantContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    [StoreFact]
    public virtual async Task The_same_records_in_two_tenants_give_two_independent_sets_of_profiles()
    {
        var link = await CreateAsync();
        var a = link.ForTenant("acme");
        var b = link.ForTenant("globex");
        await a.IngestAsync(SeedData.Records());
        await b.IngestAsync(SeedData.Records());

        var profilesA = await a.GetProfilesAsync().ToListAsync();
        var profilesB = await b.GetProfilesAsync().ToListAsync();
        profilesA.Select(p => p.Id).Should().NotIntersectWith(profilesB.Select(p => p.Id));
        (await Snapshot.CanonicalAsync(a)).Should().Be(await Snapshot.CanonicalAsync(b));
        (await link.GetProfilesAsync().ToListAsync()).Should().BeEmpty("the default tenant has nothing");
    }

    [StoreFact]
    public virtual async Task A_tenant_cannot_read_link_or_merge_into_another_tenants_profiles()
    {
        var link = await CreateAsync();
        var a = link.ForTenant("acme");
        var b = link.ForTenant("globex");
        var inB = await b.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        await b.IngestAsync(StripeCharge("ch_1", "ada@example.com", Day(2026, 1, 2), 100));
        var bBefore = await Snapshot.ExactAsync(b);

        (await a.GetProfileAsync(inB.ProfileId!.Value)).Should().BeNull("a profile id of B used from A is not found");
        (await a.GetTimelineAsync(inB.ProfileId!.Value).ToListAsync()).Should().BeEmpty();
        (await a.FindProfileAsync(IdentityKinds.Email, "ada@example.com")).Should().BeNull();

        var charge = await a.IngestAsync(StripeCharge("ch_2", "ada@example.com", Day(2026, 1, 3), 100));
        charge.Outcome.Should().Be(IngestOutcome.Quarantined, "B's Ada is not A's Ada");
        var duplicateInB = await a.IngestAsync(StripeCharge("ch_1", "ada@example.com", Day(2026, 1, 2), 100));
        duplicateInB.Outcome.Should().Be(IngestOutcome.Quarantined, "idempotency is per tenant");
        var customerInA = await a.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        customerInA.Outcome.Should().Be(IngestOutcome.Created);
        customerInA.ProfileId.Should().NotBe(inB.ProfileId!.Value);
        await a.ReplayQuarantineAsync();

        (await Snapshot.ExactAsync(b)).Should().Be(bBefore, "nothing done in A touches B");
        (await a.GetCoverageAsync())["charge"].Should().Be(new RecordTypeCoverage("charge", 2, 2, 0, 0, 1));
        (await b.GetCoverageAsync())["charge"].Should().Be(new RecordTypeCoverage("charge", 1, 1, 0, 0, 1));
    }

    [StoreFact]
    public virtual async Task The_ambient_tenant_comes_from_the_tenant_accessor()
    {
        var accessor = new MutableTenantAccessor();
        var store = await Fixture.CreateStoreAsync(nameof(The_ambient_tenant_comes_from_the_tenant_accessor).ToLowerInvariant() + GetType().Name.ToLowerInvariant());
        var builder = new EventLinkBuilder();
        builder.Services.AddSingleton<ITenantAccessor>(accessor);
        builder.AddSchema(Define).UseStore(_ => store);
        await using var el = builder.Build();

        accessor.CurrentTenant = "acme";
        el.Tenant.Should().Be("acme");
        await el.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        accessor.CurrentTenant = null;
        el.Tenant.Should().Be("default");
        (await el.FindProfileAsync(IdentityKinds.Email, "ada@example.com")).Should().BeNull();
        (await el.ForTenant("acme").FindProfileAsync(IdentityKinds.Email, "ada@example.com")).Should().NotBeNull();
    }

    /// <summary>Gets tenant names no store keeps as they are: each would collide with its neighbour once written as UTF-8.</summary>
    public static IReadOnlyList<string> InvalidTenantNames { get; } =
    [
        "acme\ud800",
        "acme\udc00",
        "acme\udc00\ud800",
        "\ud800",
        "ac\0me",
        "acme\n",
        new string('a', 101),
    ];

    [StoreFact]
    public virtual async Task Tenant_names_differing_only_in_invalid_UTF16_are_refused_and_valid_ones_stay_apart()
    {
        var link = await CreateAsync();
        foreach (var name in InvalidTenantNames)
        {
            link.Invoking(l => l.ForTenant(name)).Should().Throw<ArgumentException>().WithParameterName("tenant");
        }

        // Names that differ only in characters a careless encoder would fold together stay two tenants.
        string[] names = ["acme", "acme\uFFFD", "acme\U0001F600", "acme\u00E9", "acme\u0065\u0301", "ACME"];
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            await link.ForTenant(name).IngestAsync([StripeCustomer($"cus_{i}", $"p{i}@example.com", Day(2026, 1, 1)), StripeCharge($"ch_{i}", $"p{i}@example.com", Day(2026, 1, 2), 100)]);
        }

        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            var view = link.ForTenant(name);
            view.Tenant.Should().Be(name);
            var profiles = await view.GetProfilesAsync().ToListAsync();
            profiles.Should().ContainSingle(name).Which.Identities.Select(id => id.Value).Should().Equal($"p{i}@example.com");
            (await view.GetCoverageAsync())["charge"].Linked.Should().Be(1, name);
            for (var other = 0; other < names.Length; other++)
            {
                (await view.FindProfileAsync(IdentityKinds.Email, $"p{other}@example.com") is not null).Should().Be(other == i, $"tenant {i} sees only its own person, not tenant {other}'s");
            }
        }
    }

    [StoreFact]
    public virtual async Task A_tenant_accessor_that_names_an_invalid_tenant_is_refused()
    {
        var accessor = new MutableTenantAccessor();
        var store = await Fixture.CreateStoreAsync(nameof(A_tenant_accessor_that_names_an_invalid_tenant_is_refused).ToLowerInvariant() + GetType().Name.ToLowerInvariant());
        var builder = new EventLinkBuilder();
        builder.Services.AddSingleton<ITenantAccessor>(accessor);
        builder.AddSchema(Define).UseStore(_ => store);
        await using var el = builder.Build();

        accessor.CurrentTenant = "acme\ud800";
        await el.Awaiting(l => l.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1))).AsTask()).Should().ThrowAsync<ArgumentException>();
        accessor.CurrentTenant = "acme";
        (await el.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)))).Outcome.Should().Be(IngestOutcome.Created);
    }

    private sealed class MutableTenantAccessor : ITenantAccessor
    {
        public string? CurrentTenant { get; set; }
    }
}

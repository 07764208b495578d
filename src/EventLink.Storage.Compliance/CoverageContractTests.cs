using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Compliance;

/// <summary>Coverage: per record type, how much is linked, quarantined and rejected, and how many profiles it reaches.</summary>
public abstract class CoverageContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    [StoreFact]
    public virtual async Task Coverage_counts_every_record_type_of_the_seed_data()
    {
        var link = await CreateAsync();
        await link.IngestAsync(SeedData.Records());
        var coverage = await link.GetCoverageAsync();

        coverage.RecordTypes.Select(c => c.RecordType).Should().Equal(
            "charge", "contact", "conversation", "customer", "deal_stage", "email_activity", "refund", "ticket");
        coverage["charge"].Should().Be(new RecordTypeCoverage("charge", Total: 6, Linked: 5, Quarantined: 1, Rejected: 1, DistinctProfiles: 2));
        coverage["charge"].LinkedPercent.Should().Be(71.43, "5 of the 7 charges received are linked");
        coverage["customer"].Should().Be(new RecordTypeCoverage("customer", 2, 2, 0, 0, 2));
        coverage["contact"].Should().Be(new RecordTypeCoverage("contact", 2, 2, 0, 0, 2));
        coverage["ticket"].Should().Be(new RecordTypeCoverage("ticket", 2, 1, 1, 0, 1));
        coverage["deal_stage"].Should().Be(new RecordTypeCoverage("deal_stage", 1, 1, 0, 0, 1));
        coverage["refund"].Should().Be(new RecordTypeCoverage("refund", 0, 0, 0, 1, 0));
        coverage["refund"].LinkedPercent.Should().Be(0);
        coverage["deal_stage"].LinkedPercent.Should().Be(100);
    }

    [StoreFact]
    public virtual async Task Coverage_follows_merges_and_auto_links()
    {
        var link = await CreateAsync();
        await link.IngestAsync([
            ZendeskTicket("zd-1", "ada@example.com", Day(2026, 1, 1)),
            ZendeskTicket("zd-2", "bob@example.com", Day(2026, 1, 1)),
        ]);
        (await link.GetCoverageAsync())["ticket"].Should().Be(new RecordTypeCoverage("ticket", 2, 0, 2, 0, 0));

        await link.IngestAsync(HubSpotContact(1, "ada@example.com", Day(2026, 1, 2)));
        await link.IngestAsync(StripeCustomer("cus_b", "bob@example.com", Day(2026, 1, 2), userId: "u-1"));
        (await link.GetCoverageAsync())["ticket"].Should().Be(new RecordTypeCoverage("ticket", 2, 2, 0, 0, 2));

        // Bob and Ada turn out to be one person (a record carrying both identities): one profile.
        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_x","email":["bob@example.com","ada@example.com"],"created":1767571200}"""));
        (await link.GetCoverageAsync())["ticket"].Should().Be(new RecordTypeCoverage("ticket", 2, 2, 0, 0, 1));
    }

    [StoreFact]
    public virtual async Task An_empty_store_reports_every_schema_type_with_zeros()
    {
        var link = await CreateAsync();
        var coverage = await link.GetCoverageAsync();
        coverage.RecordTypes.Should().HaveCount(link.Schema.RecordTypes.Count);
        coverage.RecordTypes.Should().AllSatisfy(c => c.Total.Should().Be(0));
    }
}

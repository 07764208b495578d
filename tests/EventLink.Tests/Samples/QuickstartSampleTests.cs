using EventLink.Samples.Quickstart;
using EventLink.Samples.Quickstart.Data;

namespace EventLink.Tests.Samples;

public sealed class QuickstartSampleTests
{
    [Fact]
    public void The_same_seed_generates_the_same_deliveries_in_the_same_order()
    {
        var first = SampleData.Generate();
        var second = SampleData.Generate();

        Describe(second).Should().Equal(Describe(first));
        first.Deliveries.Should().HaveCountGreaterThan(300);
    }

    [Fact]
    public void The_data_set_contains_late_duplicate_and_broken_deliveries()
    {
        var kinds = SampleData.Generate().Deliveries.Select(d => d.Kind).ToList();

        kinds.Should().Contain([DeliveryKind.Late, DeliveryKind.Redelivery, DeliveryKind.Broken]);
    }

    [Fact]
    public async Task The_featured_customer_is_one_profile_across_every_source()
    {
        var data = SampleData.Generate();
        var builder = new EventLinkBuilder();
        builder.AddSchema(QuickstartSchema.Define).UseInMemoryStore();
        var eventLink = builder.Build();
        await using var lifetime = (IAsyncDisposable)eventLink;

        var results = await eventLink.IngestAsync(data.Deliveries.Select(d => d.Record));
        var profile = await eventLink.FindProfileAsync(IdentityKinds.Email, ChurnStory.BillingEmail);
        var sources = new HashSet<string>();
        await foreach (var e in eventLink.GetTimelineAsync(profile!.Id))
        {
            sources.Add(e.Source);
        }

        results.Count(r => r.Outcome == IngestOutcome.Rejected).Should().Be(data.Deliveries.Count(d => d.Kind == DeliveryKind.Broken));
        profile.Identities.Select(i => i.Value).Should().Contain([ChurnStory.Email, ChurnStory.BillingEmail]);
        profile["plan"].Should().Be("team");
        sources.Should().BeEquivalentTo(["stripe", "hubspot", "marketo", "intercom", "zendesk"]);
    }

    private static List<string> Describe(SampleDataSet data) =>
        data.Deliveries.Select(d => $"{d.DeliveredAt:O} {d.Kind} {d.Record.Source}/{d.Record.RecordType} {System.Text.Encoding.UTF8.GetString(d.Record.Utf8Payload.Span)}").ToList();
}

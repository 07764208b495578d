using EventLink.Presets;
using static EventLink.Tests.Presets.PresetFixtures;

namespace EventLink.Tests.Presets;

public sealed class HubSpotPresetTests
{
    [Fact]
    public void Pages_split_objects_route_by_their_properties_and_webhook_events_are_ignored()
    {
        var results = Lines("hubspot").Select(l => SourcePresets.HubSpot.Read(l)).ToList();

        results[0].Records.Select(r => r.RecordType).Should().Equal("hubspot_contact", "hubspot_contact");
        results[1].Records.Should().ContainSingle().Which.Source.Should().Be("hubspot_company", "company ids reuse contact ids");
        results[2].Records.Should().HaveCount(3).And.AllSatisfy(r => r.RecordType.Should().Be("hubspot_deal_stage"));
        results[4].Status.Should().Be(PresetReadStatus.Ignored);
        results[4].Message.Should().Contain("deal.propertyChange");
        SourcePresets.HubSpot.Read("""{"id":"1","properties":{"hs_object_id":"1"}}""").Status.Should().Be(PresetReadStatus.Unrecognized);
    }

    [Fact]
    public async Task Contacts_merge_by_id_and_email_and_deal_stages_land_on_the_contacts_timeline_in_order()
    {
        await using var link = Link(s => s.AddHubSpot());
        var results = await link.IngestAsync(Records(SourcePresets.HubSpot));
        results.Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));

        var ada = await link.FindProfileAsync(HubSpotPreset.ContactIdKind, "51");
        ada!["hubspot_lifecycle_stage"].Should().Be("customer", "the version updated on March 5 is the newer one");
        ada["first_name"].Should().Be("Ada");
        ada.Entity.Should().Be("person");
        var timeline = await TimelineAsync(link, IdentityKinds.Email, "ADA@example.com");
        timeline.Select(e => e.EventName).Should().Equal("deal stage → appointmentscheduled", "deal stage → contractsent", "deal stage → closedwon");
        timeline.Should().AllSatisfy(e => e.LinkedBy.Should().Be("contact_id"));

        var company = await link.FindProfileAsync(HubSpotPreset.DomainKind, "Example.com");
        company!.Entity.Should().Be("account");
        company["name"].Should().Be("Analytical Engines Ltd");
        company.Id.Should().NotBe(ada.Id);
    }

    [Fact]
    public async Task Reading_the_same_deal_again_or_only_its_current_stage_duplicates_nothing()
    {
        await using var link = Link(s => s.AddHubSpot());
        await link.IngestAsync(Records(SourcePresets.HubSpot));
        var current = """{"id":"9871234","properties":{"dealname":"Analytical Engines — Team plan","dealstage":"closedwon","hs_date_entered_closedwon":"2026-03-05T09:00:00.000Z","hs_lastmodifieddate":"2026-03-06T10:00:00.000Z"},"associations":{"contacts":{"results":[{"id":"51"}]}}}""";

        var again = await link.IngestAsync(SourcePresets.HubSpot.Read(Lines("hubspot")[2]).Records.Concat(SourcePresets.HubSpot.Read(current).Records).ToList());

        again.Should().HaveCount(4).And.AllSatisfy(r => r.Outcome.Should().Be(IngestOutcome.Duplicate));
    }
}

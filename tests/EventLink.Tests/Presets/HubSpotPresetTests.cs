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
        SourcePresets.HubSpot.Read("""{"id":"1","properties":{"hs_object_id":"1"}}""").Message.Should().Contain("request them in properties=");
        SourcePresets.HubSpot.Read("""{"name":"not HubSpot"}""").Status.Should().Be(PresetReadStatus.Unrecognized);
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

    [Fact]
    public void Every_collected_HubSpot_delivery_is_read_or_ignored_with_a_reason() =>
        PresetFixtureTables.ShouldProduce(SourcePresets.HubSpot, new Dictionary<string, string[]>
        {
            ["v1-contacts-page.json"] = ["hubspot_contact | 12368139980 | 2024-05-10T17:26:25.270Z | email:emailmaria@hubspot.com, hubspot_contact_id:12368139980"],
            ["v2-company.json"] = ["hubspot_company | 184896670 | 2017-08-16T08:42:34.691Z | domain:hubspot.com, hubspot_company_id:184896670"],
            ["v3-company.json"] = ["hubspot_company | 29846388244 | 2025-02-11T15:41:00.000Z | domain:hubspot.com, hubspot_company_id:29846388244"],
            ["v3-contact-history-associations.json"] = ["hubspot_contact | 98630638716 | 2023-11-07T05:31:56.000Z | email:mark.s@lumon.industries, hubspot_contact_id:98630638716"],
            ["v3-contact-plain.json"] = ["hubspot_contact | 98630638716 | 2025-02-11T15:52:10.273Z | email:mark.s@lumon.industries, hubspot_contact_id:98630638716"],
            ["v3-deal-entered-date.json"] = ["hubspot_deal_stage | 1234567890:contractsent:1574241164120 | 2019-11-20T09:12:44.120Z | hubspot_contact_id:98630638716"],
            ["v3-deal-history-associations.json"] =
            [
                "hubspot_deal_stage | 1234567890:contractsent:1574241164120 | 2019-11-20T09:12:44.120Z | hubspot_contact_id:98630638716",
                "hubspot_deal_stage | 1234567890:appointmentscheduled:1572406217883 | 2019-10-30T03:30:17.883Z | hubspot_contact_id:98630638716",
            ],
            ["v3-deal-null-stage.json"] = ["Ignored: is in no stage (dealstage is null)"],
            ["webhook-eventType.json"] = ["Ignored: HubSpot webhook event 'contact.propertyChange' carries no object; fetch the object"],
            ["webhook-subscriptionType.json"] = ["Ignored: HubSpot webhook event 'contact.creation' carries no object"],
        });

    [Fact]
    public async Task Reading_the_same_deal_after_an_unrelated_edit_adds_no_stage_event()
    {
        var files = PresetFixtureTables.Files("hubspot");
        await using var link = Link(s => s.AddHubSpot());
        await link.IngestAsync(SourcePresets.HubSpot.Read(files["v3-contact-plain.json"]).Records);
        await link.IngestAsync(SourcePresets.HubSpot.Read(files["v3-deal-history-associations.json"]).Records);
        var before = await TimelineAsync(link, HubSpotPreset.ContactIdKind, "98630638716");

        // The deal read again without its history (stage timed by hs_date_entered_contractsent), then after an edit
        // of its amount that moved hs_lastmodifieddate and updatedAt.
        var edited = files["v3-deal-entered-date.json"]
            .Replace("\"amount\":\"1500.00\"", "\"amount\":\"1750.00\"", StringComparison.Ordinal)
            .Replace("2019-12-07T16:50:06.678Z", "2020-01-15T08:00:00.000Z", StringComparison.Ordinal);
        edited.Should().Contain("1750.00");
        var again = await link.IngestAsync(SourcePresets.HubSpot.Read(files["v3-deal-entered-date.json"]).Records.Concat(SourcePresets.HubSpot.Read(edited).Records).ToList());

        again.Should().HaveCount(2).And.AllSatisfy(r => r.Outcome.Should().Be(IngestOutcome.Duplicate));
        var after = await TimelineAsync(link, HubSpotPreset.ContactIdKind, "98630638716");
        after.Select(e => e.EventName).Should().Equal(before.Select(e => e.EventName)).And.Equal("deal stage → appointmentscheduled", "deal stage → contractsent");
        SourcePresets.HubSpot.Read(edited.Replace("\"hs_date_entered_contractsent\":\"2019-11-20T09:12:44.120Z\",", string.Empty, StringComparison.Ordinal))
            .Should().Match<PresetReadResult>(r => r.Status == PresetReadStatus.Ignored && r.Message!.Contains("propertiesWithHistory=dealstage"), "a modification date never times a stage");
    }

    [Fact]
    public async Task A_contact_associated_with_a_company_is_a_member_of_its_account_and_its_deals_are_on_the_account_timeline()
    {
        var files = PresetFixtureTables.Files("hubspot");
        await using var link = Link(s => s.AddHubSpot());
        foreach (var name in new[] { "v3-contact-history-associations.json", "v3-company.json", "v3-deal-history-associations.json" })
        {
            var results = await link.IngestAsync(SourcePresets.HubSpot.Read(files[name]).Records);
            results.Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));
        }

        var account = await link.FindProfileAsync(HubSpotPreset.CompanyIdKind, "29846388244");
        var mark = await link.FindProfileAsync(IdentityKinds.Email, "mark.s@lumon.industries");
        account!.Entity.Should().Be("account");
        var members = new List<Profile>();
        await foreach (var member in link.GetAccountMembersAsync(account.Id))
        {
            members.Add(member);
        }

        members.Should().ContainSingle().Which.Id.Should().Be(mark!.Id);
        var timeline = new List<TimelineEvent>();
        await foreach (var e in link.GetAccountTimelineAsync(account.Id))
        {
            timeline.Add(e);
        }

        timeline.Select(e => e.EventName).Should().Equal("deal stage → appointmentscheduled", "deal stage → contractsent");
    }

    [Fact]
    public async Task Legacy_v1_contacts_join_their_company_through_associatedcompanyid()
    {
        var files = PresetFixtureTables.Files("hubspot");
        var contact = files["v1-contacts-page.json"].Replace("\"company\":{\"value\":\"HubSpot\"}", "\"company\":{\"value\":\"HubSpot\"},\"associatedcompanyid\":{\"value\":\"184896670\"}", StringComparison.Ordinal);
        contact.Should().Contain("associatedcompanyid");
        await using var link = Link(s => s.AddHubSpot());
        await link.IngestAsync(SourcePresets.HubSpot.Read(files["v2-company.json"]).Records.Concat(SourcePresets.HubSpot.Read(contact).Records).ToList());

        var account = await link.FindProfileAsync(HubSpotPreset.DomainKind, "hubspot.com");
        var maria = await link.FindProfileAsync(IdentityKinds.Email, "emailmaria@hubspot.com");
        maria!["first_name"].Should().Be("Maria");
        var members = new List<Guid>();
        await foreach (var member in link.GetAccountMembersAsync(account!.Id))
        {
            members.Add(member.Id);
        }

        members.Should().Equal(maria.Id);
    }
}

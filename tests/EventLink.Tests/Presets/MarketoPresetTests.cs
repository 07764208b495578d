using EventLink.Presets;
using static EventLink.Tests.Presets.PresetFixtures;

namespace EventLink.Tests.Presets;

public sealed class MarketoPresetTests
{
    [Fact]
    public async Task Activities_link_through_the_lead_id_and_standard_types_get_their_names()
    {
        await using var link = Link(s => s.AddMarketo());
        var results = await link.IngestAsync(Records(SourcePresets.Marketo));

        results.Select(r => r.Outcome).Should().Equal(IngestOutcome.Created, IngestOutcome.Linked, IngestOutcome.Linked, IngestOutcome.Quarantined);
        var timeline = await TimelineAsync(link, IdentityKinds.Email, "ada@example.com");
        timeline.Select(e => e.EventName).Should().Equal("Open Email", "Fill Out Form");
        timeline[0].Payload.GetProperty("primaryAttributeValue").GetString().Should().Be("March Release Webinar.Invite");
        (await link.FindProfileAsync(MarketoPreset.LeadIdKind, "318581"))!["company"].Should().Be("Analytical Engines Ltd");
    }

    [Fact]
    public void Every_collected_Marketo_delivery_is_read_or_ignored_with_a_reason() =>
        PresetFixtureTables.ShouldProduce(SourcePresets.Marketo, new Dictionary<string, string[]>
        {
            // No marketoGUID (older responses): the activity's own id; "+0000" is UTC.
            ["activities-without-guid.json"] = ["marketo_activity | 2 | 2013-09-26T06:56:35.000Z | marketo_lead_id:6"],
            ["deleted-leads.json"] = ["marketo_activity | 2135 | 2013-12-13T04:23:26.000Z | marketo_lead_id:6"],
            ["leads.json"] =
            [
                "marketo_lead | 6 | 2013-09-26T06:56:35.000Z | email:john.smith@example.com, marketo_lead_id:6",
                "marketo_lead | 7 | 2013-10-01T12:00:00.000Z | email:jsmith@example.com, marketo_lead_id:7",
            ],
            ["merge-leads.json"] =
            [
                "marketo_activity | 1102 | 2017-07-20T17:46:31.000Z | marketo_lead_id:6",
                "marketo_lead_merge | 1102:7 | 2017-07-20T17:46:31.000Z | marketo_lead_id:6, marketo_lead_id:7",
            ],
        });

    [Fact]
    public async Task Deleted_and_merged_leads_are_named_and_a_merge_makes_the_two_leads_one_profile()
    {
        var files = PresetFixtureTables.Files("marketo");
        await using var link = Link(s => s.AddMarketo());
        await link.IngestAsync(SourcePresets.Marketo.Read(files["leads.json"]).Records);
        (await link.FindProfileAsync(MarketoPreset.LeadIdKind, "7"))!.Id.Should().NotBe((await link.FindProfileAsync(MarketoPreset.LeadIdKind, "6"))!.Id);

        foreach (var name in new[] { "activities-without-guid.json", "merge-leads.json", "deleted-leads.json" })
        {
            (await link.IngestAsync(SourcePresets.Marketo.Read(files[name]).Records)).Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));
        }

        var survivor = await link.FindProfileAsync(MarketoPreset.LeadIdKind, "6");
        (await link.FindProfileAsync(MarketoPreset.LeadIdKind, "7"))!.Id.Should().Be(survivor!.Id, "Marketo merged lead 7 into lead 6");
        (await link.FindProfileAsync(IdentityKinds.Email, "jsmith@example.com"))!.Id.Should().Be(survivor.Id);
        (await TimelineAsync(link, MarketoPreset.LeadIdKind, "6")).Select(e => e.EventName)
            .Should().Equal("New Lead", "Delete Lead", "Merge Leads", "lead 7 merged into 6");
    }
}

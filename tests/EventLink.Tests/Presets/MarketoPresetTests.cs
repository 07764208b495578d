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
}

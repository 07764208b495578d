using EventLink.Presets;
using static EventLink.Tests.Presets.PresetFixtures;

namespace EventLink.Tests.Presets;

public sealed class ZendeskPresetTests
{
    [Fact]
    public async Task Ticket_events_link_through_the_requester_and_wait_in_quarantine_until_the_user_arrives()
    {
        var reads = Lines("zendesk").Select(l => SourcePresets.Zendesk.Read(l)).ToList();
        reads[3].Status.Should().Be(PresetReadStatus.Ignored, "organizations are not kept");
        await using var link = Link(s => s.AddZendesk());

        var tickets = await link.IngestAsync(reads[1].Records.Concat(reads[2].Records).ToList());
        tickets.Should().AllSatisfy(r => r.Outcome.Should().Be(IngestOutcome.Quarantined));
        await link.IngestAsync(reads[0].Records);

        var timeline = await TimelineAsync(link, ZendeskPreset.UserIdKind, "19283746501");
        timeline.Select(e => e.EventName).Should().Equal("zen:event-type:ticket.created", "zen:event-type:ticket.status_changed");
        timeline.Should().AllSatisfy(e => e.LinkedBy.Should().Be("detail.requester_id"));
        (await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com"))!["zendesk_role"].Should().Be("end-user");
    }

    [Fact]
    public void Events_that_are_not_Zendesks_are_unrecognized()
    {
        SourcePresets.Zendesk.Read("""{"ticket":{"id":1}}""").Status.Should().Be(PresetReadStatus.Unrecognized);
        SourcePresets.Zendesk.Read("not json").Status.Should().Be(PresetReadStatus.Unrecognized);
    }
}

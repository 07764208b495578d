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
        SourcePresets.Zendesk.Read("""{"ticket":{"id":1}}""").Message.Should().Contain("cannot be placed in time", "an API ticket without times is the tool's, but not usable");
        SourcePresets.Zendesk.Read("""{"id":1,"name":"not Zendesk"}""").Status.Should().Be(PresetReadStatus.Unrecognized);
        SourcePresets.Zendesk.Read("not json").Status.Should().Be(PresetReadStatus.Unrecognized);
    }

    [Fact]
    public void Every_collected_Zendesk_delivery_is_read_or_ignored_with_a_reason() =>
        PresetFixtureTables.ShouldProduce(SourcePresets.Zendesk, new Dictionary<string, string[]>
        {
            ["api-organizations-incremental.json"] = ["Ignored: Zendesk organizations are not kept"],
            ["api-ticket.json"] =
            [
                "zendesk_ticket | ticket:35436:created | 2009-07-20T22:55:29.000Z | zendesk_user_id:20978392",
                "zendesk_ticket | ticket:35436:2011-05-05T10:38:52.000Z | 2011-05-05T10:38:52.000Z | zendesk_user_id:20978392",
            ],
            ["api-tickets-incremental.json"] =
            [
                "zendesk_ticket | ticket:35436:created | 2009-07-20T22:55:29.000Z | zendesk_user_id:20978392",
                "zendesk_ticket | ticket:35436:2011-05-05T10:38:52.000Z | 2011-05-05T10:38:52.000Z | zendesk_user_id:20978392",
            ],
            ["api-tickets-view.json"] = ["Ignored: cannot be placed in time; fetch it whole (GET /api/v2/tickets/{id})"],

            // external_id is Zendesk's own kind unless the application says it holds its user id.
            ["api-user.json"] = ["zendesk_user | 35436 | 2011-05-05T10:38:52.000Z | email:johnny@example.com, zendesk_external_id:sai989sur98w9, zendesk_user_id:35436"],
            ["api-users-incremental.json"] = ["zendesk_user | 35436 | 2011-05-05T10:38:52.000Z | email:johnny@example.com, zendesk_external_id:sai989sur98w9, zendesk_user_id:35436"],
            ["webhook-user-created.json"] = ["zendesk_user | 6596848315901 | 2025-01-08T05:33:18.000Z | email:user@example.com, zendesk_user_id:6596848315901"],
        });

    [Fact]
    public void External_ids_are_user_ids_only_when_the_application_says_so()
    {
        var files = PresetFixtureTables.Files("zendesk");
        var options = SourcePresets.Zendesk.CreateOptions(o => o.ExternalIdIsUserId = true);
        var schema = SourcePresets.Zendesk.Apply(new SchemaBuilder(), options).Build();

        PresetFixtureTables.Describe(schema, SourcePresets.Zendesk.Read(files["api-user.json"], options).Records.Single())
            .Should().EndWith("email:johnny@example.com, user_id:sai989sur98w9, zendesk_user_id:35436");
    }

    [Fact]
    public async Task A_user_read_from_an_export_and_tickets_from_the_API_share_one_profile_and_replays_add_nothing()
    {
        var files = PresetFixtureTables.Files("zendesk");
        await using var link = Link(s => s.AddZendesk());
        var tickets = files["api-tickets-incremental.json"].Replace("20978392", "35436", StringComparison.Ordinal);
        await link.IngestAsync(SourcePresets.Zendesk.Read(files["api-users-incremental.json"]).Records);
        (await link.IngestAsync(SourcePresets.Zendesk.Read(tickets).Records)).Should().AllSatisfy(r => r.Outcome.Should().Be(IngestOutcome.Linked));
        var again = await link.IngestAsync(SourcePresets.Zendesk.Read(files["api-user.json"]).Records.Concat(SourcePresets.Zendesk.Read(tickets.Replace("\"count\":2", "\"count\":1", StringComparison.Ordinal)).Records).ToList());

        again.Should().AllSatisfy(r => r.Outcome.Should().BeOneOf(IngestOutcome.Duplicate, IngestOutcome.Stale));
        (await TimelineAsync(link, IdentityKinds.Email, "johnny@example.com")).Select(e => e.EventName).Should().Equal("zendesk:api:ticket.created", "zendesk:api:ticket.open");
        (await link.FindProfileAsync(ZendeskPreset.ExternalIdKind, "sai989sur98w9"))!["zendesk_role"].Should().Be("agent");
    }
}

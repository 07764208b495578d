using EventLink.Presets;
using static EventLink.Tests.Presets.PresetFixtures;

namespace EventLink.Tests.Presets;

public sealed class IntercomPresetTests
{
    [Fact]
    public async Task Conversation_notifications_link_to_the_contact_and_pings_are_ignored()
    {
        var reads = Lines("intercom").Select(l => SourcePresets.Intercom.Read(l)).ToList();
        reads[3].Status.Should().Be(PresetReadStatus.Ignored);

        await using var link = Link(s => s.AddIntercom());
        await link.IngestAsync(reads.SelectMany(r => r.Records).ToList());

        var ada = await link.FindProfileAsync(IntercomPreset.ExternalIdKind, "u_1001");
        ada!["name"].Should().Be("Ada Lovelace");
        ada.Identities.Select(i => i.Kind).Should().BeEquivalentTo([IdentityKinds.Email, IntercomPreset.ExternalIdKind, IntercomPreset.ContactIdKind]);
        var timeline = await TimelineAsync(link, IdentityKinds.Email, "ada@example.com");
        timeline.Select(e => e.EventName).Should().Equal("conversation.user.created", "conversation.admin.closed");
        timeline.Should().AllSatisfy(e => e.LinkedBy.Should().Be("data.item.contacts.contacts[0].id"));
    }

    [Fact]
    public async Task A_conversation_from_an_unknown_contact_links_by_author_email_to_a_profile_from_another_tool()
    {
        await using var link = Link(s => s.AddIntercom().AddStripe());
        await link.IngestAsync(SourcePresets.Stripe.Read(Lines("stripe")[0]).Records);
        await link.IngestAsync(SourcePresets.Intercom.Read(Lines("intercom")[1]).Records);

        var timeline = await TimelineAsync(link, StripePreset.CustomerIdKind, "cus_Rb8mQ2xV1aLd9K");
        timeline.Should().ContainSingle().Which.LinkedBy.Should().Be("data.item.source.author.email", "the Stripe customer has no Intercom id nor user id");
    }
}

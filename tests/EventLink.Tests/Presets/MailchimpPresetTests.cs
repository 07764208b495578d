using EventLink.Presets;
using static EventLink.Tests.Presets.PresetFixtures;

namespace EventLink.Tests.Presets;

public sealed class MailchimpPresetTests
{
    [Fact]
    public async Task Report_activity_becomes_one_event_per_open_click_or_bounce_linked_by_subscriber_email()
    {
        await using var link = Link(s => s.AddMailchimp());
        var results = await link.IngestAsync(Records(SourcePresets.Mailchimp));

        results.Select(r => (r.RecordType, r.Outcome)).Should().Equal(
            ("mailchimp_member", IngestOutcome.Created),
            ("mailchimp_email_activity", IngestOutcome.Linked),
            ("mailchimp_email_activity", IngestOutcome.Linked),
            ("mailchimp_email_activity", IngestOutcome.Quarantined));
        var timeline = await TimelineAsync(link, IdentityKinds.Email, "ada@example.com");
        timeline.Select(e => e.EventName).Should().Equal("email open", "email click");
        timeline[1].Payload.GetProperty("url").GetString().Should().Be("https://example.com/blog/march-release");
        (await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com"))!["mailchimp_status"].Should().Be("subscribed");
    }

    [Fact]
    public async Task Reading_a_report_again_duplicates_nothing()
    {
        await using var link = Link(s => s.AddMailchimp());
        await link.IngestAsync(Records(SourcePresets.Mailchimp));

        var again = await link.IngestAsync(Records(SourcePresets.Mailchimp));

        again.Should().AllSatisfy(r => r.Outcome.Should().Be(IngestOutcome.Duplicate));
        SourcePresets.Mailchimp.Read(Lines("mailchimp")[1]).Message.Should().Contain("grace@example.com", "an empty activity list is reported");
    }
}

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

    [Fact]
    public void Every_collected_Mailchimp_delivery_is_read_or_ignored_with_a_reason() =>
        PresetFixtureTables.ShouldProduce(SourcePresets.Mailchimp, new Dictionary<string, string[]>
        {
            ["member-activity.json"] =
            [
                "mailchimp_email_activity | 42694e9e57:852aaa9532cb36adfb5e9fef7a4206a9:open:1442394723000 | 2015-09-16T09:12:03.000Z | mailchimp_member_id:852aaa9532cb36adfb5e9fef7a4206a9",
                "mailchimp_email_activity | 42694e9e57:852aaa9532cb36adfb5e9fef7a4206a9:click:1442394820000 | 2015-09-16T09:13:40.000Z | mailchimp_member_id:852aaa9532cb36adfb5e9fef7a4206a9",
            ],

            // last_changed "2015-09-15 17:27:16" has no offset: Mailchimp means UTC.
            ["member-offsetless.json"] = ["mailchimp_member | 852aaa9532cb36adfb5e9fef7a4206a9 | 2015-09-15T17:27:16.000Z | email:urist.mcvankab+1@freddiesjokes.co, mailchimp_member_id:852aaa9532cb36adfb5e9fef7a4206a9"],
            ["webhook-campaign.form"] = ["Ignored: names no person"],
            ["webhook-cleaned.form"] =
            [
                "mailchimp_member | 6ed3fc5c7e6e22ed59363f3633342759 | 2009-03-26T22:01:00.000Z | email:api+cleaned@mailchimp.com, mailchimp_member_id:6ed3fc5c7e6e22ed59363f3633342759",
                "mailchimp_email_activity | a6b5da1054:6ed3fc5c7e6e22ed59363f3633342759:cleaned:1238104860000 | 2009-03-26T22:01:00.000Z | email:api+cleaned@mailchimp.com, mailchimp_member_id:6ed3fc5c7e6e22ed59363f3633342759",
            ],
            ["webhook-profile.form"] =
            [
                "mailchimp_member | 6def22f266be37015519943ce0c3ae6b | 2009-03-26T21:31:21.000Z | email:api@mailchimp.com, mailchimp_member_id:6def22f266be37015519943ce0c3ae6b",
                "mailchimp_email_activity | a6b5da1054:6def22f266be37015519943ce0c3ae6b:profile:1238103081000 | 2009-03-26T21:31:21.000Z | email:api@mailchimp.com, mailchimp_member_id:6def22f266be37015519943ce0c3ae6b",
            ],
            ["webhook-subscribe.form"] =
            [
                "mailchimp_member | 6def22f266be37015519943ce0c3ae6b | 2009-03-26T21:35:57.000Z | email:api@mailchimp.com, mailchimp_member_id:6def22f266be37015519943ce0c3ae6b",
                "mailchimp_email_activity | a6b5da1054:6def22f266be37015519943ce0c3ae6b:subscribe:1238103357000 | 2009-03-26T21:35:57.000Z | email:api@mailchimp.com, mailchimp_member_id:6def22f266be37015519943ce0c3ae6b",
            ],
            ["webhook-unsubscribe.form"] =
            [
                "mailchimp_member | 0223b07eff35384a5ee66de38d962c8e | 2009-03-26T21:40:57.000Z | email:api+unsub@mailchimp.com, mailchimp_member_id:0223b07eff35384a5ee66de38d962c8e",
                "mailchimp_email_activity | a6b5da1054:0223b07eff35384a5ee66de38d962c8e:unsubscribe:1238103657000 | 2009-03-26T21:40:57.000Z | email:api+unsub@mailchimp.com, mailchimp_member_id:0223b07eff35384a5ee66de38d962c8e",
            ],

            // The member is known by the new address from now on and keeps the old one.
            ["webhook-upemail.form"] =
            [
                "mailchimp_member | 18ce4518f4c354bdf763b3ff18584bc9 | 2009-03-26T22:15:09.000Z | email:api+new@mailchimp.com, email:api+old@mailchimp.com, mailchimp_member_id:18ce4518f4c354bdf763b3ff18584bc9",
                "mailchimp_email_activity | a6b5da1054:18ce4518f4c354bdf763b3ff18584bc9:upemail:1238105709000 | 2009-03-26T22:15:09.000Z | email:api+new@mailchimp.com, mailchimp_member_id:18ce4518f4c354bdf763b3ff18584bc9",
            ],
        });

    [Fact]
    public async Task An_unsubscribe_webhook_revokes_marketing_consent_and_syncs_for_marketing_stop_sending_to_that_person()
    {
        var files = PresetFixtureTables.Files("mailchimp");
        var newsletter = new Collecting();
        await using var link = new EventLinkBuilder()
            .AddSchema(s => s.AddMailchimp())
            .AddDestination("newsletter", _ => newsletter)
            .AddSync("newsletter", s =>
            {
                s.Destination = "newsletter";
                s.Send = SyncContent.Both;
                s.Purpose = "marketing";
            })
            .ConfigurePrivacy(p => p.ConsentFields["mailchimp_member"] = "consent")
            .Build();

        // Subscribed: the member and the "list subscribe" activity go out.
        await link.IngestAsync(SourcePresets.Mailchimp.Read(files["webhook-subscribe.form"]).Records);
        (await link.RunSyncOnceAsync("newsletter")).Delivered.Should().Be(2);

        // Mailchimp's unsubscribe webhook for the same address (the documented sample names api+unsub@; here api@).
        var unsubscribe = files["webhook-unsubscribe.form"].Replace("api%2Bunsub%40mailchimp.com", "api%40mailchimp.com", StringComparison.Ordinal);
        unsubscribe.Should().NotContain("unsub%40");
        (await link.IngestAsync(SourcePresets.Mailchimp.Read(unsubscribe).Records)).Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));
        var later = SourcePresets.Mailchimp.Read("""{"emails":[{"campaign_id":"42694e9e57","list_id":"a6b5da1054","email_address":"api@mailchimp.com","activity":[{"action":"open","timestamp":"2009-03-27T08:00:00+00:00"}]}]}""");
        await link.IngestAsync(later.Records);

        var run = await link.RunSyncOnceAsync("newsletter");
        run.Delivered.Should().Be(0, "after the unsubscribe nothing of this person goes to a marketing sync");
        run.Withheld.Should().Be(3, "the member's new version, the unsubscribe activity and the later open are withheld");
        newsletter.Received.Should().HaveCount(2);
        (await link.FindProfileAsync(IdentityKinds.Email, "api@mailchimp.com"))!["mailchimp_status"].Should().Be("unsubscribed");
    }

    [Fact]
    public async Task An_email_change_keeps_both_addresses_on_one_profile_and_the_new_one_as_email()
    {
        var files = PresetFixtureTables.Files("mailchimp");
        await using var link = Link(s => s.AddMailchimp());
        var subscribed = files["webhook-subscribe.form"].Replace("api%40mailchimp.com", "api%2Bold%40mailchimp.com", StringComparison.Ordinal);
        await link.IngestAsync(SourcePresets.Mailchimp.Read(subscribed).Records);
        await link.IngestAsync(SourcePresets.Mailchimp.Read(files["webhook-upemail.form"]).Records);

        var byOld = await link.FindProfileAsync(IdentityKinds.Email, "api+old@mailchimp.com");
        var byNew = await link.FindProfileAsync(IdentityKinds.Email, "api+new@mailchimp.com");
        byNew!.Id.Should().Be(byOld!.Id);
        byNew["email"].Should().Be("api+new@mailchimp.com");
        (await TimelineAsync(link, IdentityKinds.Email, "api+new@mailchimp.com")).Select(e => e.EventName).Should().Equal("list subscribe", "list upemail");
    }

    private sealed class Collecting : IEventLinkDestination
    {
        public List<DestinationMessage> Received { get; } = [];

        public ValueTask<DeliveryResult> DeliverAsync(DestinationMessage message, CancellationToken cancellationToken = default)
        {
            Received.Add(message);
            return ValueTask.FromResult(DeliveryResult.Success);
        }
    }
}

using EventLink.Presets;
using static EventLink.Tests.Presets.PresetFixtures;

namespace EventLink.Tests.Presets;

public sealed class SegmentPresetTests
{
    private static readonly string[] KatherineTimeline =
    [
        "Pricing", "Signup Started", "Signed Up", "Dashboard", "Report Created", "Report Shared", "Plan Upgraded",
    ];

    [Fact]
    public void Each_message_goes_to_the_record_type_of_its_type_and_a_batch_is_split()
    {
        var reads = Lines("segment").Select(l => SourcePresets.Segment.Read(l)).ToList();

        reads.Should().AllSatisfy(r => r.Status.Should().Be(PresetReadStatus.Read, r.Message));
        reads.SelectMany(r => r.Records).Select(r => r.RecordType).Should().Equal(
            "segment.page", "segment.track", "segment.identify", "segment.track", "segment.group", "segment.screen",
            "segment.track", "segment.alias", "segment.track", "segment.track", "segment.identify");
        reads.SelectMany(r => r.Records).Should().AllSatisfy(r => r.Source.Should().Be("segment"));

        using var batched = System.Text.Json.JsonDocument.Parse(reads[8].Records[0].Utf8Payload);
        batched.RootElement.GetProperty("sentAt").GetString().Should().Be("2026-03-12T09:20:02.500Z", "the batch's sentAt is given to each message");
    }

    [Fact]
    public void Messages_of_no_known_type_are_unrecognized_and_ones_without_an_id_or_time_say_what_to_give()
    {
        SourcePresets.Segment.Read("""{"type":"purchase","messageId":"m1"}""").Should().Match<PresetReadResult>(r =>
            r.Status == PresetReadStatus.Unrecognized && r.Message!.Contains("'purchase' is not one of identify, track, page, screen, alias, group"));
        SourcePresets.Segment.Read("""{"type":"track","event":"Signed Up","userId":"u1"}""").Should().Match<PresetReadResult>(r =>
            r.Status == PresetReadStatus.Ignored && r.Message!.Contains("has no time"));
        SourcePresets.Segment.Read("""{"type":"track","event":"Signed Up","userId":"u1","timestamp":"2026-03-01T10:00:00Z"}""").Status
            .Should().Be(PresetReadStatus.Read, "messageId is optional: a hash of the message stands in");
        SourcePresets.Segment.Read("""{"event":"Signed Up"}""").Status.Should().Be(PresetReadStatus.Unrecognized, "nobody is named: not a Segment message");
        SourcePresets.Segment.Read("""{"batch":[]}""").Status.Should().Be(PresetReadStatus.Ignored);
        SourcePresets.Segment.Read("""{"batch":[{"userId":"u1","event":"Signed Up","timestamp":"2026-03-01T10:00:00Z"}]}""", new PresetDelivery { Call = "batch" })
            .Message.Should().Contain("each must name its type");
    }

    [Fact]
    public async Task Anonymous_pages_aliased_ids_and_a_device_with_a_fast_clock_end_on_one_timeline_in_true_order()
    {
        await using var link = Link(s => s.AddSegment());
        var results = await link.IngestAsync(Records(SourcePresets.Segment));
        results.Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));

        var katherine = await link.FindProfileAsync(IdentityKinds.Email, "katherine@orbital.example.com");
        foreach (var anonymousId in new[] { "3f2c9a5e-8d41-4b7a-9c06-1e5f7a2b8d90", "B7E3C1D2-4F5A-4B6C-8D7E-9F0A1B2C3D4E", "legacy-anon-5521" })
        {
            (await link.FindProfileAsync(IdentityKinds.AnonymousId, anonymousId))!.Id.Should().Be(katherine!.Id, anonymousId);
        }

        katherine!["name"].Should().Be("Katherine Johnson");
        katherine["plan"].Should().Be("team", "the newer identify in the batch wins");
        var timeline = await TimelineAsync(link, IdentityKinds.UserId, "usr_7731");
        timeline.Select(e => e.EventName).Should().Equal(KatherineTimeline);

        // The iOS clock ran two hours fast: receivedAt − (sentAt − originalTimestamp), not originalTimestamp.
        timeline.Single(e => e.EventName == "Dashboard").OccurredAt.Should().Be(new DateTimeOffset(2026, 3, 11, 13, 30, 1, 250, TimeSpan.Zero));
    }

    [Fact]
    public async Task A_group_call_makes_an_account_whose_timeline_holds_its_members_events()
    {
        await using var link = Link(s => s.AddSegment());
        await link.IngestAsync(Records(SourcePresets.Segment));

        var account = await link.FindProfileAsync(SegmentSchemaBuilderExtensions.GroupIdKind, "grp_langley");
        account!.Entity.Should().Be("account");
        account["name"].Should().Be("Langley Research Center");
        var members = new List<Profile>();
        await foreach (var member in link.GetAccountMembersAsync(account.Id))
        {
            members.Add(member);
        }

        members.Select(m => m["name"]).Should().Equal("Katherine Johnson");
        var events = new List<string?>();
        await foreach (var e in link.GetAccountTimelineAsync(account.Id))
        {
            events.Add(e.EventName);
        }

        events.Should().Equal(KatherineTimeline);
    }

    [Fact]
    public void The_preset_and_AddSegment_declare_the_same_schema_and_a_prefix_renames_every_type()
    {
        var viaPreset = SourcePresets.Segment.Apply(new SchemaBuilder()).Build();
        var viaExtension = new SchemaBuilder().AddSegment().Build();
        viaPreset.RecordTypes.Keys.Should().BeEquivalentTo(viaExtension.RecordTypes.Keys);
        viaExtension.IdentityKinds[SegmentSchemaBuilderExtensions.GroupIdKind].Priority.Should().Be(1);

        var renamed = new SchemaBuilder().AddSegment("rudderstack.").Build();
        renamed.RecordTypes.Keys.Should().BeEquivalentTo(
            ["rudderstack.identify", "rudderstack.track", "rudderstack.page", "rudderstack.screen", "rudderstack.alias", "rudderstack.group"]);
        renamed.RecordTypes["rudderstack.track"].Relations.Select(r => r.TargetName).Should().AllBe("rudderstack.identify");
    }
}

using EventLink.Presets;

namespace EventLink.Storage.Compliance;

/// <summary>
/// The Segment preset end to end on every store: anonymous pages, an identify, an alias, a batch and a device whose
/// clock runs fast give one person one timeline in true order, the group call an account with that person as member,
/// and neither redelivery nor arrival order changes the result.
/// </summary>
public abstract class SegmentPresetContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    private const string UserId = "usr_7731";

    private static readonly string[] KatherineTimeline =
    [
        "Pricing", "Signup Started", "Signed Up", "Dashboard", "Report Created", "Report Shared", "Plan Upgraded",
    ];

    [StoreFact]
    public virtual async Task Anonymous_aliased_and_identified_messages_make_one_profile_and_one_timeline()
    {
        var link = await CreateAsync(s => s.AddSegment());
        var results = await link.IngestAsync(Records());
        results.Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));

        var katherine = await link.FindProfileAsync(IdentityKinds.UserId, UserId);
        foreach (var (kind, value) in new[]
        {
            (IdentityKinds.Email, "katherine@orbital.example.com"), (IdentityKinds.AnonymousId, "3f2c9a5e-8d41-4b7a-9c06-1e5f7a2b8d90"),
            (IdentityKinds.AnonymousId, "B7E3C1D2-4F5A-4B6C-8D7E-9F0A1B2C3D4E"), (IdentityKinds.AnonymousId, "legacy-anon-5521"),
        })
        {
            (await link.FindProfileAsync(kind, value))!.Id.Should().Be(katherine!.Id, $"{kind} {value} is Katherine's");
        }

        katherine!.GetAttribute("plan").Should().Match<ProfileAttribute>(a => a.AsString() == "team" && a.Source == "segment");
        var timeline = await Timeline(link.GetTimelineAsync(katherine.Id));
        timeline.Select(e => e.EventName).Should().Equal(KatherineTimeline);
        timeline.Single(e => e.EventName == "Dashboard").OccurredAt.Should().Be(new DateTimeOffset(2026, 3, 11, 13, 30, 1, 250, TimeSpan.Zero));

        var coverage = await link.GetCoverageAsync();
        coverage["segment.track"].Should().Be(new RecordTypeCoverage("segment.track", 5, 5, 0, 0, 1));
    }

    [StoreFact]
    [RequiresCapability(StoreCapabilities.IdentityGraph)]
    public virtual async Task The_group_is_an_account_whose_timeline_holds_its_member()
    {
        var link = await CreateAsync(s => s.AddSegment());
        await link.IngestAsync(Records());

        var account = await link.FindProfileAsync(SegmentSchemaBuilderExtensions.GroupIdKind, "grp_langley");
        account!.Entity.Should().Be("account");
        account["industry"].Should().Be("Aerospace");
        var members = new List<Guid>();
        await foreach (var member in link.GetAccountMembersAsync(account.Id))
        {
            members.Add(member.Id);
        }

        members.Should().Equal((await link.FindProfileAsync(IdentityKinds.UserId, UserId))!.Id);
        (await Timeline(link.GetAccountTimelineAsync(account.Id))).Select(e => e.EventName).Should().Equal(KatherineTimeline);
    }

    [StoreFact]
    public virtual async Task Redelivered_and_reversed_messages_give_the_same_profile_and_timeline()
    {
        var link = await CreateAsync(s => s.AddSegment());
        var records = Records();
        for (var i = records.Count - 1; i >= 0; i--)
        {
            await link.IngestAsync(records[i]);
        }

        var again = await link.IngestAsync(records);
        again.Should().AllSatisfy(r => r.Outcome.Should().BeOneOf([IngestOutcome.Duplicate, IngestOutcome.Stale], r.ToString()));

        var katherine = await link.FindProfileAsync(IdentityKinds.AnonymousId, "3f2c9a5e-8d41-4b7a-9c06-1e5f7a2b8d90");
        katherine!["name"].Should().Be("Katherine Johnson");
        katherine["plan"].Should().Be("team");
        (await Timeline(link.GetTimelineAsync(katherine.Id))).Select(e => e.EventName).Should().Equal(KatherineTimeline);
    }

    private static List<IngestRecord> Records() =>
    [
        .. PresetFixtureFiles.Lines(SourcePresets.Segment).SelectMany(line => SourcePresets.Segment.Read(line).Records),
    ];

    private static async Task<List<TimelineEvent>> Timeline(IAsyncEnumerable<TimelineEvent> events)
    {
        var list = new List<TimelineEvent>();
        await foreach (var e in events)
        {
            list.Add(e);
        }

        return list;
    }
}

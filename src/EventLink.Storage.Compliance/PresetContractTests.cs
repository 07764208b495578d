using EventLink.Presets;

namespace EventLink.Storage.Compliance;

/// <summary>
/// The source presets end to end on every store: the vendor fixtures of all seven presets, ingested together, give
/// one person a single profile and one cross-tool timeline, replays change nothing, and arrival order does not matter.
/// </summary>
public abstract class PresetContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    private static readonly string[] AdaTimeline =
    [
        "stripe customer.subscription.created", "hubspot deal stage → appointmentscheduled", "stripe charge.succeeded",
        "stripe invoice.paid", "posthog $pageview", "posthog $identify", "posthog report exported",
        "hubspot deal stage → contractsent", "posthog $pageview", "intercom conversation.user.created",
        "intercom conversation.admin.closed", "zendesk zen:event-type:ticket.created", "hubspot deal stage → closedwon",
        "mailchimp email open", "mailchimp email click", "marketo Open Email", "marketo Fill Out Form",
        "stripe charge.refunded", "zendesk zen:event-type:ticket.status_changed",
    ];

    private static void AllPresets(SchemaBuilder schema) =>
        schema.AddStripe().AddHubSpot().AddIntercom().AddZendesk().AddPostHog().AddMailchimp().AddMarketo().AddSegment();

    [StoreFact]
    public virtual async Task Every_tool_of_one_person_makes_one_profile_and_one_timeline()
    {
        var link = await CreateAsync(AllPresets);
        var results = await link.IngestAsync(PresetFixtureFiles.AllRecords());
        results.Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));

        var ada = await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com");
        foreach (var (kind, value) in new[]
        {
            ("stripe_customer_id", "cus_Rb8mQ2xV1aLd9K"), ("hubspot_contact_id", "51"), ("intercom_contact_id", "65f1c3a2b7e4d10001a2b3c4"),
            ("zendesk_user_id", "19283746501"), ("posthog_distinct_id", "u_1001"), ("marketo_lead_id", "318581"),
            ("zendesk_external_id", "u_1001"), ("intercom_external_id", "u_1001"),
        })
        {
            (await link.FindProfileAsync(kind, value))!.Id.Should().Be(ada!.Id, $"{kind} {value} is Ada's");
        }

        ada!.GetAttribute("name").Should().Match<ProfileAttribute>(a => a.AsString() == "Ada King" && a.Source == "stripe");
        ada.GetAttribute("hubspot_lifecycle_stage")!.AsString().Should().Be("customer");
        ada.GetAttribute("mailchimp_status")!.Source.Should().Be("mailchimp");
        (await Timeline(link, ada.Id)).Should().Equal(AdaTimeline);

        var grace = await link.FindProfileAsync(IdentityKinds.Email, "grace@example.com");
        (await Timeline(link, grace!.Id)).Should().Equal("stripe charge.succeeded");
        var company = await link.FindProfileAsync("domain", "example.com");
        company!.Entity.Should().Be("account");

        var coverage = await link.GetCoverageAsync();
        coverage["mailchimp_email_activity"].Should().Be(new RecordTypeCoverage("mailchimp_email_activity", 3, 2, 1, 0, 1));
        coverage["marketo_activity"].Should().Be(new RecordTypeCoverage("marketo_activity", 3, 2, 1, 0, 1));
        coverage["stripe_charge"].Should().Be(new RecordTypeCoverage("stripe_charge", 3, 3, 0, 0, 2));
        coverage["hubspot_deal_stage"].Should().Be(new RecordTypeCoverage("hubspot_deal_stage", 3, 3, 0, 0, 1));
    }

    [StoreFact]
    public virtual async Task Reading_every_delivery_again_changes_nothing()
    {
        var link = await CreateAsync(AllPresets);
        await link.IngestAsync(PresetFixtureFiles.AllRecords());
        var before = await Snapshot(link);

        var again = await link.IngestAsync(PresetFixtureFiles.AllRecords());

        again.Should().AllSatisfy(r => r.Outcome.Should().BeOneOf([IngestOutcome.Duplicate, IngestOutcome.Stale], r.ToString()));
        (await Snapshot(link)).Should().Be(before);
    }

    [StoreFact]
    public virtual async Task Tools_arriving_in_reverse_order_give_the_same_profile_and_timeline()
    {
        var link = await CreateAsync(AllPresets);
        var records = PresetFixtureFiles.AllRecords();
        for (var i = records.Count - 1; i >= 0; i--)
        {
            await link.IngestAsync(records[i]);
        }

        var ada = await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com");
        ada!["name"].Should().Be("Ada King");
        (await Timeline(link, ada.Id)).Should().Equal(AdaTimeline);
    }

    private static async Task<List<string>> Timeline(IEventLink link, Guid profileId)
    {
        var names = new List<string>();
        await foreach (var e in link.GetTimelineAsync(profileId))
        {
            names.Add($"{e.Source} {e.EventName}");
        }

        return names;
    }

    private static async Task<string> Snapshot(IEventLink link)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var profile in link.GetProfilesAsync())
        {
            text.AppendLine(string.Join(",", profile.Identities.Select(i => i.Key.ToString())));
            text.AppendLine(string.Join(",", profile.Attributes.Select(a => $"{a.Name}={a.ValueJson}@{a.Source}")));
            text.AppendLine(string.Join(",", await Timeline(link, profile.Id)));
        }

        text.AppendLine(string.Join(",", (await link.GetCoverageAsync()).RecordTypes));
        return text.ToString();
    }
}

/// <summary>
/// The vendor fixtures of <c>tests/Fixtures/presets</c>, read with their presets. They are embedded in this assembly
/// so the suites run wherever the package is referenced, not only inside the EventLink repository.
/// </summary>
internal static class PresetFixtureFiles
{
    /// <summary>Every fixture delivery of every preset, read into records, in file order (presets by name).</summary>
    public static List<IngestRecord> AllRecords() =>
        [.. SourcePresets.All.SelectMany(preset => Lines(preset).SelectMany(line => preset.Read(line).Records))];

    /// <summary>The fixture deliveries of one preset, one per line.</summary>
    public static IEnumerable<string> Lines(SourcePreset preset)
    {
        var name = $"EventLink.Storage.Compliance.Presets.{preset.Name}.jsonl";
        using var stream = typeof(PresetFixtureFiles).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded preset fixture {name} is missing from {typeof(PresetFixtureFiles).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Trim().Length > 0)
            {
                lines.Add(line);
            }
        }

        return lines;
    }
}

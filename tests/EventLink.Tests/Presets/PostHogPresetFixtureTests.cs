using EventLink.Presets;
using static EventLink.Tests.Presets.FixtureExpectation;

namespace EventLink.Tests.Presets;

/// <summary>Every PostHog capture-API payload collected from PostHog's docs, examples and SDK tests (<c>tests/Fixtures/presets/posthog</c>).</summary>
public sealed class PostHogPresetFixtureTests
{
    private static readonly DateTimeOffset Arrival = new(2026, 3, 12, 9, 0, 0, TimeSpan.Zero);

    private static PresetDelivery Posted(string call) => new() { Call = call, ContentType = "application/json", ReceivedAt = Arrival };

    private static readonly Dictionary<string, FixtureExpectation> Expected = new()
    {
        // posthog.com/docs/api/capture: no uuid (a hash of the event stands in), often no timestamp (capture stamps the arrival).
        ["capture-docs-single.json"] = Read("posthog_event | sha256:e8a5f672e1b559ddfa568636212f235f | 2026-03-12T09:00:00.000Z | →posthog_distinct_id=user distinct id").With(Posted("capture")),
        ["capture-docs-anonymous.json"] = Read("posthog_event | sha256:43da37f246c10b29d9aa368ff3710f76 | 2020-08-16T09:03:11.913Z | →posthog_distinct_id=user distinct id").With(Posted("capture")),
        ["capture-docs-batch.json"] = Read(
            "posthog_event | sha256:761e0ba1e2461606218f77cf23c8b266 | 2026-03-12T09:00:00.000Z | →posthog_distinct_id=user distinct id",
            "posthog_event | sha256:72be96f719ee292e5272b10557563563 | 2026-03-12T09:00:00.000Z | →posthog_distinct_id=user distinct id").With(Posted("batch")),
        ["capture-docs-alias.json"] = Read(
            "posthog_person | sha256:4071db00407fcfb666ecd69e5e22e4fb:person | 2026-03-12T09:00:00.000Z | posthog_distinct_id=123, posthog_distinct_id=456",
            "posthog_event | sha256:4071db00407fcfb666ecd69e5e22e4fb | 2026-03-12T09:00:00.000Z | →posthog_distinct_id=123").With(Posted("capture")),
        ["capture-docs-group-identify.json"] = Ignored("not groups", Posted("capture")),
        ["capture-docs-groups.json"] = Read("posthog_event | sha256:4668dd0a9068cdc7cc8298df13caba1a | 2026-03-12T09:00:00.000Z | →posthog_distinct_id=user distinct id").With(Posted("capture")),
        ["capture-docs-identify.json"] = Read(
            "posthog_person | sha256:4d7302434f9a19ed4591a734b5195965:person | 2020-08-16T09:03:11.913Z | posthog_distinct_id=user distinct id",
            "posthog_event | sha256:4d7302434f9a19ed4591a734b5195965 | 2020-08-16T09:03:11.913Z | →posthog_distinct_id=user distinct id").With(Posted("capture")),
        ["capture-docs-pageview.json"] = Read("posthog_event | sha256:4c37593ad3f880d90a79874f6fd9c9cf | 2026-03-12T09:00:00.000Z | →posthog_distinct_id=user distinct id").With(Posted("capture")),
        ["capture-docs-screen.json"] = Read("posthog_event | sha256:950b3276d36fa352d8473e053c08640b | 2026-03-12T09:00:00.000Z | →posthog_distinct_id=user distinct id").With(Posted("capture")),
        ["capture-docs-survey.json"] = Read("posthog_event | sha256:51b57f4356e0e37b5e5d2d84dbd5cf50 | 2026-03-12T09:00:00.000Z | →posthog_distinct_id=user distinct id").With(Posted("capture")),

        // PostHog/examples: distinct_id inside properties, $set at the top.
        ["examples-identify.json"] = Read(
            "posthog_person | sha256:22831e71496e90252452aff4bbf7cf68:person | 2026-03-12T09:00:00.000Z | posthog_distinct_id=test-user-python, email=test-user-python@example.com",
            "posthog_event | sha256:22831e71496e90252452aff4bbf7cf68 | 2026-03-12T09:00:00.000Z | →posthog_distinct_id=test-user-python, →email=test-user-python@example.com").With(Posted("capture")),
        ["examples-alias.json"] = Read(
            "posthog_person | sha256:fe41b4ae6b5b19c50a7c2f360791d937:person | 2026-03-12T09:00:00.000Z | posthog_distinct_id=test-user-python, posthog_distinct_id=test-user-python-alias",
            "posthog_event | sha256:fe41b4ae6b5b19c50a7c2f360791d937 | 2026-03-12T09:00:00.000Z | →posthog_distinct_id=test-user-python").With(Posted("capture")),
        ["examples-batch.json"] = Read(
            "posthog_event | sha256:069eac0a446816d0ed094a360d2e7f21 | 2026-03-12T09:00:00.000Z | →posthog_distinct_id=test-user-python",
            "posthog_event | sha256:11c9aa3b8f54a2daa7d8e27579a2fe55 | 2026-03-12T09:00:00.000Z | →posthog_distinct_id=test-user-python").With(Posted("batch")),

        // SDK test suites: /batch bodies with uuid, timestamp and sent_at; the arrival corrects the device clock.
        ["js-lite-identify.json"] = Read(
            "posthog_person | sha256:9ce78cf0a2ade94adb5fb21311727137:person | 2026-03-12T09:00:00.000Z | posthog_distinct_id=id-1, posthog_distinct_id=my-old-value",
            "posthog_event | sha256:9ce78cf0a2ade94adb5fb21311727137 | 2026-03-12T09:00:00.000Z | →posthog_distinct_id=id-1").With(Posted("batch")),
        ["js-lite-capture.json"] = Read("posthog_event | 0176c8c9-3c00-7000-8000-000000000001 | 2025-03-13T09:00:00.000Z | →posthog_distinct_id=my-old-value").With(Posted("batch")),
        ["python-set.json"] = Read(
            "posthog_person | 00000000-0000-4000-8000-000000000001:person | 2014-09-03T00:00:00.000Z | posthog_distinct_id=distinct_id",
            "posthog_event | 00000000-0000-4000-8000-000000000001 | 2014-09-03T00:00:00.000Z | →posthog_distinct_id=distinct_id"),
        ["python-set-once.json"] = Read(
            "posthog_person | 00000000-0000-4000-8000-000000000002:person | 2014-09-03T00:00:00.000Z | posthog_distinct_id=distinct_id",
            "posthog_event | 00000000-0000-4000-8000-000000000002 | 2014-09-03T00:00:00.000Z | →posthog_distinct_id=distinct_id"),
        ["python-alias.json"] = Read(
            "posthog_person | 00000000-0000-4000-8000-000000000003:person | 2014-09-03T00:00:02.000Z | posthog_distinct_id=previousId, posthog_distinct_id=distinct_id",
            "posthog_event | 00000000-0000-4000-8000-000000000003 | 2014-09-03T00:00:02.000Z | →posthog_distinct_id=previousId"),
    };

    [Fact]
    public void Every_collected_PostHog_payload_is_read_or_ignored_with_a_reason() =>
        VendorFixtures.Check(SourcePresets.PostHog, "posthog", Expected);

    [Fact]
    public void An_event_without_a_timestamp_needs_the_arrival_and_the_project_key_is_not_kept()
    {
        var single = VendorFixtures.Bytes("posthog", "capture-docs-single.json");
        SourcePresets.PostHog.Read(single).Should().Match<PresetReadResult>(r =>
            r.Status == PresetReadStatus.Ignored && r.Message!.Contains("PresetDelivery.ReceivedAt"));

        var read = SourcePresets.PostHog.Read(single, Posted("capture"));
        System.Text.Encoding.UTF8.GetString(read.Records[0].Utf8Payload.Span).Should().NotContain("api_key").And.NotContain("ph_project_api_key");
    }

    [Fact]
    public void A_legacy_form_body_with_base64_data_is_read_like_its_json()
    {
        var json = System.Text.Encoding.UTF8.GetString(VendorFixtures.Bytes("posthog", "capture-docs-anonymous.json"));
        var form = "data=" + Uri.EscapeDataString(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)));

        var read = SourcePresets.PostHog.Read(form, new PresetDelivery { Call = "capture", ContentType = "application/x-www-form-urlencoded" });
        VendorFixtures.Describe(SourcePresets.PostHog, read).Should().Equal(
            "posthog_event | sha256:43da37f246c10b29d9aa368ff3710f76 | 2020-08-16T09:03:11.913Z | →posthog_distinct_id=user distinct id");
    }

    [Fact]
    public async Task Anonymous_events_are_stitched_to_the_person_once_identify_names_them()
    {
        await using var link = PresetFixtures.Link(s => s.AddPostHog());
        var capture = SourcePresets.PostHog.Read(VendorFixtures.Bytes("posthog", "js-lite-capture.json"), Posted("batch"));
        (await link.IngestAsync(capture.Records)).Single().Outcome.Should().Be(IngestOutcome.Quarantined, "nobody is known by the anonymous id yet");

        var identify = SourcePresets.PostHog.Read(VendorFixtures.Bytes("posthog", "js-lite-identify.json"), Posted("batch"));
        (await link.IngestAsync(identify.Records)).Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));

        var person = await link.FindProfileAsync(PostHogPreset.DistinctIdKind, "id-1");
        (await link.FindProfileAsync(PostHogPreset.DistinctIdKind, "my-old-value"))!.Id.Should().Be(person!.Id);
        person["foo"].Should().Be("bar", "$set becomes the person's attributes");
        var timeline = await PresetFixtures.TimelineAsync(link, PostHogPreset.DistinctIdKind, "id-1");
        timeline.Select(e => e.EventName).Should().Equal(["custom-event", "$identify"], "the capture's device clock ran a year slow: sent_at − timestamp is taken off its arrival");
    }

    [Fact]
    public async Task Create_alias_joins_two_ids_and_set_and_set_once_become_attributes()
    {
        await using var link = PresetFixtures.Link(s => s.AddPostHog());
        var records = new[] { "python-set-once.json", "python-set.json", "python-alias.json" }
            .SelectMany(f => SourcePresets.PostHog.Read(VendorFixtures.Bytes("posthog", f)).Records).ToList();
        (await link.IngestAsync(records)).Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));

        var person = await link.FindProfileAsync(PostHogPreset.DistinctIdKind, "distinct_id");
        (await link.FindProfileAsync(PostHogPreset.DistinctIdKind, "previousId"))!.Id.Should().Be(person!.Id, "$create_alias joins previousId to distinct_id");
        person["trait"].Should().Be("value");
        (await PresetFixtures.TimelineAsync(link, PostHogPreset.DistinctIdKind, "previousId")).Select(e => e.EventName)
            .Should().BeEquivalentTo("$set_once", "$set", "$create_alias");
    }
}

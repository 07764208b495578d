using EventLink.Presets;
using static EventLink.Tests.Presets.PresetFixtures;

namespace EventLink.Tests.Presets;

public sealed class PostHogPresetTests
{
    [Fact]
    public void Every_event_gives_its_person_and_itself_and_export_rows_take_the_webhook_shape()
    {
        var reads = Lines("posthog").Select(l => SourcePresets.PostHog.Read(l)).ToList();

        reads.Should().AllSatisfy(r => r.Records.Select(x => x.RecordType).Should().Equal("posthog_person", "posthog_event"));
        var exported = reads[3].Records[1];
        using var doc = System.Text.Json.JsonDocument.Parse(exported.Utf8Payload);
        doc.RootElement.GetProperty("event").GetProperty("properties").GetProperty("$current_url").GetString().Should().Be("https://app.example.com/billing");
        doc.RootElement.GetProperty("event").GetProperty("team_id").GetInt32().Should().Be(41234, "every exported column is kept");
    }

    [Fact]
    public async Task Anonymous_and_identified_events_of_one_person_share_a_timeline()
    {
        await using var link = Link(s => s.AddPostHog());
        await link.IngestAsync(Records(SourcePresets.PostHog));

        var byAnonymousId = await link.FindProfileAsync(PostHogPreset.DistinctIdKind, "0190b5df-2a1b-7c3d-8e4f-5a6b7c8d9e0f");
        var byEmail = await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com");
        byAnonymousId!.Id.Should().Be(byEmail!.Id);
        byEmail["name"].Should().Be("Ada Lovelace");
        var timeline = await TimelineAsync(link, PostHogPreset.DistinctIdKind, "u_1001");
        timeline.Select(e => e.EventName).Should().Equal("$pageview", "$identify", "report exported", "$pageview");
    }
}

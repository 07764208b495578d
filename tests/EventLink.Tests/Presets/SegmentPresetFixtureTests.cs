using EventLink.Presets;
using static EventLink.Tests.Presets.FixtureExpectation;

namespace EventLink.Tests.Presets;

/// <summary>Every Segment payload collected from Segment's own docs (<c>tests/Fixtures/presets/segment</c>), each with what it must give.</summary>
public sealed class SegmentPresetFixtureTests
{
    private static readonly DateTimeOffset Arrival = new(2026, 3, 12, 9, 0, 0, TimeSpan.Zero);

    /// <summary>What the HTTP collector knows of a <c>POST /v1/{call}</c>.</summary>
    private static PresetDelivery Posted(string call) => new() { Call = call, ContentType = "application/json", ReceivedAt = Arrival };

    private static readonly PresetDelivery Arrived = new() { ReceivedAt = Arrival };

    private static readonly Dictionary<string, FixtureExpectation> Expected = new()
    {
        // The HTTP tracking API: no type (the endpoint says it), no messageId (a hash of the message stands in).
        ["http-api-identify.json"] = Read("segment.identify | sha256:a5d1bfcdefa1294650fb7b2cf6913c7d | 2012-12-02T00:30:08.276Z | user_id=019mr8mf4r, email=pgibbons@example.com").With(Posted("identify")),
        ["http-api-identify-selecting-destinations.json"] = Read("segment.identify | sha256:5e8d85ef5ca7b2a01dd764e482ff2bb7 | 2012-12-02T00:30:08.276Z | user_id=019mr8mf4r, email=pgibbons@example.com").With(Posted("identify")),
        ["http-api-track.json"] = Read("segment.track | sha256:7aa7aea9cf59588649f3288ea3b4b5c1 | 2012-12-02T00:30:12.984Z | →user_id=019mr8mf4r").With(Posted("track")),
        ["http-api-track-writekey.json"] = Read("segment.track | sha256:1d6c9a8c5895529b8b1af54312625b5d | 2026-03-12T09:00:00.000Z | →user_id=123").With(Posted("track")),
        ["http-api-track-oauth.json"] = Read("segment.track | 58524f3a-3b76-4eac-aa97-d88bccdf4f77 | 2026-03-12T09:00:00.000Z | →user_id=123").With(Posted("track")),
        ["http-api-page.json"] = Read("segment.page | sha256:50ffc0d8c873ba821947a92b95ae2b6c | 2012-12-02T00:31:29.738Z | →user_id=019mr8mf4r").With(Posted("page")),
        ["http-api-screen.json"] = Read("segment.screen | sha256:68267326fa706851c1a05f9676dfb6d0 | 2012-12-02T00:31:29.738Z | →user_id=019mr8mf4r").With(Posted("screen")),
        ["http-api-group.json"] = Read("segment.group | sha256:f6f936359dfd5efd05931710574bfdb6 | 2012-12-02T00:31:38.208Z | group_id=8e9df332ac").With(Posted("group")),
        ["http-api-alias.json"] = Read("segment.alias | sha256:ad88b7ab44d81e0dccd9481c456b1016 | 2012-12-02T00:31:29.738Z | user_id=019mr8mf4r, anonymous_id=39239-239239-239239-23923").With(Posted("alias")),

        // /v1/batch: each call names its type; "2015-2-02T…" (sic, in Segment's example) is read as Segment reads it.
        ["http-api-batch.json"] = Read(
            "segment.identify | sha256:ee3e8b725baff4d50054e2cadb14433b | 2012-12-02T00:30:08.276Z | user_id=019mr8mf4r, email=jake@yahoo.com",
            "segment.track | sha256:4c2680d63f6f354cafcb690dcb30c721 | 2012-12-02T00:30:12.984Z | →user_id=019mr8mf4r",
            "segment.identify | sha256:8423859c85c9836bf78e2813e8d624f5 | 2015-02-02T00:30:08.276Z | user_id=971mj8mk7p, email=cindy@example.com",
            "segment.track | sha256:55e900a7563c72d77ca35265c523d4f1 | 2015-02-02T00:30:12.984Z | →user_id=971mj8mk7p").With(Posted("batch")),

        // Full messages of the spec, as libraries send them and destinations receive them.
        ["spec-identify.json"] = Read("segment.identify | 022bb90c-bbac-11e4-8dfc-aa07a5b093db | 2015-02-23T22:28:55.111Z | user_id=97980cfea0067, anonymous_id=507f191e810c19729de860ea, email=peter@example.com"),
        ["spec-track.json"] = Read("segment.track | ajs-f8ca1e4de5024d9430b3928bd8ac6b96 | 2015-12-12T19:11:01.249Z | →user_id=AiUGstSDIg, →anonymous_id=23adfd82-aa0f-45a7-a756-24f2a7a4c895"),
        ["spec-page.json"] = Read("segment.page | 022bb90c-bbac-11e4-8dfc-aa07a5b093db | 2015-02-23T22:28:55.111Z | →user_id=97980cfea0067, →anonymous_id=507f191e810c19729de860ea"),
        ["spec-screen.json"] = Read("segment.screen | 022bb90c-bbac-11e4-8dfc-aa07a5b093db | 2015-02-23T22:28:55.111Z | →user_id=97980cfea0067, →anonymous_id=3a12eab0-bca7-11e4-8dfc-aa07a5b093db"),
        ["spec-group.json"] = Read("segment.group | 022bb90c-bbac-11e4-8dfc-aa07a5b093db | 2015-02-23T22:28:55.111Z | group_id=0e8c78ea9d97a7b8185e8632"),
        ["spec-alias.json"] = Read("segment.alias | 022bb90c-bbac-11e4-8dfc-aa07a5b093db | 2015-02-23T22:28:55.111Z | user_id=507f191e81, anonymous_id=39239-239239-239239-23923"),
        ["spec-common-fields.json"] = Read("segment.track | 022bb90c-bbac-11e4-8dfc-aa07a5b093db | 2015-12-10T04:08:31.905Z | →user_id=97980cfea0067, →anonymous_id=507f191e810c19729de860ea"),
        ["partners-identify.json"] = Read("segment.identify | ajs-18c6f23382e31fad89210c1c022cc068 | 2019-06-21T16:33:26.158Z | user_id=97980cfea0067, anonymous_id=3d316d2c-26e8-451f-91be-a0766708c81e, email=peter@example.com"),
        ["partners-identify-2.json"] = Read("segment.identify | ajs-54ca80b0e856b62bb239ca9debbf5e2e | 2019-06-21T17:33:22.486Z | user_id=97980cfea0067, anonymous_id=3d316d2c-26e8-451f-91be-a0766708c81e, email=peter@example.com"),
        ["partners-track.json"] = Read("segment.track | ajs-920a8b6591f0d25cc117fb71602a6b17 | 2019-06-21T17:35:47.404Z | →user_id=97980cfea0067, →anonymous_id=3d316d2c-26e8-451f-91be-a0766708c81e"),
        ["partners-page.json"] = Read("segment.page | ajs-472682d0fbe3250d9e436f18e18d1966 | 2019-06-21T17:36:42.812Z | →user_id=97980cfea0067, →anonymous_id=3d316d2c-26e8-451f-91be-a0766708c81e"),
        ["partners-group.json"] = Read("segment.group | ajs-faf5e68c4da409781e30660f918d7be6 | 2019-06-21T17:39:06.171Z | group_id=0e8c78ea9d97a7b8185e8632"),
        ["partners-alias.json"] = Read("segment.alias | ajs-d45a45c1384424545c2cff67345f25ce | 2019-06-21T17:39:57.031Z | user_id=507f191e81, anonymous_id=97980cfea0067"),
        ["partners-delete.json"] = Ignored("erase the person"),

        // The e-mail spec, as e-mail partners send it: snake_case, "action" for type, the address in context.traits.
        ["email-bounced.json"] = Read("segment.track | sha256:50b49bfa886fd28dd097821d0295dfb0 | 2026-03-12T09:00:00.000Z | →user_id=019mr8mf4r, →email=pgibbons@example.com").With(Arrived),
        ["email-opened.json"] = Read("segment.track | sha256:c1d50a57d1ad96d01ffe0b8f3f0e0ac4 | 2026-03-12T09:00:00.000Z | →user_id=019mr8mf4r, →email=pgibbons@example.com").With(Arrived),
        ["email-unsubscribed.json"] = Read("segment.track | sha256:b67c4d61bb87ee277597ede16cc2e87c | 2026-03-12T09:00:00.000Z | →user_id=019mr8mf4r, →email=pgibbons@example.com").With(Arrived),
    };

    [Fact]
    public void Every_collected_Segment_payload_is_read_or_ignored_with_a_reason() =>
        VendorFixtures.Check(SourcePresets.Segment, "segment", Expected);

    [Fact]
    public void A_single_call_without_its_endpoint_or_a_time_is_ignored_with_what_to_give()
    {
        var track = VendorFixtures.Bytes("segment", "http-api-track.json");
        SourcePresets.Segment.Read(track).Should().Match<PresetReadResult>(r =>
            r.Status == PresetReadStatus.Ignored && r.Message!.Contains("PresetDelivery.Call"));

        var bounced = VendorFixtures.Bytes("segment", "email-bounced.json");
        SourcePresets.Segment.Read(bounced).Should().Match<PresetReadResult>(r =>
            r.Status == PresetReadStatus.Ignored && r.Message!.Contains("PresetDelivery.ReceivedAt"));
    }

    [Fact]
    public void The_id_made_for_a_message_without_one_is_the_same_on_a_retry_and_differs_with_the_message()
    {
        string IdOf(string json, DateTimeOffset arrival)
        {
            var read = SourcePresets.Segment.Read(json, new PresetDelivery { Call = "track", ReceivedAt = arrival });
            using var payload = System.Text.Json.JsonDocument.Parse(read.Records.Single().Utf8Payload);
            return payload.RootElement.GetProperty("messageId").GetString()!;
        }

        var first = IdOf("""{"userId":"u1","event":"Signed Up","timestamp":"2026-03-01T10:00:00Z","sentAt":"2026-03-01T10:00:01Z"}""", Arrival);
        IdOf("""{"event":"Signed Up","userId":"u1","sentAt":"2026-03-01T10:00:09Z","timestamp":"2026-03-01T10:00:00Z"}""", Arrival.AddSeconds(8))
            .Should().Be(first, "key order, sentAt and the arrival time are the transport's, not the message's");
        IdOf("""{"userId":"u1","event":"Signed Up","timestamp":"2026-03-01T10:00:02Z"}""", Arrival).Should().NotBe(first);
        SourcePresets.Segment.Read("""{"userId":"u1","event":"Signed Up","timestamp":"2026-03-01T10:00:00Z"}""", new PresetDelivery { Call = "page" })
            .Records.Single().RecordType.Should().Be("segment.page", "the endpoint gives the type");
    }

    [Fact]
    public void A_type_in_the_body_wins_over_the_endpoint_and_the_write_key_is_not_kept()
    {
        var read = SourcePresets.Segment.Read(VendorFixtures.Bytes("segment", "http-api-track-oauth.json"), Posted("identify"));

        read.Records.Single().RecordType.Should().Be("segment.track");
        System.Text.Encoding.UTF8.GetString(read.Records[0].Utf8Payload.Span).Should().NotContain("writeKey").And.NotContain("DmBXIN4J");
    }

    [Fact]
    public async Task A_partner_track_with_only_context_traits_email_links_to_the_person_of_that_address()
    {
        // Peter is known by e-mail only (an identify from another device); the e-mail partner knows another user id.
        await using var link = PresetFixtures.Link(s => s.AddSegment());
        (await link.IngestAsync(SourcePresets.Segment.Read(
            """{"type":"identify","messageId":"m-peter","anonymousId":"anon-7","traits":{"email":"PGibbons@example.com","name":"Peter Gibbons"},"timestamp":"2026-03-01T08:00:00Z"}""").Records))
            .Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));

        var bounced = SourcePresets.Segment.Read(VendorFixtures.Bytes("segment", "email-bounced.json"), Arrived);
        var results = await link.IngestAsync(bounced.Records);
        results.Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));

        var peter = await link.FindProfileAsync(IdentityKinds.Email, "pgibbons@example.com");
        (await link.FindProfileAsync(IdentityKinds.UserId, "019mr8mf4r"))!.Id.Should().Be(peter!.Id, "the track ties its user id to the profile its context.traits.email found");
        var timeline = await PresetFixtures.TimelineAsync(link, IdentityKinds.Email, "pgibbons@example.com");
        timeline.Select(e => e.EventName).Should().Equal("Email Bounced");
    }

    [Fact]
    public async Task Http_api_calls_through_ingestion_link_as_the_library_messages_do()
    {
        await using var link = PresetFixtures.Link(s => s.AddSegment());
        var records = new List<IngestRecord>();
        foreach (var (file, call) in new[] { ("http-api-identify.json", "identify"), ("http-api-track.json", "track"), ("http-api-page.json", "page"), ("http-api-group.json", "group"), ("http-api-alias.json", "alias") })
        {
            records.AddRange(SourcePresets.Segment.Read(VendorFixtures.Bytes("segment", file), Posted(call)).Records);
        }

        var results = await link.IngestAsync(records);
        results.Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));

        var peter = await link.FindProfileAsync(IdentityKinds.UserId, "019mr8mf4r");
        peter!["name"].Should().Be("Peter Gibbons");
        (await link.FindProfileAsync(IdentityKinds.AnonymousId, "39239-239239-239239-23923"))!.Id.Should().Be(peter.Id, "the alias call ties the previous id");
        (await PresetFixtures.TimelineAsync(link, IdentityKinds.Email, "pgibbons@example.com")).Select(e => e.EventName)
            .Should().Equal("Item Purchased", "Tracking HTTP API");

        // The same bodies posted again (a retry) are duplicates, not new events.
        var again = new List<IngestRecord>();
        foreach (var (file, call) in new[] { ("http-api-track.json", "track"), ("http-api-page.json", "page") })
        {
            again.AddRange(SourcePresets.Segment.Read(VendorFixtures.Bytes("segment", file), Posted(call) ).Records);
        }

        (await link.IngestAsync(again)).Should().AllSatisfy(r => r.Outcome.Should().Be(IngestOutcome.Duplicate));
    }
}

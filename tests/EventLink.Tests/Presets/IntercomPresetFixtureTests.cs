using EventLink.Presets;
using static EventLink.Tests.Presets.FixtureExpectation;

namespace EventLink.Tests.Presets;

/// <summary>Every Intercom API 1.x payload collected from Intercom's SDK tests (<c>tests/Fixtures/presets/intercom</c>).</summary>
public sealed class IntercomPresetFixtureTests
{
    private static readonly Dictionary<string, FixtureExpectation> Expected = new()
    {
        // GET /users/{id} (1.x): the object itself, versioned by updated_at; its user_id is read as external_id is (intercom_external_id unless ExternalIdIsUserId).
        ["ruby-v1-user.json"] = Read("intercom_contact | aaaaaaaaaaaaaaaaaaaaaaaa | 2014-06-05T12:08:34.000Z | intercom_contact_id=aaaaaaaaaaaaaaaaaaaaaaaa, email=bob@example.com, intercom_external_id=id-from-customers-app"),
        ["ruby-v1-user-created-notification.json"] = Read("intercom_contact | aaaaaaaaaaaaaaaaaaaaaaaa | 2014-09-08T15:03:48.000Z | intercom_contact_id=aaaaaaaaaaaaaaaaaaaaaaaa, email=joe@example.com"),

        // 1.x conversations link through data.item.user.id, then the message author's e-mail.
        ["ruby-v1-conversation-user-created-notification.json"] = Read("intercom_conversation | notif_123456-56465-546546 | 2014-09-10T07:48:13.000Z | →intercom_contact_id=540f1de7112d3d1d51001637, →email=bill@bill.bill"),
        ["ruby-v1-conversation.json"] = Read("intercom_conversation | api_147_1400850973 | 2014-05-23T13:16:13.000Z | →intercom_contact_id=536e564f316c83104c000020"),
    };

    [Fact]
    public void Every_collected_Intercom_payload_is_read_or_ignored_with_a_reason() =>
        VendorFixtures.Check(SourcePresets.Intercom, "intercom", Expected);

    [Theory]
    [InlineData("""{"type":"notification_event","id":"notif_u1","topic":"user.created","created_at":1410335000,"data":{"type":"notification_event_data","item":{"type":"user","id":"540f1de7112d3d1d51001637","user_id":"crm-77","email":"someone.else@example.com"}}}""", "intercom_contact_id")]
    [InlineData("""{"type":"notification_event","id":"notif_u2","topic":"user.created","created_at":1410335000,"data":{"type":"notification_event_data","item":{"type":"user","id":"5a1a0000000000000000000b","email":"bill@bill.bill"}}}""", "email")]
    public async Task A_1x_conversation_links_to_its_user_by_id_or_by_the_authors_email(string user, string through)
    {
        await using var link = PresetFixtures.Link(s => s.AddIntercom());
        (await link.IngestAsync(SourcePresets.Intercom.Read(user).Records)).Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));

        var conversation = SourcePresets.Intercom.Read(VendorFixtures.Bytes("intercom", "ruby-v1-conversation-user-created-notification.json"));
        var result = (await link.IngestAsync(conversation.Records)).Single();

        result.Outcome.Should().Be(IngestOutcome.Linked, $"the conversation links through {through}");
        var profile = await link.FindProfileAsync(IntercomPreset.ContactIdKind, through == "email" ? "5a1a0000000000000000000b" : "540f1de7112d3d1d51001637");
        result.ProfileId.Should().Be(profile!.Id);
    }
}

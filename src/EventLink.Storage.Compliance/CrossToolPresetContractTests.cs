using EventLink.Presets;

namespace EventLink.Storage.Compliance;

/// <summary>
/// One person's deliveries from all eight tools, each in the shape the tool really sends (webhook bodies, API objects,
/// a form-encoded Mailchimp webhook, legacy-less Marketo activities), read by their presets and ingested together:
/// they end on one profile whose timeline is in occurred-at order, and a Zendesk user whose <c>external_id</c> is a
/// CRM id (not the application's user id) does not split it.
/// </summary>
public abstract class CrossToolPresetContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    private const string Email = "helly.r@lumon.industries";

    private static readonly string[] Timeline =
    [
        "stripe charge.succeeded", "segment Item Purchased", "posthog $pageview", "hubspot deal stage → appointmentscheduled",
        "intercom conversation.user.created", "mailchimp list subscribe", "hubspot deal stage → contractsent",
        "mailchimp email open", "zendesk zendesk:api:ticket.created", "marketo Open Email", "zendesk zendesk:api:ticket.solved",
    ];

    private static void AllTools(SchemaBuilder schema) =>
        schema.AddStripe().AddHubSpot().AddIntercom().AddZendesk().AddPostHog().AddMailchimp().AddMarketo().AddSegment();

    /// <summary>Each tool's deliveries, in the order the tools might send them.</summary>
    public static IReadOnlyList<(SourcePreset Preset, string Body)> Deliveries { get; } =
    [
        // Stripe: webhook events (shape of stripe/openapi fixtures3.json resources.event around a customer and a charge).
        (SourcePresets.Stripe, """{"id":"evt_1QhR01LkdIwHu7ixHelly001","object":"event","api_version":"2024-06-20","created":1772355600,"data":{"object":{"id":"cus_RhellyR0042","object":"customer","balance":0,"created":1772355600,"currency":"usd","delinquent":false,"email":"helly.r@lumon.industries","invoice_prefix":"7FE1103","livemode":false,"metadata":{},"name":"Helly R.","phone":null,"preferred_locales":[]}},"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"customer.created"}"""),
        (SourcePresets.Stripe, """{"id":"evt_1QhR02LkdIwHu7ixHelly002","object":"event","api_version":"2024-06-20","created":1772442000,"data":{"object":{"id":"ch_3QhR02LkdIwHu7ix0Helly","object":"charge","amount":4900,"amount_captured":4900,"billing_details":{"email":"helly.r@lumon.industries","name":"Helly R."},"captured":true,"created":1772442000,"currency":"usd","customer":"cus_RhellyR0042","paid":true,"receipt_email":null,"status":"succeeded"}},"livemode":false,"pending_webhooks":1,"request":{"id":"req_HellyR0042","idempotency_key":null},"type":"charge.succeeded"}"""),

        // Segment: the spec's identify and track messages (segment.com/docs/connections/spec).
        (SourcePresets.Segment, """{"anonymousId":"507f191e810c19729de860ea","context":{"ip":"8.8.8.8","userAgent":"Mozilla/5.0"},"messageId":"022bb90c-bbac-11e4-8dfc-aa07a5b093db","receivedAt":"2026-03-01T09:01:00.000Z","sentAt":"2026-03-01T09:00:59.000Z","timestamp":"2026-03-01T09:01:00.000Z","traits":{"name":"Helly R.","email":"helly.r@lumon.industries"},"type":"identify","userId":"u_42","version":"1.1"}"""),
        (SourcePresets.Segment, """{"anonymousId":"507f191e810c19729de860ea","context":{"ip":"8.8.8.8"},"event":"Item Purchased","messageId":"022bb90c-bbac-11e4-8dfc-aa07a5b093dc","properties":{"name":"Leap to Conclusions Mat","revenue":14.99},"receivedAt":"2026-03-02T10:00:00.000Z","sentAt":"2026-03-02T10:00:00.000Z","timestamp":"2026-03-02T10:00:00.000Z","type":"track","userId":"u_42","version":"1.1"}"""),

        // PostHog: the webhook destination's default body (event and person).
        (SourcePresets.PostHog, """{"event":{"uuid":"0195a1e0-2222-7aaa-8bbb-00000000h001","event":"$pageview","elements_chain":"","distinct_id":"u_42","properties":{"$current_url":"https://app.lumon.industries/mdr","$lib":"web"},"timestamp":"2026-03-02T11:00:00.000Z","url":"https://us.posthog.com/project/41234/events/0195a1e0-2222-7aaa-8bbb-00000000h001"},"person":{"id":"0195a1e1-7c3a-7d4e-9f10-aa11bb22hh42","properties":{"email":"helly.r@lumon.industries","name":"Helly R."},"name":"u_42"},"groups":{},"project":{"id":41234,"name":"Lumon"}}"""),

        // HubSpot: a CRM v3 contact with its company association, and a deal with its stage history.
        (SourcePresets.HubSpot, """{"id":"701","properties":{"email":"helly.r@lumon.industries","firstname":"Helly","lastname":"R.","createdate":"2026-03-01T12:00:00.000Z","hs_object_id":"701","lastmodifieddate":"2026-03-03T08:00:00.000Z"},"associations":{"companies":{"results":[{"id":"29846388244","type":"contact_to_company"}]}},"createdAt":"2026-03-01T12:00:00.000Z","updatedAt":"2026-03-03T08:00:00.000Z","archived":false}"""),
        (SourcePresets.HubSpot, """{"id":"9901","properties":{"amount":"1500.00","dealname":"Macrodata refinement","dealstage":"contractsent","pipeline":"default","hs_lastmodifieddate":"2026-03-09T10:00:00.000Z","hs_object_id":"9901"},"propertiesWithHistory":{"dealstage":[{"value":"contractsent","timestamp":"2026-03-05T09:00:00.000Z","sourceType":"CRM_UI","sourceId":"userId:910901"},{"value":"appointmentscheduled","timestamp":"2026-03-03T09:00:00.000Z","sourceType":"CRM_UI","sourceId":"userId:910901"}]},"associations":{"contacts":{"results":[{"id":"701","type":"deal_to_contact"}]}},"createdAt":"2026-03-03T09:00:00.000Z","updatedAt":"2026-03-09T10:00:00.000Z","archived":false}"""),

        // Intercom: contact and conversation webhook notifications (notification_event with data.item).
        (SourcePresets.Intercom, """{"type":"notification_event","app_id":"ti0bk2c8","data":{"type":"notification_event_data","item":{"type":"contact","id":"65f1c3a2b7e4d1000helly42","workspace_id":"ti0bk2c8","external_id":"u_42","role":"user","email":"helly.r@lumon.industries","phone":null,"name":"Helly R.","created_at":1772370000,"updated_at":1772370000}},"links":{},"id":"notif_helly-0001","topic":"contact.user.created","delivery_status":"pending","delivery_attempts":1,"delivered_at":0,"first_sent_at":1772370000,"created_at":1772370000,"self":null}"""),
        (SourcePresets.Intercom, """{"type":"notification_event","app_id":"ti0bk2c8","data":{"type":"notification_event_data","item":{"type":"conversation","id":"4242","created_at":1772625600,"updated_at":1772625600,"state":"open","open":true,"source":{"type":"conversation","id":"2210356442","delivered_as":"customer_initiated","body":"<p>The numbers are scary.</p>","author":{"type":"user","id":"65f1c3a2b7e4d1000helly42","name":"Helly R.","email":"helly.r@lumon.industries"}},"contacts":{"type":"contact.list","contacts":[{"type":"contact","id":"65f1c3a2b7e4d1000helly42","external_id":"u_42"}]}}},"links":{},"id":"notif_helly-0002","topic":"conversation.user.created","delivery_status":"pending","delivery_attempts":1,"delivered_at":0,"first_sent_at":1772625600,"created_at":1772625600,"self":null}"""),

        // Mailchimp: the form-encoded subscribe webhook, and the campaign email-activity report.
        (SourcePresets.Mailchimp, "type=subscribe&fired_at=2026-03-04+15%3A00%3A00&data%5Bid%5D=8a25ff1d98&data%5Blist_id%5D=a6b5da1054&data%5Bemail%5D=helly.r%40lumon.industries&data%5Bemail_type%5D=html&data%5Bmerges%5D%5BEMAIL%5D=helly.r%40lumon.industries&data%5Bmerges%5D%5BFNAME%5D=Helly&data%5Bmerges%5D%5BLNAME%5D=R.&data%5Bip_opt%5D=10.20.10.30&data%5Bip_signup%5D=10.20.10.30"),
        (SourcePresets.Mailchimp, """{"emails":[{"campaign_id":"42694e9e57","list_id":"a6b5da1054","list_is_active":true,"email_id":"3f0ee7b5a2b9c4d1e6f7a8b9c0d1e2f3","email_address":"helly.r@lumon.industries","activity":[{"action":"open","timestamp":"2026-03-06T07:41:12+00:00","ip":"81.2.69.160"}]}],"campaign_id":"42694e9e57","total_items":1}"""),

        // Zendesk: the user and the ticket as the API returns them; the user's external_id is a CRM id.
        (SourcePresets.Zendesk, """{"user":{"active":true,"created_at":"2026-03-01T13:00:00Z","email":"helly.r@lumon.industries","external_id":"SF0042","id":35436,"locale":"en-US","name":"Helly R.","organization_id":57542,"phone":null,"role":"end-user","time_zone":"Copenhagen","updated_at":"2026-03-01T13:00:00Z","url":"https://company.zendesk.com/api/v2/users/35436","verified":true}}"""),
        (SourcePresets.Zendesk, """{"ticket":{"created_at":"2026-03-06T10:00:00Z","description":"My badge does not open the elevator.","external_id":null,"id":35437,"organization_id":509974,"priority":"high","requester_id":35436,"status":"solved","subject":"Elevator access","submitter_id":35436,"tags":["access"],"type":"incident","updated_at":"2026-03-08T11:35:00Z","url":"https://company.zendesk.com/api/v2/tickets/35437.json","via":{"channel":"web"}}}"""),

        // Marketo: a lead, and an activity of the older API (no marketoGUID, +0000 offset).
        (SourcePresets.Marketo, """{"requestId":"e42b#14272d07d78","success":true,"result":[{"id":318642,"updatedAt":"2026-03-01T14:00:00Z","lastName":"R.","email":"helly.r@lumon.industries","createdAt":"2026-03-01T14:00:00Z","firstName":"Helly"}]}"""),
        (SourcePresets.Marketo, """{"requestId":"a9ae#148add1e53d","result":[{"id":102990,"leadId":318642,"activityDate":"2026-03-07T13:05:22+0000","activityTypeId":10,"primaryAttributeValueId":1055,"primaryAttributeValue":"Q1 Wellness Session.Invite","attributes":[{"name":"Device","value":"Mac"}]}],"success":true,"moreResult":false}"""),
    ];

    [StoreFact]
    public virtual async Task One_persons_deliveries_from_eight_tools_end_on_one_profile_with_one_timeline_in_occurred_at_order()
    {
        var link = await CreateAsync(AllTools);
        var records = Read(Deliveries);

        var results = await link.IngestAsync(records);

        results.Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));
        var helly = await link.FindProfileAsync(IdentityKinds.Email, Email);
        foreach (var (kind, value) in new[]
        {
            ("stripe_customer_id", "cus_RhellyR0042"), (IdentityKinds.UserId, "u_42"), ("posthog_distinct_id", "u_42"),
            ("hubspot_contact_id", "701"), ("intercom_contact_id", "65f1c3a2b7e4d1000helly42"), ("intercom_external_id", "u_42"),
            ("mailchimp_member_id", "07bdbb730bbd37f4830559db308ef8e7"), ("zendesk_user_id", "35436"), ("zendesk_external_id", "SF0042"),
            ("marketo_lead_id", "318642"),
        })
        {
            (await link.FindProfileAsync(kind, value))?.Id.Should().Be(helly!.Id, $"{kind} {value} is Helly's");
        }

        var people = new List<Profile>();
        await foreach (var profile in link.GetProfilesAsync())
        {
            if (profile.Entity == "person")
            {
                people.Add(profile);
            }
        }

        people.Should().ContainSingle("eight tools, one person: the CRM id in Zendesk's external_id splits nothing");
        helly!.Identities.Where(i => i.Key.Kind == IdentityKinds.UserId).Select(i => i.Key.Value).Should().Equal("u_42");

        var timeline = new List<TimelineEvent>();
        await foreach (var e in link.GetTimelineAsync(helly.Id))
        {
            timeline.Add(e);
        }

        timeline.Select(e => $"{e.Source} {e.EventName}").Should().Equal(Timeline);
        timeline.Select(e => e.OccurredAt).Should().BeInAscendingOrder();
    }

    [StoreFact]
    public virtual async Task The_same_deliveries_in_reverse_order_give_the_same_profile_and_timeline()
    {
        var link = await CreateAsync(AllTools);
        foreach (var delivery in Deliveries.Reverse())
        {
            (await link.IngestAsync(Read([delivery]))).Should().AllSatisfy(r => r.IsAccepted.Should().BeTrue(r.ToString()));
        }

        var helly = await link.FindProfileAsync(IdentityKinds.Email, Email);
        (await link.FindProfileAsync("zendesk_external_id", "SF0042"))!.Id.Should().Be(helly!.Id);
        var names = new List<string>();
        await foreach (var e in link.GetTimelineAsync(helly.Id))
        {
            names.Add($"{e.Source} {e.EventName}");
        }

        names.Should().Equal(Timeline);
    }

    private static List<IngestRecord> Read(IEnumerable<(SourcePreset Preset, string Body)> deliveries)
    {
        var records = new List<IngestRecord>();
        foreach (var (preset, body) in deliveries)
        {
            var read = preset.Read(body);
            read.Status.Should().Be(PresetReadStatus.Read, $"{preset.DisplayName}: {read.Message}");
            records.AddRange(read.Records);
        }

        return records;
    }
}

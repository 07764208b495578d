using System.Text;
using System.Text.Json;
using EventLink.Storage;
using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Compliance;

/// <summary>The identity graph: anonymous-to-known stitching, merge limits and conflicts, unmerge, explain, previews, accounts.</summary>
[RequiresCapability(StoreCapabilities.IdentityGraph)]
public abstract class IdentityGraphContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    /// <summary>Defines <see cref="TestSchema.Define"/> plus the Segment preset, a <c>domain</c> identity kind and companies (accounts) that contacts are members of.</summary>
    /// <param name="s">The schema builder.</param>
    public static void GraphSchema(SchemaBuilder s)
    {
        Define(s);
        s.AddSegment();
        s.IdentityKind("domain", IdentityNormalization.LowerCase);
        s.Merged("company", t => t.Entity("account").RecordId("id").OccurredAt("updatedAt").Identity("domain", "domain"));
        s.Merged("contact", t => t.MemberOf("properties.company_domain", "company", "domain"));
    }

    private static IngestRecord Segment(object message) => SegmentMessage.ToRecord("segment", JsonSerializer.Serialize(message));

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");

    [StoreFact]
    public virtual async Task An_anonymous_visitor_who_signs_up_and_pays_is_one_profile_with_five_events_in_order()
    {
        var link = await CreateAsync(GraphSchema);
        var t0 = Day(2026, 3, 1, 10);
        var results = new List<IngestResult>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await link.IngestAsync(Segment(new { type = "page", messageId = $"m-page-{i}", anonymousId = "anon-42", name = $"/pricing/{i}", timestamp = Iso(t0.AddMinutes(i)) })));
        }

        results.Should().AllSatisfy(r => r.ProfileId.Should().Be(results[0].ProfileId));
        results[0].Outcome.Should().Be(IngestOutcome.Created, "the first anonymous event creates an anonymous profile");

        var identify = await link.IngestAsync(Segment(new { type = "identify", messageId = "m-identify", userId = "u-ada", anonymousId = "anon-42", traits = new { email = "Ada@Example.com", name = "Ada" }, timestamp = Iso(t0.AddMinutes(5)) }));
        await link.IngestAsync(Segment(new { type = "track", messageId = "m-signup", userId = "u-ada", anonymousId = "anon-42", @event = "Signed Up", timestamp = Iso(t0.AddMinutes(6)) }));
        var charge = await link.IngestAsync(StripeCharge("ch_1", "ada@example.com", t0.AddMinutes(9), 4900));

        identify.ProfileId.Should().Be(results[0].ProfileId, "the anonymous profile becomes the known person's");
        charge.ProfileId.Should().Be(identify.ProfileId);
        (await link.GetProfilesAsync().ToListAsync()).Should().ContainSingle();
        var profile = await link.FindProfileAsync(IdentityKinds.UserId, "u-ada");
        profile!.Identities.Select(i => i.Key.ToString()).Should().Equal("anonymous_id:anon-42", "email:ada@example.com", "user_id:u-ada");
        profile["name"].Should().Be("Ada");
        (await link.GetTimelineAsync(profile.Id).ToListAsync()).Select(e => e.EventName).Should().Equal(
            "/pricing/0", "/pricing/1", "/pricing/2", "Signed Up", "charge.succeeded");
    }

    [StoreFact]
    public virtual async Task Anonymous_history_recorded_under_a_separate_profile_merges_into_the_person_who_identifies()
    {
        var link = await CreateAsync(GraphSchema);
        var known = await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1), userId: "u-ada"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var anonymous = await link.IngestAsync(Segment(new { type = "track", messageId = "m1", anonymousId = "anon-7", @event = "Viewed Pricing", timestamp = "2026-03-01T10:00:00Z" }));
        anonymous.ProfileId.Should().NotBe(known.ProfileId!.Value);

        var alias = await link.IngestAsync(Segment(new { type = "alias", messageId = "m2", previousId = "anon-7", userId = "u-ada", timestamp = "2026-03-01T10:05:00Z" }));

        alias.ProfileId.Should().Be(known.ProfileId, "the older, known profile survives");
        var profile = await link.GetProfileAsync(anonymous.ProfileId!.Value);
        profile!.Id.Should().Be(known.ProfileId!.Value);
        profile.Merges.Should().ContainSingle().Which.Should().BeEquivalentTo(new { MergedId = anonymous.ProfileId!.Value, Kind = MergeKind.Merge });
        (await link.GetTimelineAsync(profile.Id).ToListAsync()).Select(e => e.EventName).Should().Equal("Viewed Pricing");
    }

    [StoreFact]
    public virtual async Task Two_customers_sharing_info_at_acme_stay_two_profiles_and_a_conflict_is_reported()
    {
        var link = await CreateAsync(GraphSchema);
        var first = await link.IngestAsync(StripeCustomer("cus_a", "info@acme.com", Day(2026, 1, 1), name: "Alice", userId: "u-alice"));
        var second = await link.IngestAsync(StripeCustomer("cus_b", "info@acme.com", Day(2026, 1, 2), name: "Bob", userId: "u-bob"));

        second.ProfileId.Should().NotBe(first.ProfileId!.Value);
        (await link.GetProfilesAsync().ToListAsync()).Should().HaveCount(2);
        var conflict = (await link.GetConflictsAsync().ToListAsync()).Should().ContainSingle().Subject;
        conflict.Should().BeEquivalentTo(new
        {
            Identity = new IdentityKey("email", "info@acme.com"),
            Reason = ConflictReason.MergeWouldExceedIdentityLimit,
            Source = "stripe",
            RecordType = "customer",
            RecordId = "cus_b",
            ProfileId = second.ProfileId,
            OtherProfileId = first.ProfileId,
        });
        (await link.GetCoverageAsync())["customer"].Conflicts.Should().Be(1);
        (await link.FindProfileAsync(IdentityKinds.UserId, "u-bob"))!.Identities.Select(i => i.Key.ToString()).Should().Equal("user_id:u-bob");
    }

    [StoreFact]
    public virtual async Task The_conflict_does_not_depend_on_which_customer_arrives_first()
    {
        var forward = await CreateAsync(GraphSchema, name: "info_forward");
        await forward.IngestAsync([StripeCustomer("cus_a", "info@acme.com", Day(2026, 1, 1), userId: "u-alice"), StripeCustomer("cus_b", "info@acme.com", Day(2026, 1, 2), userId: "u-bob")]);
        var backward = await CreateAsync(GraphSchema, name: "info_backward");
        await backward.IngestAsync([StripeCustomer("cus_b", "info@acme.com", Day(2026, 1, 2), userId: "u-bob")]);
        await backward.IngestAsync([StripeCustomer("cus_a", "info@acme.com", Day(2026, 1, 1), userId: "u-alice")]);

        (await GraphStateAsync(backward)).Should().Be(await GraphStateAsync(forward));
    }

    [StoreFact]
    public virtual async Task Identity_limits_per_kind_leave_the_lower_priority_identity_out()
    {
        var link = await CreateAsync(s =>
        {
            GraphSchema(s);
            s.IdentityKind(IdentityKinds.Email, maxPerProfile: 2);
        });
        var result = await link.IngestAsync(new IngestRecord("stripe", "customer",
            """{"id":"cus_1","created":1767225600,"email":["a@example.com","b@example.com","c@example.com"],"metadata":{"user_id":"u-1"}}"""));

        var profile = await link.GetProfileAsync(result.ProfileId!.Value);
        profile!.Identities.Select(i => i.Key.ToString()).Should().Equal("email:a@example.com", "email:b@example.com", "user_id:u-1");
        (await link.GetConflictsAsync().ToListAsync()).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Identity = new IdentityKey("email", "c@example.com"),
            Reason = ConflictReason.IdentityLimit,
            OtherProfileId = (Guid?)null,
        });
    }

    [StoreFact]
    public virtual async Task A_profile_formed_by_too_many_merges_refuses_the_next_one()
    {
        var link = await CreateAsync(s =>
        {
            GraphSchema(s);
            s.MaxMergesPerProfile(1);
        });
        await link.IngestAsync([
            HubSpotContact(1, "a@example.com", Day(2026, 1, 1)),
            HubSpotContact(2, "b@example.com", Day(2026, 1, 2)),
            HubSpotContact(3, "c@example.com", Day(2026, 1, 3)),
        ]);
        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_ab","created":1767484800,"email":["a@example.com","b@example.com"]}"""));
        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_ac","created":1767571200,"email":["a@example.com","c@example.com"]}"""));

        (await link.GetProfilesAsync().ToListAsync()).Should().HaveCount(2);
        (await link.GetConflictsAsync().ToListAsync()).Should().ContainSingle().Which.Reason.Should().Be(ConflictReason.MergeLimit);
    }

    [StoreFact]
    public virtual async Task Unmerge_splits_an_identity_and_its_records_off_and_each_side_keeps_its_own_attributes_and_events()
    {
        var link = await CreateAsync(GraphSchema);
        await link.IngestAsync(HubSpotContact(1, "ada@example.com", Day(2026, 1, 1), name: "Ada", plan: "free"));
        Time.Advance(TimeSpan.FromMinutes(1));
        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_x","created":1767312000,"email":["ada@example.com","ops@other.io"],"name":"Other Co","plan":"team"}"""));
        await link.IngestAsync([
            StripeCharge("ch_ada", "ada@example.com", Day(2026, 1, 5), 100),
            StripeCharge("ch_ops", "ops@other.io", Day(2026, 1, 6), 200),
        ]);
        var merged = await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com");
        merged!.Identities.Should().HaveCount(2);
        merged["plan"].Should().Be("team");

        var result = await link.UnmergeAsync(IdentityKinds.Email, "ops@other.io");

        result.ProfileBefore.Should().Be(merged.Id);
        result.ProfileAfter.Should().NotBeNull().And.NotBe(merged.Id);
        var ada = await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com");
        var ops = await link.FindProfileAsync(IdentityKinds.Email, "ops@other.io");
        ada!.Id.Should().Be(merged.Id);
        ops!.Id.Should().Be(result.ProfileAfter!.Value);
        ada.Identities.Select(i => i.Key.ToString()).Should().Equal("email:ada@example.com");
        ada.Records.Select(r => r.RecordId).Should().Equal("1");
        ada["plan"].Should().Be("free", "each side's attributes come from its own records");
        ops.Records.Select(r => r.RecordId).Should().Equal("cus_x");
        ops["plan"].Should().Be("team");
        (await link.GetTimelineAsync(ada.Id).ToListAsync()).Select(e => e.RecordId).Should().Equal("ch_ada");
        (await link.GetTimelineAsync(ops.Id).ToListAsync()).Select(e => e.RecordId).Should().Equal("ch_ops");
        ada.Merges.Should().ContainSingle(m => m.Kind == MergeKind.Split && m.MergedId == ops.Id);
        (await link.GetConflictsAsync().ToListAsync()).Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Identity = new IdentityKey("email", "ada@example.com"),
            Reason = ConflictReason.Unmerged,
            RecordId = "cus_x",
        });

        // The rule holds for later records too.
        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_x","created":1767398400,"email":["ada@example.com","ops@other.io"],"plan":"enterprise"}"""));
        (await link.GetProfilesAsync().ToListAsync()).Should().HaveCount(2);
        (await link.FindProfileAsync(IdentityKinds.Email, "ops@other.io"))!["plan"].Should().Be("enterprise");
    }

    [StoreFact]
    public virtual async Task Explain_says_which_relation_identity_and_merges_put_an_event_where_it_is()
    {
        var link = await CreateAsync(GraphSchema);
        await link.IngestAsync(HubSpotContact(1, "grace@example.com", Day(2026, 1, 1)));
        Time.Advance(TimeSpan.FromMinutes(1));
        await link.IngestAsync(StripeCustomer("cus_2", "grace.h@example.com", Day(2026, 1, 2), userId: "u-77"));
        await link.IngestAsync(StripeCharge("ch_b", null, Day(2026, 1, 6), 200, userId: "u-77"));
        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_2","email":["grace.h@example.com","grace@example.com"],"created":1767571200,"metadata":{"user_id":"u-77"}}"""));
        await link.IngestAsync(ZendeskTicket("zd-1", "nobody@example.com", Day(2026, 1, 7)));

        var charge = await link.ExplainAsync("stripe", "ch_b");
        charge.Should().NotBeNull();
        charge!.Kind.Should().Be(RecordKind.AppendOnly);
        charge.LinkedBy.Should().Be("metadata.user_id");
        charge.Via.Should().Be(new IdentityKey("user_id", "u-77"));
        charge.ViaOrigin.Should().Be("stripe/customer/cus_2");
        charge.Merges.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Source = "stripe", RecordId = "cus_2", Kind = MergeKind.Merge });
        charge.ToString().Should().Contain("linked by relation field 'metadata.user_id'").And.Contain("through identity user_id:u-77, which stripe/customer/cus_2 brought to the profile");

        var customer = await link.ExplainAsync("stripe", "cus_2");
        customer!.Kind.Should().Be(RecordKind.Merged);
        customer.Asserted.Select(i => i.ToString()).Should().Equal("email:grace.h@example.com", "email:grace@example.com", "user_id:u-77");

        var ticket = await link.ExplainAsync("zendesk", "zd-1");
        ticket!.ProfileId.Should().BeNull();
        ticket.QuarantineMessage.Should().Contain("nobody@example.com");
        (await link.ExplainAsync("zendesk", "nope")).Should().BeNull();
    }

    [StoreFact]
    public virtual async Task A_preview_of_stricter_rules_reports_the_splits_without_changing_anything()
    {
        var link = await CreateAsync(GraphSchema);
        await link.IngestAsync([
            HubSpotContact(1, "ada@example.com", Day(2026, 1, 1)),
            new IngestRecord("stripe", "customer", """{"id":"cus_x","created":1767312000,"email":["ada@example.com","info@acme.com"]}"""),
            HubSpotContact(2, "info@acme.com", Day(2026, 1, 3)),
        ]);
        var before = await Snapshot.ExactAsync(link);

        var preview = await link.PreviewIdentityRulesAsync(o => o.BlockedValues.Add("info@acme.com"));
        var relaxed = await link.PreviewIdentityRulesAsync(o => o.MaxMergesPerProfile = 100);

        preview.Changes.Should().ContainSingle().Which.Kind.Should().Be(ProfileChangeKind.Split);
        preview.Changes[0].IdentitiesAfter.Should().HaveCount(2);
        relaxed.IsEmpty.Should().BeTrue();
        (await Snapshot.ExactAsync(link)).Should().Be(before, "a preview changes nothing");
    }

    [StoreFact]
    public virtual async Task The_account_timeline_holds_every_member_and_source_in_occurred_at_order()
    {
        var link = await CreateAsync(GraphSchema);
        await link.IngestAsync(new IngestRecord("hubspot", "company", """{"id":"co-1","domain":"Acme.io","name":"Acme","updatedAt":"2026-01-01T00:00:00Z"}"""));
        foreach (var (vid, email) in new[] { (1L, "cto@acme.io"), (2L, "cfo@acme.io"), (3L, "dev@acme.io") })
        {
            await link.IngestAsync(new IngestRecord("hubspot", "contact", JsonSerializer.Serialize(new { vid, updatedAt = 1767225600000, properties = new { email, company_domain = "acme.io" } })));
        }

        await link.IngestAsync(HubSpotContact(9, "outsider@else.io", Day(2026, 1, 1)));
        await link.IngestAsync([
            DealStage("d-1", "cto@acme.io", Day(2026, 2, 1), "closed_won"),
            MarketoActivity("mk-1", "cfo@acme.io", Day(2026, 1, 22)),
            StripeCharge("in-1", "cfo@acme.io", Day(2026, 2, 3), 9900, "invoice.paid"),
            IntercomConversation("ic-1", "dev@acme.io", Day(2026, 2, 15, 10), subject: "billing question"),
            ZendeskTicket("zd-1", "cto@acme.io", Day(2026, 2, 15, 11), subject: "charged twice"),
            StripeCharge("in-2", "cfo@acme.io", Day(2026, 4, 20), 9900, "invoice.payment_failed"),
            ZendeskTicket("zd-9", "outsider@else.io", Day(2026, 2, 20)),
        ]);

        var account = await link.FindProfileAsync("domain", "ACME.io");
        account!.Entity.Should().Be("account");
        (await link.GetAccountMembersAsync(account.Id).ToListAsync()).Should().HaveCount(3);
        var timeline = await link.GetAccountTimelineAsync(account.Id).ToListAsync();
        timeline.Select(e => $"{e.OccurredAt:yyyy-MM-dd} {e.Source} {e.EventName}").Should().Equal(
            "2026-01-22 marketo email.opened",
            "2026-02-01 hubspot deal.stage.changed (closed_won)",
            "2026-02-03 stripe invoice.paid",
            "2026-02-15 intercom conversation.created",
            "2026-02-15 zendesk ticket.created",
            "2026-04-20 stripe invoice.payment_failed");
        (await link.GetAccountTimelineAsync(account.Id, new TimelineQuery { Sources = ["stripe"], Limit = 1 }).ToListAsync())
            .Select(e => e.RecordId).Should().Equal("in-1");
    }

    [StoreFact]
    public virtual async Task Segment_times_are_corrected_for_the_device_clock_skew()
    {
        var link = await CreateAsync(GraphSchema);
        var result = await link.IngestAsync(Segment(new
        {
            type = "track",
            messageId = "m-skew",
            anonymousId = "anon-1",
            @event = "Clicked",
            originalTimestamp = "2026-03-01T10:00:00.000Z",
            sentAt = "2026-03-01T10:00:05.000Z",
            receivedAt = "2026-03-01T09:00:07.000Z",
            timestamp = "2026-03-01T10:00:00.000Z",
        }));

        var e = (await link.GetTimelineAsync(result.ProfileId!.Value).ToListAsync()).Should().ContainSingle().Subject;
        e.OccurredAt.Should().Be(new DateTimeOffset(2026, 3, 1, 9, 0, 2, TimeSpan.Zero), "receivedAt − (sentAt − originalTimestamp)");
        (await link.IngestAsync(Segment(new { type = "track", messageId = "m-skew", anonymousId = "anon-1", @event = "Clicked", timestamp = "2026-03-01T10:00:00Z" })))
            .Outcome.Should().Be(IngestOutcome.Duplicate, "messageId is the idempotency key");
    }

    [StoreFact]
    public virtual async Task Random_interleavings_of_Segment_calls_and_tool_records_give_the_same_profiles_links_and_conflicts()
    {
        for (var set = 0; set < 8; set++)
        {
            var random = new Random(500 + set);
            var records = RandomGraphRecords(random);
            string? expected = null;
            for (var order = 0; order < 3; order++)
            {
                var link = await CreateAsync(GraphSchema, name: $"graph_{set}_{order}");
                foreach (var chunk in records.OrderBy(_ => random.Next()).Chunk(1 + random.Next(records.Count)))
                {
                    await link.IngestAsync(chunk);
                }

                var state = await GraphStateAsync(link);
                expected ??= state;
                state.Should().Be(expected, $"set {set}, order {order}");
            }
        }
    }

    private static List<IngestRecord> RandomGraphRecords(Random random)
    {
        string[] users = ["u-1", "u-2", "u-3"];
        string[] anons = ["a-1", "a-2", "a-3", "a-4"];
        string[] emails = ["ada@example.com", "bob@example.com", "info@acme.com", "cy@example.com"];
        var records = new List<IngestRecord>();
        var seed = random.Next();
        for (var i = 0; i < 14; i++)
        {
            var r = new Random(seed + i);
            var at = Iso(Day(2026, 2, 1).AddMinutes(r.Next(60 * 24 * 30)));
            records.Add((r.Next(7)) switch
            {
                0 => Segment(new { type = "identify", messageId = $"i{i}", userId = users[r.Next(users.Length)], anonymousId = anons[r.Next(anons.Length)], traits = new { email = emails[r.Next(emails.Length)], plan = $"p{r.Next(3)}" }, timestamp = at }),
                1 => Segment(new { type = "track", messageId = $"t{i}", anonymousId = anons[r.Next(anons.Length)], userId = r.Next(2) == 0 ? users[r.Next(users.Length)] : null, @event = "Clicked", timestamp = at }),
                2 => Segment(new { type = "alias", messageId = $"a{i}", previousId = anons[r.Next(anons.Length)], userId = users[r.Next(users.Length)], timestamp = at }),
                3 => Segment(new { type = "group", messageId = $"g{i}", groupId = $"org-{r.Next(2)}", userId = users[r.Next(users.Length)], traits = new { name = "Org" }, timestamp = at }),
                4 => StripeCustomer($"cus_{r.Next(4)}", emails[r.Next(emails.Length)], Day(2026, 1, 1).AddDays(r.Next(30)), userId: users[r.Next(users.Length)]),
                5 => HubSpotContact(r.Next(4), emails[r.Next(emails.Length)], Day(2026, 1, 1).AddDays(r.Next(30)), name: $"H{r.Next(3)}"),
                _ => StripeCharge($"ch_{i}", emails[r.Next(emails.Length)], Day(2026, 3, 1).AddHours(r.Next(500)), 100),
            });
        }

        return records;
    }

    /// <summary>The canonical snapshot plus the conflicts, with profiles named by their smallest identity.</summary>
    private static async Task<string> GraphStateAsync(IEventLink link)
    {
        var text = new StringBuilder(await Snapshot.CanonicalAsync(link));
        var names = new Dictionary<Guid, string>();
        await foreach (var profile in link.GetProfilesAsync())
        {
            names[profile.Id] = profile.Identities.Count > 0 ? profile.Identities[0].Key.ToString() : "-";
        }

        await foreach (var conflict in link.GetConflictsAsync())
        {
            text.AppendLine($"conflict {conflict.Source}/{conflict.RecordId} {conflict.Identity} {conflict.Reason} on {Name(conflict.ProfileId)} other {Name(conflict.OtherProfileId)}");
        }

        return text.ToString();

        string Name(Guid? id) => id is { } g && names.TryGetValue(g, out var n) ? n : "-";
    }
}

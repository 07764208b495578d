using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Compliance;

/// <summary>Timelines: every event of a profile across sources, ordered by when it happened.</summary>
public abstract class TimelineContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    private async Task<(IEventLink Link, Guid Profile)> SeedAsync(string name)
    {
        var link = await CreateAsync(name: name);
        var customer = await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        await link.IngestAsync([
            ZendeskTicket("zd-2", "ada@example.com", Day(2026, 3, 1)),
            StripeCharge("ch_b", "ada@example.com", Day(2026, 2, 1), 100),
            IntercomConversation("ic-1", "ada@example.com", Day(2026, 2, 1)),
            StripeCharge("ch_a", "ada@example.com", Day(2026, 2, 1), 100),
            ZendeskTicket("zd-1", "ada@example.com", Day(2026, 1, 10)),
            MarketoActivity("mk-1", "ada@example.com", Day(2026, 4, 1)),
        ]);
        await link.IngestAsync(HubSpotContact(1, "ada@example.com", Day(2026, 1, 2)));
        return (link, customer.ProfileId!.Value);
    }

    [StoreFact]
    public virtual async Task Events_are_ordered_by_occurred_at_then_source_then_record_id()
    {
        var (link, profile) = await SeedAsync(nameof(Events_are_ordered_by_occurred_at_then_source_then_record_id));
        var timeline = await link.GetTimelineAsync(profile).ToListAsync();
        timeline.Select(e => $"{e.Source}/{e.RecordId}").Should().Equal(
            "zendesk/zd-1", "intercom/ic-1", "stripe/ch_a", "stripe/ch_b", "zendesk/zd-2", "marketo/mk-1");
        timeline.Should().AllSatisfy(e => e.ProfileId.Should().Be(profile));
    }

    [StoreFact]
    public virtual async Task A_window_includes_its_start_and_excludes_its_end()
    {
        var (link, profile) = await SeedAsync(nameof(A_window_includes_its_start_and_excludes_its_end));
        var window = await link.GetTimelineAsync(profile, new TimelineQuery { From = Day(2026, 2, 1), To = Day(2026, 3, 1) }).ToListAsync();
        window.Select(e => e.RecordId).Should().Equal("ic-1", "ch_a", "ch_b");
    }

    [StoreFact]
    public virtual async Task Record_type_source_and_limit_filters_apply()
    {
        var (link, profile) = await SeedAsync(nameof(Record_type_source_and_limit_filters_apply));
        (await link.GetTimelineAsync(profile, new TimelineQuery { RecordTypes = ["ticket"] }).ToListAsync())
            .Select(e => e.RecordId).Should().Equal("zd-1", "zd-2");
        (await link.GetTimelineAsync(profile, new TimelineQuery { Sources = ["stripe", "marketo"] }).ToListAsync())
            .Select(e => e.RecordId).Should().Equal("ch_a", "ch_b", "mk-1");
        (await link.GetTimelineAsync(profile, new TimelineQuery { Limit = 2 }).ToListAsync())
            .Select(e => e.RecordId).Should().Equal("zd-1", "ic-1");
        (await link.GetTimelineAsync(profile, new TimelineQuery { RecordTypes = ["ticket"], From = Day(2026, 2, 1) }).ToListAsync())
            .Select(e => e.RecordId).Should().Equal("zd-2");
    }

    [StoreFact]
    public virtual async Task A_late_event_lands_in_its_place()
    {
        var (link, profile) = await SeedAsync(nameof(A_late_event_lands_in_its_place));
        Time.Advance(TimeSpan.FromDays(90));
        await link.IngestAsync(StripeCharge("ch_late", "ada@example.com", Day(2026, 1, 5), 100));

        var timeline = await link.GetTimelineAsync(profile).ToListAsync();
        timeline[0].RecordId.Should().Be("ch_late");
        timeline[0].IngestedAt.Should().BeAfter(timeline[1].IngestedAt);
    }

    [StoreFact]
    public virtual async Task Events_linked_after_waiting_in_quarantine_are_in_their_place_through_filters_paging_and_export()
    {
        // Each batch its own commit: the events wait in quarantine in one, their profile arrives in the next.
        var link = await CreateAsync();
        (await link.IngestAsync([
            StripeCharge("ch_q2", "ada@example.com", Day(2026, 3, 1), 100),
            ZendeskTicket("zd-q", "ada@example.com", Day(2026, 1, 10)),
            StripeCharge("ch_q1", "ada@example.com", Day(2026, 2, 1), 100),
        ])).Select(r => r.Outcome).Should().AllBeEquivalentTo(IngestOutcome.Quarantined);
        var profile = (await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)))).ProfileId!.Value;
        (await link.IngestAsync(StripeCharge("ch_n", "ada@example.com", Day(2026, 2, 15), 100))).Outcome.Should().Be(IngestOutcome.Linked);

        var timeline = await link.GetTimelineAsync(profile).ToListAsync();
        timeline.Select(e => e.RecordId).Should().Equal("zd-q", "ch_q1", "ch_n", "ch_q2");
        timeline.Should().AllSatisfy(e => e.ProfileId.Should().Be(profile));
        (await link.GetTimelineAsync(profile, new TimelineQuery { From = Day(2026, 2, 1), To = Day(2026, 3, 1) }).ToListAsync())
            .Select(e => e.RecordId).Should().Equal("ch_q1", "ch_n");
        (await link.GetTimelineAsync(profile, new TimelineQuery { RecordTypes = ["charge"], Limit = 2 }).ToListAsync())
            .Select(e => e.RecordId).Should().Equal("ch_q1", "ch_n");

        var paged = new List<string>();
        TimelineCursor? after = null;
        for (var page = 0; page < 10; page++)
        {
            var rows = await link.GetTimelineAsync(profile, new TimelineQuery { Limit = 1, After = after }).ToListAsync();
            if (rows.Count == 0)
            {
                break;
            }

            paged.Add(rows[0].RecordId);
            after = rows[0].Cursor;
        }

        paged.Should().Equal("zd-q", "ch_q1", "ch_n", "ch_q2");
        (await link.GetQuarantineAsync().ToListAsync()).Should().BeEmpty();
        var export = await link.ExportTenantAsync().ToListAsync();
        export.Where(l => l.Contains("\"type\":\"event\"", StringComparison.Ordinal)).Should().HaveCount(4)
            .And.AllSatisfy(l => l.Should().Contain(profile.ToString()));
    }

    [StoreFact]
    public virtual async Task Timestamps_in_seconds_milliseconds_and_ISO_8601_with_offsets_are_normalised_to_UTC()
    {
        var link = await CreateAsync();
        var customer = await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        await link.IngestAsync([
            new IngestRecord("zendesk", "ticket", """{"id":"iso","created_at":"2026-02-01T12:00:00+02:00","requester":{"email":"ada@example.com"}}"""),
            new IngestRecord("zendesk", "ticket", """{"id":"ms","created_at":1769947200500,"requester":{"email":"ada@example.com"}}"""),
            new IngestRecord("zendesk", "ticket", """{"id":"s","created_at":"1769940000","requester":{"email":"ada@example.com"}}"""),
            new IngestRecord("zendesk", "ticket", """{"id":"frac","created_at":"2026-02-01T10:00:00.1234567Z","requester":{"email":"ada@example.com"}}"""),
        ]);

        var timeline = await link.GetTimelineAsync(customer.ProfileId!.Value).ToListAsync();
        timeline.Select(e => (e.RecordId, e.OccurredAt)).Should().Equal(
            ("iso", new DateTimeOffset(2026, 2, 1, 10, 0, 0, TimeSpan.Zero)),
            ("s", new DateTimeOffset(2026, 2, 1, 10, 0, 0, TimeSpan.Zero)),
            ("frac", new DateTimeOffset(2026, 2, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234560)),
            ("ms", new DateTimeOffset(2026, 2, 1, 12, 0, 0, 500, TimeSpan.Zero)));
        timeline.Should().AllSatisfy(e => e.OccurredAt.Offset.Should().Be(TimeSpan.Zero));
    }

    [StoreFact]
    public virtual async Task An_unknown_profile_has_an_empty_timeline()
    {
        var link = await CreateAsync();
        (await link.GetTimelineAsync(Guid.NewGuid()).ToListAsync()).Should().BeEmpty();
        (await link.GetProfileAsync(Guid.NewGuid())).Should().BeNull();
        (await link.FindProfileAsync(IdentityKinds.Email, "nobody@example.com")).Should().BeNull();
    }

    [StoreFact]
    public virtual async Task Paging_with_the_after_cursor_returns_each_event_once_in_order_when_timestamps_repeat()
    {
        // 10,000 events on 100 distinct timestamps (100 events each), ingested out of order, read 37 at a time.
        var link = await CreateAsync();
        var customer = await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        var start = Day(2026, 2, 1);
        var records = Enumerable.Range(0, 10_000)
            .Select(i => (i * 7_919) % 10_000)
            .Select(n => StripeCharge($"ch_{n:D5}", "ada@example.com", start.AddMinutes(n % 100), 100))
            .ToList();
        foreach (var batch in records.Chunk(1_000))
        {
            await link.IngestAsync(batch);
        }

        var pages = 0;
        var read = new List<TimelineEvent>();
        TimelineCursor? after = null;
        while (true)
        {
            var page = await link.GetTimelineAsync(customer.ProfileId!.Value, new TimelineQuery { Limit = 37, After = after }).ToListAsync();
            if (page.Count == 0)
            {
                break;
            }

            pages++;
            pages.Should().BeLessThanOrEqualTo((10_000 + 36) / 37, "each page starts after the previous one (a cursor that is ignored would loop)");
            page.Count.Should().BeLessThanOrEqualTo(37);
            read.AddRange(page);
            after = page[^1].Cursor;
        }

        var expected = Enumerable.Range(0, 10_000)
            .OrderBy(n => n % 100).ThenBy(n => n)
            .Select(n => $"ch_{n:D5}")
            .ToList();
        read.Select(e => e.RecordId).Should().Equal(expected);
        pages.Should().Be((10_000 + 36) / 37);
        read.Select(e => e.OccurredAt).Distinct().Should().HaveCount(100);
    }
}

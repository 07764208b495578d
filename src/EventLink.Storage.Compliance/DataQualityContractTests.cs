using System.Runtime.CompilerServices;
using EventLink.Storage;
using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Compliance;

/// <summary>Data quality through every store: contracts and their policies, transformations, drift, renames, anomalies.</summary>
[RequiresCapability(StoreCapabilities.DataQuality)]
public abstract class DataQualityContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    private static readonly DateTimeOffset T0 = Day(2026, 5, 1, 0);

    [StoreFact]
    public virtual async Task Quarantine_policy_stores_the_violations_and_a_replay_links_after_relaxing()
    {
        var strict = await CreateWithQualityAsync(q => q.AddContract("charge", c =>
        {
            c.Property("amount", PropertyType.Integer, required: true);
            c.Property("currency", PropertyType.String).OneOf("usd", "eur");
        }));
        await strict.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        var bad = new IngestRecord("stripe", "charge", """{"id":"ch_1","type":"charge.succeeded","amount":"12.50","currency":"gbp","customer_email":"ada@example.com","created":1767571200}""");
        var result = await strict.IngestAsync(bad);

        result.Outcome.Should().Be(IngestOutcome.Quarantined);
        result.Reason.Should().Be(IngestReason.ContractViolation);
        var entry = (await strict.GetQuarantineAsync().ToListAsync()).Should().ContainSingle().Subject;
        entry.Reason.Should().Be(IngestReason.ContractViolation);
        entry.Message.Should().Contain("'amount' must be an integer but is a string ('12.50')").And.Contain("'currency' value 'gbp' is not one of: usd, eur");
        (await strict.IngestAsync(bad)).Outcome.Should().Be(IngestOutcome.Duplicate, "the quarantined record is stored once");

        // A customer with that identity appearing later does not auto-link a record that breaks its contract.
        (await strict.ReplayQuarantineAsync()).Linked.Should().Be(0);

        var relaxed = await ReopenWithQualityAsync(q => q.AddContract("charge", c => c.Property("amount", PropertyType.Any, required: true)));
        var replay = await relaxed.ReplayQuarantineAsync();
        replay.Should().Be(new QuarantineReplayResult(1, 1, 0));
        var profile = await relaxed.FindProfileAsync(IdentityKinds.Email, "ada@example.com");
        (await relaxed.GetTimelineAsync(profile!.Id).ToListAsync()).Should().ContainSingle(e => e.RecordId == "ch_1");
    }

    [StoreFact]
    public virtual async Task Quarantine_policy_applies_to_merged_records_and_replays()
    {
        var strict = await CreateWithQualityAsync(q => q.AddContract("customer", c => c.Property("email", PropertyType.String).WithFormat(StringFormat.Email).WithMaxLength(40)));
        var result = await strict.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_9","email":"ada(at)example.com","created":1767571200}"""));
        result.Should().Match<IngestResult>(r => r.Outcome == IngestOutcome.Quarantined && r.Reason == IngestReason.ContractViolation);
        result.Message.Should().Contain("is not an e-mail address");
        (await strict.GetProfilesAsync().ToListAsync()).Should().BeEmpty();

        var relaxed = await ReopenWithQualityAsync(_ => { });
        (await relaxed.ReplayQuarantineAsync()).Should().Be(new QuarantineReplayResult(1, 0, 1), "without a contract the record is quarantined for its unusable e-mail, which is now the reason");
        (await relaxed.GetQuarantineAsync().SingleAsync()).Reason.Should().Be(IngestReason.NoUsableIdentifier);
    }

    [StoreFact]
    public virtual async Task Reject_policy_rejects_and_counts_each_bad_record_once()
    {
        var link = await CreateWithQualityAsync(q => q.AddContract("ticket", c => c.Property("subject", PropertyType.String, required: true).WithMaxLength(10), ContractPolicy.Reject));
        var bad = ZendeskTicket("zd-1", "ada@example.com", Day(2026, 1, 1), subject: "a subject far too long");
        var result = await link.IngestAsync(bad);
        await link.IngestAsync(bad);
        await link.IngestAsync(ZendeskTicket("zd-2", "ada@example.com", Day(2026, 1, 1)));

        result.Outcome.Should().Be(IngestOutcome.Rejected);
        result.Reason.Should().Be(IngestReason.ContractViolation);
        result.Message.Should().Contain("'subject' is 22 characters long; the limit is 10");
        var rejections = await link.GetRejectionsAsync().ToListAsync();
        rejections.Select(r => (r.Key, r.Reason)).Should().Equal(("zd-1", IngestReason.ContractViolation), ("zd-2", IngestReason.ContractViolation));
        (await link.GetCoverageAsync())["ticket"].Rejected.Should().Be(2);
        (await link.GetContractViolationsAsync()).Should().Equal(
            new ContractViolationCount("ticket", "ticket", "subject", ContractRule.Required, 1),
            new ContractViolationCount("ticket", "ticket", "subject", ContractRule.MaxLength, 1));
    }

    [StoreFact]
    public virtual async Task Allow_policy_links_and_reports_violations_without_double_counting_replays()
    {
        var link = await CreateWithQualityAsync(q => q.AddContract("charge", c =>
        {
            c.Property("amount", PropertyType.Number, required: true);
            c.Property("currency", PropertyType.String).OneOf("usd");
        }, ContractPolicy.Allow));
        await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        var charges = new[]
        {
            new IngestRecord("stripe", "charge", """{"id":"ch_1","type":"charge.succeeded","amount":"10","currency":"eur","customer_email":"ada@example.com","created":1767571200}"""),
            new IngestRecord("stripe", "charge", """{"id":"ch_2","type":"charge.succeeded","currency":"usd","customer_email":"ada@example.com","created":1767571200}"""),
            StripeCharge("ch_3", "ada@example.com", Day(2026, 1, 2), 500),
        };
        var results = await link.IngestAsync(charges);
        await link.IngestAsync(charges);

        results.Should().AllSatisfy(r => r.Outcome.Should().Be(IngestOutcome.Linked));
        (await link.GetContractViolationsAsync()).Should().Equal(
            new ContractViolationCount("charge", "charge", "amount", ContractRule.Required, 1),
            new ContractViolationCount("charge", "charge", "amount", ContractRule.Type, 1),
            new ContractViolationCount("charge", "charge", "currency", ContractRule.Enum, 1));
    }

    [StoreFact]
    public virtual async Task An_event_name_contract_replaces_the_record_type_contract()
    {
        var link = await CreateWithQualityAsync(q =>
        {
            q.AddContract("charge", c => c.Property("amount", PropertyType.Integer, required: true));
            q.AddContract("charge", c => c.Property("reason", PropertyType.String, required: true), eventName: "charge.refunded");
        });
        await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        var paid = await link.IngestAsync(StripeCharge("ch_1", "ada@example.com", Day(2026, 1, 2), 500));
        var refund = await link.IngestAsync(StripeCharge("ch_2", "ada@example.com", Day(2026, 1, 3), 500, type: "charge.refunded"));

        paid.Outcome.Should().Be(IngestOutcome.Linked);
        refund.Outcome.Should().Be(IngestOutcome.Quarantined);
        refund.Message.Should().Contain("contract 'charge/charge.refunded'").And.Contain("'reason' is required but missing");
    }

    [StoreFact]
    public virtual async Task Transformations_rewrite_the_stored_payload_and_filtered_records_are_counted_once()
    {
        var link = await CreateWithQualityAsync(q => q.Transform("charge", t => t
            .Rename("amt", "amount")
            .Drop("card_number")
            .Set("currency", "\"usd\"")
            .Set("amount_dollars", p => p["amount"] is { } amount ? amount.GetValue<long>() / 100.0 : null)
            .MapValues("plan_type", new Dictionary<string, string> { ["Pro Plan"] = "pro" })
            .FilterWhen("livemode", "false")));
        await link.IngestAsync(StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)));
        var test = new IngestRecord("stripe", "charge", """{"id":"ch_test","type":"charge.succeeded","amt":1,"livemode":false,"customer_email":"ada@example.com","created":1767571200}""");
        var results = await link.IngestAsync([
            new IngestRecord("stripe", "charge", """{"id":"ch_1","type":"charge.succeeded","amt":1250,"card_number":"4242","plan_type":"Pro Plan","livemode":true,"customer_email":"ada@example.com","created":1767571200}"""),
            test,
        ]);
        var again = await link.IngestAsync(test);

        results.Select(r => r.Outcome).Should().Equal(IngestOutcome.Linked, IngestOutcome.Filtered);
        results[1].RecordId.Should().Be("ch_test");
        again.Outcome.Should().Be(IngestOutcome.Filtered);
        var profile = await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com");
        var stored = (await link.GetTimelineAsync(profile!.Id).SingleAsync()).Payload;
        stored.GetProperty("amount").GetInt64().Should().Be(1250);
        stored.GetProperty("amount_dollars").GetDouble().Should().Be(12.5);
        stored.GetProperty("currency").GetString().Should().Be("usd");
        stored.GetProperty("plan_type").GetString().Should().Be("pro");
        stored.TryGetProperty("card_number", out _).Should().BeFalse();
        stored.TryGetProperty("amt", out _).Should().BeFalse();
        var coverage = (await link.GetCoverageAsync())["charge"];
        coverage.Filtered.Should().Be(1, "the filtered record was sent twice but is one record");
        coverage.LinkedPercent.Should().Be(100, "filtered records are not failures");
    }

    [StoreFact]
    public virtual async Task Drift_report_names_a_field_whose_type_switched_and_when()
    {
        var link = await CreateWithQualityAsync(_ => { });
        var records = new List<IngestRecord>();
        for (var i = 0; i < 100; i++)
        {
            records.Add(Charge(i, "\"amount\":1000,\"currency\":\"usd\""));
        }

        for (var i = 100; i < 110; i++)
        {
            records.Add(Charge(i, "\"amount\":\"10.00\",\"coupon\":\"SPRING\""));
        }

        await link.IngestAsync(records.Take(60));
        await link.IngestAsync(records.Skip(60));
        await link.IngestAsync(records.Take(5));

        var report = await link.GetSchemaDriftAsync();
        var shape = report.Find("stripe", "charge")!;
        shape.Records.Should().Be(110, "duplicates are not observed again");
        shape["amount"]!.Types.Should().Equal(
            new FieldTypeSeen("number", 100, MinuteOf(0), MinuteOf(99)),
            new FieldTypeSeen("string", 10, MinuteOf(100), MinuteOf(109)));
        report.Changes.Should().ContainEquivalentOf(new { Kind = SchemaChangeKind.TypeChanged, Path = "amount", FromType = "number", ToType = "string", At = MinuteOf(100) });
        report.Changes.Should().ContainEquivalentOf(new { Kind = SchemaChangeKind.NewField, Path = "coupon", ToType = "string", At = MinuteOf(100) });
        report.Changes.Should().NotContain(c => c.Kind == SchemaChangeKind.StoppedArriving, "the last records are within a day of the currency ones");

        await link.IngestAsync(Charge(2000, "\"amount\":\"10.00\""));
        (await link.GetSchemaDriftAsync()).Changes.Should().ContainEquivalentOf(new { Kind = SchemaChangeKind.StoppedArriving, Path = "currency", LastSeen = (DateTimeOffset?)MinuteOf(99) });

        static IngestRecord Charge(int i, string fields) => new("stripe", "charge",
            $$"""{"id":"ch_{{i}}","type":"charge.succeeded",{{fields}},"customer_email":"ada@example.com","created":{{MinuteOf(i).ToUnixTimeSeconds()}}}""");
    }

    [StoreFact]
    public virtual async Task Renamed_events_answer_timeline_and_coverage_under_the_new_name()
    {
        var link = await CreateWithQualityAsync(q => q
            .RenameEvent("charge.succeeded", "payment_succeeded", recordType: "charge")
            .RenameEvent("charge.failed", "payment_failed", effectiveFrom: Day(2026, 3, 1)));
        await link.IngestAsync([
            StripeCustomer("cus_1", "ada@example.com", Day(2026, 1, 1)),
            StripeCharge("ch_1", "ada@example.com", Day(2026, 1, 2), 100),
            StripeCharge("ch_2", "ada@example.com", Day(2026, 2, 2), 100, type: "payment_succeeded"),
            StripeCharge("ch_3", "ada@example.com", Day(2026, 2, 3), 100, type: "charge.failed"),
            StripeCharge("ch_4", "ada@example.com", Day(2026, 3, 3), 100, type: "charge.failed"),
            StripeCharge("ch_5", "nobody@example.com", Day(2026, 1, 5), 100),
        ]);
        var profile = await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com");

        var timeline = await link.GetTimelineAsync(profile!.Id).ToListAsync();
        timeline.Select(e => (e.RecordId, e.EventName, e.OriginalEventName)).Should().Equal(
            ("ch_1", "payment_succeeded", "charge.succeeded"),
            ("ch_2", "payment_succeeded", null),
            ("ch_3", "payment_failed", "charge.failed"),
            ("ch_4", "charge.failed", null));
        var succeeded = await link.GetTimelineAsync(profile.Id, new TimelineQuery { EventNames = ["payment_succeeded"], Limit = 5 }).ToListAsync();
        succeeded.Select(e => e.RecordId).Should().Equal("ch_1", "ch_2");
        (await link.GetTimelineAsync(profile.Id, new TimelineQuery { EventNames = ["payment_succeeded", "payment_failed"], Limit = 2 }).ToListAsync())
            .Select(e => e.RecordId).Should().Equal("ch_1", "ch_2");

        var coverage = await link.GetCoverageAsync();
        coverage.EventNames.Where(e => e.RecordType == "charge").Should().Equal(
            new EventNameCoverage("charge", "charge.failed", 1, 1, 0),
            new EventNameCoverage("charge", "payment_failed", 1, 1, 0),
            new EventNameCoverage("charge", "payment_succeeded", 3, 2, 1));
    }

    [StoreFact]
    public virtual async Task Anomaly_check_reports_a_silent_hour_a_burst_and_a_silent_source()
    {
        var link = await CreateWithQualityAsync(_ => { });
        var id = 0;
        async Task HourAsync(int count)
        {
            var records = Enumerable.Range(0, count).Select(_ => ZendeskTicket($"zd-{id++}", "ada@example.com", Time.GetUtcNow())).ToList();
            if (records.Count > 0)
            {
                await link.IngestAsync(records);
            }

            Time.Advance(TimeSpan.FromHours(1));
        }

        Time.SetUtcNow(Day(2026, 6, 2, 0).AddMinutes(10));
        var wobble = new[] { 8, 10, 12, 9, 11, 10, 10 };
        for (var hour = 0; hour < 7 * 24; hour++)
        {
            await HourAsync(wobble[hour % wobble.Length]);
        }

        var silentHour = Time.GetUtcNow().AddMinutes(-10);
        await HourAsync(0);
        await HourAsync(10);
        var burstHour = Time.GetUtcNow().AddMinutes(-10);
        await HourAsync(100);
        await HourAsync(10);

        var report = await link.GetAnomaliesAsync(TimeSpan.FromHours(6));
        report.Anomalies.Select(a => (a.Kind, a.Source, a.Hour, a.Count)).Should().Equal(
            (AnomalyKind.BelowBand, "zendesk", silentHour, 0L),
            (AnomalyKind.AboveBand, "zendesk", burstHour, 100L));
        report.Anomalies[1].Upper.Should().BeLessThan(100).And.BeGreaterThan(10);

        await HourAsync(0);
        await HourAsync(0);
        await HourAsync(0);
        var silent = await link.GetAnomaliesAsync(TimeSpan.FromHours(3));
        silent.Anomalies.Should().ContainSingle(a => a.Kind == AnomalyKind.Silent)
            .Which.Hour.Should().Be(Time.GetUtcNow().AddMinutes(-10).AddHours(-3));
    }

    private static DateTimeOffset MinuteOf(int i) => T0.AddMinutes(i);

    private async Task<IEventLink> CreateWithQualityAsync(Action<DataQualityOptions> quality, [CallerMemberName] string name = "") =>
        Build(await NewStoreAsync(name), Define, null, builder => builder.AddDataQuality(quality));

    private async Task<IEventLink> ReopenWithQualityAsync(Action<DataQualityOptions> quality, [CallerMemberName] string name = "") =>
        Build(await ReopenStoreAsync(name), Define, null, builder => builder.AddDataQuality(quality));
}

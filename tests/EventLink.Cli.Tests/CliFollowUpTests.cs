namespace EventLink.Cli.Tests;

/// <summary>The <c>timeline --account</c>, <c>drift</c>, <c>forget</c> and <c>check</c> commands, run as a process.</summary>
public sealed class CliFollowUpTests : IDisposable
{
    private static readonly string[] KatherineTimeline =
    [
        "Pricing", "Signup Started", "Signed Up", "Dashboard", "Report Created", "Report Shared", "Plan Upgraded",
    ];

    private readonly CliProcess _cli = new();

    [Fact]
    public async Task Segment_messages_ingest_with_the_preset_and_an_account_timeline_holds_its_members_events()
    {
        var ingest = await _cli.RunAsync("ingest", CliProcess.Fixture("segment"), "--preset", "segment", "--format", "json");
        ingest.ExitCode.Should().Be(0, ingest.ToString());
        ingest.Json.GetProperty("records").GetInt32().Should().Be(11, "the tracking-API batch on the last line holds three messages");

        var account = await _cli.RunAsync("timeline", "--account", "grp_langley", "--preset", "segment", "--format", "json");
        account.ExitCode.Should().Be(0, account.ToString());
        account.Json.GetProperty("entity").GetString().Should().Be("account");
        account.Json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event").GetString()).Should().Equal(KatherineTimeline);
        var katherine = await _cli.RunAsync("profile", "--user-id", "usr_7731", "--preset", "segment", "--format", "json");
        var katherineId = katherine.Json.GetProperty("id").GetString();
        account.Json.GetProperty("members").EnumerateArray().Select(m => m.GetString()).Should().Equal(katherineId);
        account.Json.GetProperty("events").EnumerateArray().Should().AllSatisfy(e => e.GetProperty("memberId").GetString().Should().Be(katherineId));

        var accountId = account.Json.GetProperty("profileId").GetString()!;
        var byId = await _cli.RunAsync("timeline", "--account", accountId, "--since", "2026-03-12", "--preset", "segment", "--format", "json");
        byId.Json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event").GetString()).Should().Equal("Report Shared", "Plan Upgraded");
        var byIdentity = await _cli.RunAsync("timeline", "--account", "group_id=grp_langley", "--preset", "segment");
        byIdentity.ExitCode.Should().Be(0, byIdentity.ToString());
        byIdentity.Stdout.Should().Contain($"Timeline of account {accountId} and its 1 member(s): 7 event(s)");

        var person = await _cli.RunAsync("timeline", "--account", katherineId!, "--preset", "segment");
        person.ExitCode.Should().Be(1, person.ToString());
        person.Stderr.Should().Contain("is a person, not an account");
        var nobody = await _cli.RunAsync("timeline", "--account", "grp_nasa", "--preset", "segment");
        nobody.ExitCode.Should().Be(1);
        nobody.Stderr.Should().Contain("no account has 'grp_nasa' as group_id");
        var both = await _cli.RunAsync("timeline", "--account", "grp_langley", "--user-id", "usr_7731", "--preset", "segment");
        both.ExitCode.Should().Be(2, both.ToString());
    }

    [Fact]
    public async Task Forget_erases_the_person_prints_the_counts_and_a_replay_does_not_bring_them_back()
    {
        const string Secret = "cli-test-tombstone-secret-0123456789abcdef";
        (await _cli.RunAsync("ingest", CliProcess.Fixture("stripe"), "--preset", "stripe")).ExitCode.Should().Be(0);

        var forget = await _cli.RunAsync("forget", "--email", "ada@example.com", "--preset", "stripe", "--format", "json", "--tombstone-secret", Secret);

        forget.ExitCode.Should().Be(0, forget.ToString());
        forget.Json.GetProperty("profiles").GetInt32().Should().Be(1);
        forget.Json.GetProperty("events").GetInt32().Should().Be(4, "the subscription, invoice and two charges");
        forget.Json.GetProperty("records").GetInt32().Should().BeGreaterThan(0);
        forget.Json.GetProperty("tombstones").GetInt32().Should().BeGreaterThan(0);
        (await _cli.RunAsync("profile", "--email", "ada@example.com", "--preset", "stripe")).ExitCode.Should().Be(1);

        var unkeyed = await _cli.RunAsync("ingest", CliProcess.Fixture("stripe"), "--preset", "stripe");
        unkeyed.ExitCode.Should().NotBe(0, "ingest must not run past tombstones it cannot check");
        unkeyed.ToString().Should().Contain("TombstoneSecret");
        var replay = await _cli.RunAsync("ingest", CliProcess.Fixture("stripe"), "--preset", "stripe", "--format", "json", "--tombstone-secret", Secret);
        replay.Json.GetProperty("outcomes").GetProperty("suppressed").GetInt32().Should().BeGreaterThan(0, replay.ToString());
        (await _cli.RunAsync("profile", "--email", "ada@example.com", "--preset", "stripe")).ExitCode.Should().Be(1, "tombstones keep Ada out");

        var table = await _cli.RunAsync("forget", "--identity", "stripe_customer_id=cus_unknown", "--preset", "stripe", "--tombstone-secret", Secret);
        table.ExitCode.Should().Be(0, table.ToString());
        table.Stdout.Should().Contain("No profile has stripe_customer_id 'cus_unknown'; 1 identity tombstone(s) kept");
        var unknownKind = await _cli.RunAsync("forget", "--identity", "shoe_size=42", "--preset", "stripe", "--tombstone-secret", Secret);
        unknownKind.ExitCode.Should().Be(2);
        unknownKind.Stderr.Should().Contain("identity kind 'shoe_size' is not in the schema");
    }

    [Fact]
    public async Task Drift_reports_a_field_whose_type_changed_as_json_and_as_a_table()
    {
        var schema = ShopSchema();
        var orders = await _cli.RunWithInputAsync("""
            {"id":"o1","at":"2026-03-02T10:00:00Z","buyer":"ada@example.com","amount":1200}
            {"id":"o2","at":"2026-03-03T10:00:00Z","buyer":"ada@example.com","amount":900}
            {"id":"o3","at":"2026-03-04T10:00:00Z","buyer":"ada@example.com","amount":"15.00","coupon":"SPRING"}
            """, "ingest", "--schema", schema, "--source", "shop", "--type", "order");
        orders.ExitCode.Should().Be(0, orders.ToString());

        var drift = await _cli.RunAsync("drift", "--schema", schema, "--format", "json");

        drift.ExitCode.Should().Be(0, drift.ToString());
        var shape = drift.Json.GetProperty("shapes").EnumerateArray().Single();
        (shape.GetProperty("source").GetString(), shape.GetProperty("recordType").GetString(), shape.GetProperty("records").GetInt32()).Should().Be(("shop", "order", 3));
        shape.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "amount")
            .GetProperty("types").EnumerateArray().Select(t => (t.GetProperty("type").GetString(), t.GetProperty("count").GetInt32()))
            .Should().Equal(("number", 2), ("string", 1));
        var changes = drift.Json.GetProperty("changes").EnumerateArray().ToList();
        changes.Should().ContainSingle(c => c.GetProperty("kind").GetString() == "TypeChanged" && c.GetProperty("path").GetString() == "amount"
            && c.GetProperty("fromType").GetString() == "number" && c.GetProperty("toType").GetString() == "string"
            && c.GetProperty("at").GetString() == "2026-03-04T10:00:00Z");
        changes.Should().Contain(c => c.GetProperty("kind").GetString() == "NewField" && c.GetProperty("path").GetString() == "coupon");

        var table = await _cli.RunAsync("drift", "--schema", schema, "--fields");
        table.ExitCode.Should().Be(0);
        table.Stdout.Should().MatchRegex(@"shop\s+order\s+3\s").And.MatchRegex(@"TypeChanged\s+shop\s+order\s+amount").And.MatchRegex(@"amount\s+number \(2\), string \(1\)");
    }

    [Fact]
    public async Task Check_prints_the_problems_of_a_folder_of_samples_and_exits_with_1()
    {
        var samples = Directory.CreateDirectory(Path.Combine(_cli.WorkingDirectory, "samples")).FullName;
        File.WriteAllText(Path.Combine(samples, "shop.customer.json"), """[{"id":"c1","created":1772400000,"email":"ada@example.com"},{"id":"c2","created":1772400000,"email":"not-an-email"}]""");
        File.WriteAllText(Path.Combine(samples, "shop.order.jsonl"), """
            {"id":"o1","at":"2026-03-02T10:00:00Z","buyer":"grace@example.com"}
            {"id":"o2","at":"2026-03-03T10:00:00Z","buyer_email":"ada@example.com"}
            """);

        var check = await _cli.RunAsync("check", samples, "--schema", ShopSchema(), "--format", "json");

        check.ExitCode.Should().Be(1, check.ToString());
        check.Stderr.Should().Contain("problem(s) found in the samples");
        check.Json.GetProperty("clean").GetBoolean().Should().BeFalse();
        var order = check.Json.GetProperty("recordTypes").EnumerateArray().Single(r => r.GetProperty("recordType").GetString() == "order");
        order.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).Should().Contain("relation 'buyer' never matched a profile (1 usable values)");
        var buyer = order.GetProperty("fields").EnumerateArray().Single();
        (buyer.GetProperty("missing").GetInt32(), buyer.GetProperty("usable").GetInt32(), buyer.GetProperty("matched").GetInt32()).Should().Be((1, 1, 0));
        var customer = check.Json.GetProperty("recordTypes").EnumerateArray().Single(r => r.GetProperty("recordType").GetString() == "customer");
        customer.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).Should().Contain(p => p!.Contains("malformed or blocked, e.g. 'not-an-email'"));

        var table = await _cli.RunAsync("check", samples, "--schema", ShopSchema());
        table.ExitCode.Should().Be(1);
        table.Stdout.Should().Contain("order: 2 payload(s)").And.Contain("  ! relation 'buyer' never matched a profile");
    }

    [Fact]
    public async Task Check_exits_with_0_when_the_samples_are_clean_and_reads_preset_deliveries_with_their_preset()
    {
        var samples = Directory.CreateDirectory(Path.Combine(_cli.WorkingDirectory, "clean")).FullName;
        File.WriteAllText(Path.Combine(samples, "shop.customer.json"), """{"id":"c1","created":1772400000,"email":"ada@example.com"}""");
        Directory.CreateDirectory(Path.Combine(samples, "shop"));
        File.WriteAllText(Path.Combine(samples, "shop", "order.json"), """{"id":"o1","at":"2026-03-02T10:00:00Z","buyer":"Ada@Example.com"}""");

        var clean = await _cli.RunAsync("check", samples, "--schema", ShopSchema());
        clean.ExitCode.Should().Be(0, clean.ToString());
        clean.Stdout.Should().Contain("order: 1 payload(s) — 1 Linked").And.Contain("No problems found.");

        // A file named after a preset holds the tool's deliveries: read with the preset, checked per record type.
        var deliveries = Directory.CreateDirectory(Path.Combine(_cli.WorkingDirectory, "deliveries")).FullName;
        File.Copy(CliProcess.Fixture("segment"), Path.Combine(deliveries, "segment.jsonl"));
        File.AppendAllText(Path.Combine(deliveries, "segment.jsonl"), """{"type":"purchase","messageId":"m-1"}""" + "\n");
        var segment = await _cli.RunAsync("check", deliveries, "--preset", "segment", "--format", "json");
        segment.ExitCode.Should().Be(1, segment.ToString());
        var types = segment.Json.GetProperty("recordTypes").EnumerateArray().ToDictionary(r => r.GetProperty("recordType").GetString()!);
        types["segment.track"].GetProperty("payloads").GetInt32().Should().Be(5);
        // context.traits.email is a fallback relation (e-mail partners send it); these messages never carry it.
        types["segment.track"].GetProperty("problems").EnumerateArray().Select(p => p.GetString()).Should().Equal(
            "relation 'context.traits.email' found no usable value in any payload (5 missing, 0 malformed or blocked)");
        types["segment.page"].GetProperty("problems").EnumerateArray().Select(p => p.GetString()).Should().Equal(
            "relation 'userId' found no usable value in any payload (1 missing, 0 malformed or blocked)",
            "relation 'context.traits.email' found no usable value in any payload (1 missing, 0 malformed or blocked)");
        segment.Json.GetProperty("unreadable").EnumerateArray().Select(u => u.GetString()).Should().Equal(
            "segment.jsonl:10: Segment: Segment message type 'purchase' is not one of identify, track, page, screen, alias, group");

        (await _cli.RunAsync("check", Path.Combine(_cli.WorkingDirectory, "missing"), "--preset", "segment")).ExitCode.Should().Be(2);
    }

    public void Dispose() => _cli.Dispose();

    private string ShopSchema()
    {
        var schema = Path.Combine(_cli.WorkingDirectory, "schema.json");
        File.WriteAllText(schema, """
            { "EventLink": { "Schema": { "RecordTypes": {
              "customer": { "Kind": "Merged", "RecordId": "id", "OccurredAt": "created", "Identities": [ { "Field": "email", "Kind": "email" } ] },
              "order": { "Kind": "AppendOnly", "RecordId": "id", "OccurredAt": "at", "Relations": [ { "Field": "buyer", "Target": "customer" } ] } } } } }
            """);
        return schema;
    }
}

namespace EventLink.Cli.Tests;

public sealed class CliTests : IDisposable
{
    private readonly CliProcess _cli = new();

    [Fact]
    public async Task Ingesting_vendor_files_then_querying_gives_the_cross_tool_timeline_and_coverage_as_json()
    {
        foreach (var vendor in new[] { "stripe", "zendesk", "marketo" })
        {
            var ingest = await _cli.RunAsync("ingest", CliProcess.Fixture(vendor), "--source", vendor, "--format", "json");
            ingest.ExitCode.Should().Be(0, ingest.ToString());
            ingest.Json.GetProperty("badInput").GetInt32().Should().Be(0);
        }

        var timeline = await _cli.RunAsync("timeline", "--email", "ada@example.com", "--format", "json");
        timeline.ExitCode.Should().Be(0, timeline.ToString());
        timeline.Json.GetProperty("events").EnumerateArray().Select(e => $"{e.GetProperty("source").GetString()} {e.GetProperty("event").GetString()}").Should().Equal(
            "stripe customer.subscription.created", "stripe charge.succeeded", "stripe invoice.paid", "zendesk zen:event-type:ticket.created",
            "marketo Open Email", "marketo Fill Out Form", "stripe charge.refunded", "zendesk zen:event-type:ticket.status_changed");

        var since = await _cli.RunAsync("timeline", "--identity", "zendesk_user_id=19283746501", "--since", "2026-03-07", "--format", "json");
        since.Json.GetProperty("events").GetArrayLength().Should().Be(4);

        var coverage = await _cli.RunAsync("coverage", "--format", "json");
        coverage.ExitCode.Should().Be(0, coverage.ToString());
        var marketo = coverage.Json.EnumerateArray().Single(c => c.GetProperty("recordType").GetString() == "marketo_activity");
        (marketo.GetProperty("linked").GetInt32(), marketo.GetProperty("quarantined").GetInt32()).Should().Be((2, 1));

        var quarantine = await _cli.RunAsync("quarantine", "list", "--format", "json");
        quarantine.Json.EnumerateArray().Select(q => q.GetProperty("recordId").GetString()).Should().Contain(["102990", "evt_3PzX1aLkdIwHu7ix1GuEst05"]);

        var profile = await _cli.RunAsync("profile", "--email", "ADA@example.com");
        profile.ExitCode.Should().Be(0);
        profile.Stdout.Should().MatchRegex(@"name\s+Ada King\s+stripe");
    }

    [Fact]
    public async Task Bad_input_is_counted_and_exits_with_1_while_good_items_are_stored()
    {
        var input = string.Join('\n', File.ReadLines(CliProcess.Fixture("stripe")).Take(2)) + "\n{not json\n{\"id\":\"evt_x\",\"type\":\"charge.succeeded\",\"data\":{\"object\":{\"object\":\"charge\"}}}\n{\"hello\":1}\n";

        var result = await _cli.RunWithInputAsync(input, "ingest", "-", "--preset", "stripe", "--format", "json");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("3 bad input item(s) found (1 rejected, 2 unreadable)");
        result.Json.GetProperty("outcomes").GetProperty("created").GetInt32().Should().Be(1);
        result.Json.GetProperty("outcomes").GetProperty("linked").GetInt32().Should().Be(1);
        result.Json.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("item").GetInt32()).Should().Equal(3, 5, 4);
        (await _cli.RunAsync("profile", "--email", "ada@example.com")).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Re_running_an_ingest_converges_and_a_checkpoint_skips_what_is_stored()
    {
        var first = await _cli.RunAsync("ingest", CliProcess.Fixture("hubspot"), "--preset", "hubspot", "--format", "json");
        var again = await _cli.RunAsync("ingest", CliProcess.Fixture("hubspot"), "--preset", "hubspot", "--format", "json");

        first.ExitCode.Should().Be(0, first.ToString());
        again.Json.GetProperty("outcomes").GetProperty("duplicate").GetInt32().Should().Be(first.Json.GetProperty("records").GetInt32() - 1);
        again.Json.GetProperty("outcomes").GetProperty("stale").GetInt32().Should().Be(1, "the older version of contact 51 on the first line");

        var checkpoint = Path.Combine(_cli.WorkingDirectory, "ingest.checkpoint");
        File.WriteAllText(checkpoint, $$"""{"input":"{{CliProcess.Fixture("hubspot")}}","item":3}""");
        var resumed = await _cli.RunAsync("ingest", CliProcess.Fixture("hubspot"), "--preset", "hubspot", "--checkpoint", checkpoint, "--format", "json");
        resumed.Json.GetProperty("skipped").GetInt32().Should().Be(3);
        resumed.Json.GetProperty("items").GetInt32().Should().Be(2);
        File.Exists(checkpoint).Should().BeFalse("a finished run removes its checkpoint");
    }

    [Fact]
    public async Task A_schema_file_and_explicit_record_types_ingest_any_source()
    {
        var schema = Path.Combine(_cli.WorkingDirectory, "schema.json");
        File.WriteAllText(schema, """
            { "EventLink": { "Schema": { "RecordTypes": {
              "customer": { "Kind": "Merged", "RecordId": "id", "OccurredAt": "created", "Identities": [ { "Field": "email", "Kind": "email" } ] },
              "order": { "Kind": "AppendOnly", "RecordId": "id", "OccurredAt": "at", "Relations": [ { "Field": "buyer", "Target": "customer" } ] } } } } }
            """);
        await _cli.RunWithInputAsync("""[{"id":"c1","created":1772400000,"email":"ada@example.com"}]""", "ingest", "--schema", schema, "--source", "shop", "--type", "customer");
        var orders = await _cli.RunWithInputAsync("""
            {"source":"shop","record_type":"order","payload":{"id":"o1","at":"2026-03-02T10:00:00Z","buyer":"ada@example.com"}}
            {"source":"shop","record_type":"order","payload":{"id":"o2","at":"2026-03-03T10:00:00Z","buyer":"ada@example.com"}}
            """, "ingest", "--schema", schema, "--format", "json");

        orders.ExitCode.Should().Be(0, orders.ToString());
        var timeline = await _cli.RunAsync("timeline", "--email", "ada@example.com", "--schema", schema, "--format", "json");
        timeline.Json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("recordId").GetString()).Should().Equal("o1", "o2");
    }

    [Theory]
    [InlineData("ingest", "--preset", "salesforce")]
    [InlineData("ingest", "--frobnicate")]
    [InlineData("profile")]
    [InlineData("timeline", "--email", "a@example.com", "--since", "last tuesday")]
    [InlineData("nope")]
    public async Task Usage_errors_exit_with_2(params string[] args)
    {
        var result = await _cli.RunWithInputAsync("", args);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().StartWith("eventlink: ");
    }

    [Fact]
    public async Task An_unknown_profile_exits_with_1()
    {
        (await _cli.RunAsync("ingest", CliProcess.Fixture("stripe"), "--preset", "stripe")).ExitCode.Should().Be(0);
        var result = await _cli.RunAsync("profile", "--email", "nobody@example.com");

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("no profile has email 'nobody@example.com'");
    }

    [Fact]
    public async Task PostgreSQL_is_used_with_a_connection_string()
    {
        var connectionString = Environment.GetEnvironmentVariable("EVENTLINK_TEST_POSTGRES");
        if (string.IsNullOrEmpty(connectionString))
        {
            Environment.GetEnvironmentVariable("EVENTLINK_REQUIRE_POSTGRES").Should().NotBe("1", "EVENTLINK_TEST_POSTGRES must be set when PostgreSQL is required");
            return;
        }

        var tenant = "cli-" + Guid.NewGuid().ToString("N");
        var ingest = await _cli.RunAsync("ingest", CliProcess.Fixture("intercom"), "--preset", "intercom", "--postgres", connectionString, "--tenant", tenant, "--format", "json");
        ingest.ExitCode.Should().Be(0, ingest.ToString());
        var timeline = await _cli.RunAsync("timeline", "--identity", "intercom_external_id=u_1001", "--preset", "intercom", "--postgres", connectionString, "--tenant", tenant, "--format", "json");
        timeline.Json.GetProperty("events").GetArrayLength().Should().Be(2, timeline.ToString());
        File.Exists(Path.Combine(_cli.WorkingDirectory, "eventlink.db")).Should().BeFalse("nothing went to SQLite");
    }

    public void Dispose() => _cli.Dispose();
}

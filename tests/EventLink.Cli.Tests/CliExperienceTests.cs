using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EventLink.Cli.Tests;

/// <summary>What using the tool is like: its name in help, tables, progress, streaming, JSON keys, and refusing mistakes.</summary>
public sealed partial class CliExperienceTests : IDisposable
{
    private const string Schema = """
        { "EventLink": { "Schema": { "RecordTypes": {
          "customer": { "Kind": "Merged", "RecordId": "id", "OccurredAt": "created", "Identities": [ { "Field": "email", "Kind": "email" } ] },
          "order": { "Kind": "AppendOnly", "RecordId": "id", "OccurredAt": "at", "Relations": [ { "Field": "buyer", "Target": "customer" } ] } } } } }
        """;

    private readonly CliProcess _cli = new();

    private string SchemaFile
    {
        get
        {
            var path = Path.Combine(_cli.WorkingDirectory, "schema.json");
            if (!File.Exists(path))
            {
                File.WriteAllText(path, Schema);
            }

            return path;
        }
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Help_names_the_tool_eventlink()
    {
        var help = await _cli.RunAsync("--help");
        var ingestHelp = await _cli.RunAsync("ingest", "--help");

        help.ExitCode.Should().Be(0, help.ToString());
        help.Stdout.Should().Contain("Usage:").And.MatchRegex(@"eventlink \[command\]").And.NotContain("EventLink.Cli");
        ingestHelp.Stdout.Should().MatchRegex(@"eventlink ingest \[<file>\]").And.Contain("EVENTLINK_POSTGRES").And.NotContain("EventLink.Cli");
    }

    [Theory]
    [InlineData("profile", "--email", "ada@example.com")]
    [InlineData("timeline", "--email", "ada@example.com")]
    [InlineData("coverage")]
    [InlineData("quarantine", "list")]
    [InlineData("quarantine", "replay")]
    [InlineData("drift")]
    [InlineData("forget", "--email", "ada@example.com")]
    public async Task Read_commands_refuse_a_database_that_does_not_exist(params string[] args)
    {
        var result = await _cli.RunAsync([.. args, "--db", "mistyped.db"]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().StartWith("eventlink: database 'mistyped.db' not found");
        result.Stdout.Should().BeEmpty();
        File.Exists(Path.Combine(_cli.WorkingDirectory, "mistyped.db")).Should().BeFalse("a read must not create an empty database");
    }

    [Fact]
    public async Task EVENTLINK_POSTGRES_chooses_PostgreSQL_unless_db_is_given()
    {
        var unreachable = new Dictionary<string, string> { ["EVENTLINK_POSTGRES"] = "Host=127.0.0.1;Port=9;Username=nobody;Database=none;Timeout=3" };
        var failed = await _cli.RunWithEnvironmentAsync(unreachable, null, "coverage");
        failed.ExitCode.Should().Be(3, failed.ToString());
        failed.Stderr.Should().StartWith("eventlink: the store failed:");
        File.Exists(Path.Combine(_cli.WorkingDirectory, "eventlink.db")).Should().BeFalse("the environment chose PostgreSQL");

        var sqlite = await _cli.RunWithEnvironmentAsync(unreachable, null, "ingest", CliProcess.Fixture("stripe"), "--preset", "stripe", "--db", "explicit.db");
        sqlite.ExitCode.Should().Be(0, "an explicit --db wins over the environment: " + sqlite);
        File.Exists(Path.Combine(_cli.WorkingDirectory, "explicit.db")).Should().BeTrue();

        var connectionString = Environment.GetEnvironmentVariable("EVENTLINK_TEST_POSTGRES");
        if (string.IsNullOrEmpty(connectionString))
        {
            Environment.GetEnvironmentVariable("EVENTLINK_REQUIRE_POSTGRES").Should().NotBe("1", "EVENTLINK_TEST_POSTGRES must be set when PostgreSQL is required");
            return;
        }

        var postgres = new Dictionary<string, string> { ["EVENTLINK_POSTGRES"] = connectionString };
        var tenant = "cli-env-" + Guid.NewGuid().ToString("N");
        var ingest = await _cli.RunWithEnvironmentAsync(postgres, null, "ingest", CliProcess.Fixture("intercom"), "--preset", "intercom", "--tenant", tenant, "--format", "json");
        ingest.ExitCode.Should().Be(0, ingest.ToString());
        var timeline = await _cli.RunWithEnvironmentAsync(postgres, null, "timeline", "--identity", "intercom_external_id=u_1001", "--preset", "intercom", "--tenant", tenant, "--format", "json");
        timeline.Json.GetProperty("events").GetArrayLength().Should().Be(2, timeline.ToString());
        File.Exists(Path.Combine(_cli.WorkingDirectory, "eventlink.db")).Should().BeFalse("nothing went to SQLite");
    }

    [Fact]
    public async Task Tables_align_by_display_width_with_CJK_text()
    {
        await _cli.RunWithInputAsync("""
            [{"id":"c1","created":1772400000,"email":"yamada@example.com","name":"山田太郎","city":"東京"},
             {"id":"c2","created":1772400000,"email":"ada@example.com","name":"Ada","city":"London"}]
            """, "ingest", "--schema", SchemaFile, "--source", "shop", "--type", "customer");

        var profile = await _cli.RunAsync("profile", "--email", "yamada@example.com", "--schema", SchemaFile);

        profile.ExitCode.Should().Be(0, profile.ToString());
        var rows = profile.Stdout.Split('\n').SkipWhile(l => !l.StartsWith("attribute", StringComparison.Ordinal)).TakeWhile(l => l.Trim().Length > 0).ToList();
        rows.Select(r => r.Split(' ')[0]).Should().Equal(["attribute", "city", "created", "email", "id", "name"], profile.Stdout);
        rows.Select(r => DisplayWidth(r[..r.IndexOf(r.StartsWith("attribute", StringComparison.Ordinal) ? "source" : "shop", StringComparison.Ordinal)]))
            .Distinct().Should().ContainSingle("every row's source column starts at the same terminal column:\n" + profile.Stdout);
    }

    [Fact]
    public async Task Progress_of_a_JSON_array_shows_rate_and_ETA_and_advances_as_the_array_is_read()
    {
        var input = Path.Combine(_cli.WorkingDirectory, "orders.json");
        await WriteOrdersArrayAsync(input, 5_000);

        var result = await _cli.RunAsync("ingest", input, "--schema", SchemaFile, "--source", "shop", "--type", "order", "--batch-size", "250", "--progress", "--format", "json");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Json.GetProperty("records").GetInt32().Should().Be(5_000);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var progress = lines.Select(l => ProgressLine().Match(l)).Where(m => m.Success).ToList();
        progress.Should().HaveCountGreaterThanOrEqualTo(5, result.Stderr);
        var percents = progress.Select(m => int.Parse(m.Groups["percent"].Value, CultureInfo.InvariantCulture)).ToList();
        percents[0].Should().BeLessThan(50, "the bar follows the bytes read, not 100 % after the first batch: " + result.Stderr);
        percents.Should().BeInAscendingOrder().And.EndWith(100);
        progress.Select(m => long.Parse(m.Groups["records"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).Should().BeInAscendingOrder().And.EndWith(5_000);
        progress.Should().AllSatisfy(m => m.Groups["eta"].Success.Should().BeTrue());
    }

    [Fact]
    public async Task Json_output_uses_camelCase_keys_everywhere()
    {
        var ingest = await _cli.RunAsync("ingest", CliProcess.Fixture("stripe"), "--source", "stripe", "--format", "json");
        await _cli.RunAsync("ingest", CliProcess.Fixture("marketo"), "--source", "marketo", "--format", "json");
        var outputs = new List<CliResult>
        {
            ingest,
            await _cli.RunAsync("profile", "--email", "ada@example.com", "--format", "json"),
            await _cli.RunAsync("timeline", "--email", "ada@example.com", "--format", "json"),
            await _cli.RunAsync("coverage", "--format", "json"),
            await _cli.RunAsync("quarantine", "list", "--format", "json"),
            await _cli.RunAsync("drift", "--format", "json"),
            await _cli.RunAsync("forget", "--email", "ada@example.com", "--dry-run", "--format", "json"),
        };

        foreach (var output in outputs)
        {
            output.ExitCode.Should().Be(0, output.ToString());
            KeysOutsidePayloads(output.Json).Should().OnlyContain(k => char.IsLower(k[0]) && !k.Contains('_', StringComparison.Ordinal), output.Stdout);
        }

        ingest.Json.GetProperty("outcomes").EnumerateObject().Select(p => p.Name).Should().Contain(["created", "linked", "quarantined", "rejected"]);
    }

    [Fact]
    public async Task Forget_with_dry_run_shows_what_would_be_erased_and_erases_nothing()
    {
        (await _cli.RunAsync("ingest", CliProcess.Fixture("stripe"), "--preset", "stripe")).ExitCode.Should().Be(0);
        var before = await _cli.RunAsync("timeline", "--email", "ada@example.com", "--format", "json");

        var json = await _cli.RunAsync("forget", "--email", "ada@example.com", "--dry-run", "--format", "json");
        var table = await _cli.RunAsync("forget", "--email", "ada@example.com", "--dry-run");

        json.ExitCode.Should().Be(0, json.ToString());
        json.Json.GetProperty("dryRun").GetBoolean().Should().BeTrue();
        json.Json.GetProperty("profileId").GetString().Should().Be(before.Json.GetProperty("profileId").GetString());
        json.Json.GetProperty("events").GetInt32().Should().Be(before.Json.GetProperty("events").GetArrayLength()).And.BeGreaterThan(0);
        json.Json.GetProperty("identities").GetInt32().Should().BeGreaterThan(0);
        table.Stdout.Should().Contain("Dry run: forgetting email 'ada@example.com' would erase profile").And.Contain("Nothing was erased.");
        table.Stdout.Should().MatchRegex(@"events\s+" + before.Json.GetProperty("events").GetArrayLength());
        var after = await _cli.RunAsync("timeline", "--email", "ada@example.com", "--format", "json");
        after.Json.GetProperty("events").GetArrayLength().Should().Be(before.Json.GetProperty("events").GetArrayLength(), "nothing was erased");
    }

    [Fact]
    public async Task Quarantine_list_stops_at_its_limit()
    {
        (await _cli.RunAsync("ingest", CliProcess.Fixture("stripe"), "--preset", "stripe")).ExitCode.Should().Be(0);
        (await _cli.RunAsync("ingest", CliProcess.Fixture("marketo"), "--preset", "marketo")).ExitCode.Should().Be(0);
        var all = await _cli.RunAsync("quarantine", "list", "--format", "json");
        all.Json.GetArrayLength().Should().BeGreaterThan(1, "the fixtures leave more than one record waiting");

        var one = await _cli.RunAsync("quarantine", "list", "--limit", "1", "--format", "json");
        var table = await _cli.RunAsync("quarantine", "list", "--limit", "1");

        one.Json.GetArrayLength().Should().Be(1);
        one.Json[0].GetProperty("recordId").GetString().Should().Be(all.Json[0].GetProperty("recordId").GetString());
        table.Stdout.Should().StartWith("The first 1 record(s) in quarantine (--limit 1; more are waiting)");
        (await _cli.RunAsync("quarantine", "list", "--limit", "-1")).ExitCode.Should().Be(2);
    }

    [Fact]
    public async Task A_malformed_array_is_counted_as_unreadable_after_the_good_items()
    {
        var result = await _cli.RunWithInputAsync("""
            [{"id":"c1","created":1772400000,"email":"a@example.com"},
             {"id":"c2","created":1772400000,"email":"b@example.com"},
             {"id":"c3", oops}]
            """, "ingest", "--schema", SchemaFile, "--source", "shop", "--type", "customer", "--format", "json");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Json.GetProperty("outcomes").GetProperty("created").GetInt32().Should().Be(2);
        result.Json.GetProperty("unreadable").GetInt32().Should().Be(1);
        result.Json.GetProperty("problems")[0].GetProperty("message").GetString().Should().Contain("the JSON array is malformed");
    }

    [Fact]
    public async Task A_200000_record_JSON_array_is_ingested_in_flat_memory_with_rate_and_ETA()
    {
        // About 40 MB of JSON. Reading it whole (as the tool once did) peaked above 600 MB; streamed, the peak is the
        // runtime, SQLite's page cache and one batch: about 180 MB measured, whatever the file's size.
        var input = Path.Combine(_cli.WorkingDirectory, "orders.json");
        await WriteOrdersArrayAsync(input, 200_000, padding: 120);
        new FileInfo(input).Length.Should().BeGreaterThan(35_000_000);
        (await _cli.RunWithInputAsync("""[{"id":"c1","created":1772400000,"email":"ada@example.com"}]""", "ingest", "--schema", SchemaFile, "--source", "shop", "--type", "customer"))
            .ExitCode.Should().Be(0);

        var (result, peak) = await _cli.RunMeasuredAsync("ingest", input, "--schema", SchemaFile, "--source", "shop", "--type", "order", "--batch-size", "1000", "--progress", "--format", "json");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Json.GetProperty("outcomes").GetProperty("linked").GetInt32().Should().Be(200_000);
        peak.Should().BeGreaterThan(0).And.BeLessThan(320L * 1024 * 1024, "the array is streamed, not buffered (peak {0:N0} bytes)", peak);
        var progress = result.Stderr.Split('\n').Select(l => ProgressLine().Match(l.Trim())).Where(m => m.Success).ToList();
        progress.Should().HaveCountGreaterThanOrEqualTo(10, result.Stderr);
        progress.Should().AllSatisfy(m => m.Groups["eta"].Success.Should().BeTrue());
        var percents = progress.Select(m => int.Parse(m.Groups["percent"].Value, CultureInfo.InvariantCulture)).ToList();
        percents.Should().Contain(p => p >= 40 && p <= 60).And.EndWith(100);
    }

    /// <summary>Writes a JSON array of orders for one customer, one per line, without holding it in memory.</summary>
    internal static async Task WriteOrdersArrayAsync(string path, int count, int padding = 0)
    {
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        await writer.WriteLineAsync("[");
        var filler = new string('x', padding);
        for (var i = 0; i < count; i++)
        {
            await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $$"""  {"id":"o{{i}}","at":{{1772400000 + i}},"buyer":"ada@example.com","note":"{{filler}}"}"""));
            await writer.WriteLineAsync(i == count - 1 ? "]" : ",");
        }
    }

    private static IEnumerable<string> KeysOutsidePayloads(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            return element.EnumerateArray().SelectMany(KeysOutsidePayloads);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        return element.EnumerateObject()
            .Where(p => p.Name is not ("payload" or "value"))
            .SelectMany(p => KeysOutsidePayloads(p.Value).Prepend(p.Name));
    }

    private static int DisplayWidth(string text) => text.Sum(c => c is >= '\u1100' and <= '\u115F' or >= '\u2E80' and <= '\uA4CF' or >= '\uAC00' and <= '\uD7A3' or >= '\uF900' and <= '\uFAFF' or >= '\uFF00' and <= '\uFF60' ? 2 : 1);

    [GeneratedRegex(@"^ingest\s+\[[#.]+\]\s+(?<percent>\d+)%\s+(?<records>[\d,]+) records\s+[\d,]+ records/s(\s+(?<eta>ETA \d+:\d\d:\d\d))?")]
    private static partial Regex ProgressLine();
}

using EventLink.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Testing.Tests;

public sealed class EventLinkTestHostTests
{
    private static void Schema(SchemaBuilder s) => s
        .Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email"))
        .AppendOnly("charge", t => t.RecordId("id").OccurredAt("created").EventName("type").RelatesTo("customer_email", "customer"));

    private static EventLinkTestHost Host() => EventLinkTestHost.Create(services => services.AddEventLink(el => el.AddSchema(Schema)));

    private static async Task<EventLinkTestHost> SeededAsync()
    {
        var host = Host();
        await host.IngestAsync("stripe", "customer", """{"id":"cus_1","created":1767225600,"email":"ada@example.com","plan":"team"}""");
        await host.IngestAsync("stripe", "charge", """{"id":"ch_1","type":"charge.succeeded","created":1768471200,"customer_email":" Ada@Example.com"}""");
        await host.IngestAsync("stripe", "charge", """{"id":"ch_2","type":"charge.succeeded","created":1768557600,"customer_email":"ada@exmple.com"}""");
        return host;
    }

    [Fact]
    public async Task Passing_expectations_read_in_a_few_lines()
    {
        await using var host = await SeededAsync();

        await host.Record("stripe", "ch_1").ShouldBeLinkedToAsync(IdentityKinds.Email, "ada@example.com");
        await host.Record("stripe", "ch_2").ShouldBeQuarantinedAsync(IngestReason.NoMatchingProfile);
        (await host.ProfileAsync(IdentityKinds.Email, "ada@example.com")).ShouldHaveAttribute("plan", "team", fromSource: "stripe");
        await host.TimelineShouldBeAsync(IdentityKinds.Email, "ada@example.com", "stripe/ch_1");
        await host.CoverageShouldBeAsync("charge", linked: 1, quarantined: 1, distinctProfiles: 1);
    }

    [Fact]
    public async Task A_wrong_link_expectation_explains_where_the_record_went_and_why()
    {
        await using var host = await SeededAsync();

        var act = () => host.Record("stripe", "ch_2").ShouldBeLinkedToAsync(IdentityKinds.Email, "ada@example.com");

        var message = (await act.Should().ThrowAsync<EventLinkAssertionException>()).Which.Message;
        message.Should().StartWith("Expected stripe/ch_2 to be linked to the profile with email 'ada@example.com' (");
        message.Should().Contain("but it is Quarantined.");
        message.Should().Contain("Why stripe/ch_2 is where it is:");
        message.Should().Contain("  ingest outcome: Quarantined (NoMatchingProfile): no profile has email 'ada@exmple.com' yet");
        message.Should().Contain("  relation 'customer_email' → customer by email: 'ada@exmple.com' → email:ada@exmple.com → no profile holds it");
    }

    [Fact]
    public async Task A_wrong_timeline_shows_a_side_by_side_diff_and_explains_missing_records()
    {
        await using var host = await SeededAsync();

        var act = () => host.TimelineShouldBeAsync(IdentityKinds.Email, "ada@example.com", "stripe/ch_1", "stripe/ch_2");

        var message = (await act.Should().ThrowAsync<EventLinkAssertionException>()).Which.Message;
        message.Should().Be(string.Join(Environment.NewLine,
            "The timeline of email 'ada@example.com' differs from what was expected.",
            "   #  expected       actual",
            "   1  stripe/ch_1     stripe/ch_1  (2026-01-15 10:00 charge.succeeded)",
            "   2  stripe/ch_2  ≠  (none)",
            string.Empty,
            "Why stripe/ch_2 is not on this timeline:",
            "  ingest outcome: Quarantined (NoMatchingProfile): no profile has email 'ada@exmple.com' yet",
            "  relation 'customer_email' → customer by email: 'ada@exmple.com' → email:ada@exmple.com → no profile holds it",
            string.Empty));
    }

    [Fact]
    public async Task A_wrong_attribute_shows_the_winner_and_the_whole_profile()
    {
        await using var host = await SeededAsync();
        var profile = await host.ProfileAsync(IdentityKinds.Email, "ada@example.com");

        var act = () => profile.ShouldHaveAttribute("plan", "enterprise");

        var message = act.Should().Throw<EventLinkAssertionException>().Which.Message;
        message.Should().StartWith("Expected attribute 'plan' = 'enterprise', but it is 'team' from stripe/customer/cus_1 (2026-01-01T00:00:00.0000000+00:00).");
        message.Should().Contain("  identity  email:ada@example.com  ← stripe/customer/cus_1");
        message.Should().MatchRegex("  plan +\"team\"  ← stripe/customer/cus_1 \\(2026-01-01\\)");
    }

    [Fact]
    public async Task A_missing_profile_lists_the_profiles_that_exist()
    {
        await using var host = await SeededAsync();
        var act = () => host.ProfileAsync(IdentityKinds.Email, "bob@example.com");
        var message = (await act.Should().ThrowAsync<EventLinkAssertionException>()).Which.Message;
        message.Should().StartWith("Expected a profile with email 'bob@example.com', but there is none.");
        message.Should().MatchRegex("Profiles that exist:\\s+[0-9a-f-]{36} \\(email:ada@example.com\\)");
    }

    [Fact]
    public async Task Wrong_coverage_and_outcome_expectations_say_what_differs()
    {
        await using var host = await SeededAsync();
        var coverage = () => host.CoverageShouldBeAsync("charge", linked: 2);
        (await coverage.Should().ThrowAsync<EventLinkAssertionException>()).Which.Message
            .Should().StartWith("The coverage of 'charge' differs: expected 2 linked, found 1.");

        var rejected = () => host.Record("stripe", "ch_1").ShouldBeRejectedAsync();
        (await rejected.Should().ThrowAsync<EventLinkAssertionException>()).Which.Message
            .Should().StartWith("Expected stripe/ch_1 to be rejected, but it was Linked.");

        var unknown = () => host.Record("stripe", "ch_9").ShouldHaveOutcomeAsync(IngestOutcome.Linked);
        (await unknown.Should().ThrowAsync<EventLinkAssertionException>()).Which.Message
            .Should().Be("No record stripe/ch_9 was ingested through this host. Ingested: stripe/cus_1, stripe/ch_1, stripe/ch_2.");
    }

    [Fact]
    public async Task The_host_replaces_the_registered_store_and_clock()
    {
        var host = EventLinkTestHost.Create(services => services.AddEventLink(el => el
            .AddSchema(Schema)
            .UseStore(_ => throw new InvalidOperationException("the production store must not be built in tests"))));
        await using (host)
        {
            var result = await host.IngestAsync("stripe", "customer", """{"id":"cus_1","created":1767225600,"email":"ada@example.com"}""");
            result.Outcome.Should().Be(IngestOutcome.Created);
            host.Time.Advance(TimeSpan.FromDays(1));
            (await host.ProfileAsync(IdentityKinds.Email, "ada@example.com")).Profile.CreatedAt.Should().Be(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        }
    }

    [Fact]
    public async Task The_host_clock_fires_timers_and_delays_when_advanced()
    {
        await using var host = Host();
        var delay = Task.Delay(TimeSpan.FromHours(1), host.Time);
        var fired = 0;
        using var timer = host.Time.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromMinutes(30), Timeout.InfiniteTimeSpan);

        host.Time.Advance(TimeSpan.FromMinutes(10));
        delay.IsCompleted.Should().BeFalse();
        fired.Should().Be(0);

        host.Time.Advance(TimeSpan.FromHours(2));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));
        delay.IsCompletedSuccessfully.Should().BeTrue();
        fired.Should().Be(1);
        host.Time.GetUtcNow().Should().Be(new DateTimeOffset(2026, 1, 1, 2, 10, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Payload_files_may_hold_one_object_an_array_or_json_lines()
    {
        await using var host = Host();
        var directory = Directory.CreateTempSubdirectory("eventlink-testing");
        try
        {
            var customers = Path.Combine(directory.FullName, "customers.json");
            await File.WriteAllTextAsync(customers, """[{"id":"cus_1","created":1767225600,"email":"a@example.com"},{"id":"cus_2","created":1767225600,"email":"b@example.com"}]""");
            var charges = Path.Combine(directory.FullName, "charges.jsonl");
            await File.WriteAllTextAsync(charges, "{\"id\":\"ch_1\",\"created\":1767225601,\"customer_email\":\"a@example.com\"}\n{\"id\":\"ch_2\",\"created\":1767225602,\"customer_email\":\"b@example.com\"}\n");

            (await host.IngestFileAsync(customers, "stripe", "customer")).Should().HaveCount(2);
            (await host.IngestFileAsync(charges, "stripe", "charge")).Should().OnlyContain(r => r.Outcome == IngestOutcome.Linked);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_invalid_schema_fails_when_the_host_is_created()
    {
        var act = () => EventLinkTestHost.Create(el => el.AddSchema(s => s.AppendOnly("charge", t => t.RelatesTo("customer_email", "customer"))));
        act.Should().Throw<SchemaValidationException>().WithMessage("*relation field 'customer_email' points at unknown record type 'customer'*");
    }
}

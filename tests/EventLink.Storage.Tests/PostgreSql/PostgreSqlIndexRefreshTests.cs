using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using EventLink.Storage.Compliance;
using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Tests;

/// <summary>The index refresh suite, and what only PostgreSQL has: migrating a schema that predates the identity log, older libraries writing alongside.</summary>
public sealed class PostgreSqlIndexRefreshTests(PostgreSqlFixture fixture) : IndexRefreshContractTests<PostgreSqlFixture>(fixture)
{
    [PostgresFact]
    public async Task A_schema_from_before_the_identity_log_migrates_and_its_identities_count_as_older_than_any_process()
    {
        var link = await CreateAsync();
        await link.IngestAsync([StripeCustomer("cus_1", "a@example.com", Day(2026, 1, 1)), StripeCustomer("cus_2", "b@example.com", Day(2026, 1, 1))]);
        var schema = SchemaOf(nameof(A_schema_from_before_the_identity_log_migrates_and_its_identities_count_as_older_than_any_process));
        await Fixture.ScalarAsync($"""
            DROP TABLE "{schema}".identity_removals;
            DROP INDEX "{schema}".identities_changed;
            ALTER TABLE "{schema}".identities DROP COLUMN changed_version;
            ALTER TABLE "{schema}".tenants DROP COLUMN identity_log_from, DROP COLUMN identity_log_version;
            UPDATE "{schema}".schema_version SET version = 6;
            """);

        using var meter = new IndexRowsReadMeter();
        var a = await ReopenAsync(configure: b => b.Services.AddSingleton<IMeterFactory>(meter));
        var linked = await a.IngestAsync(StripeCharge("ch_1", "a@example.com", Day(2026, 1, 2), 100));
        var b = await ReopenAsync();
        var created = await b.IngestAsync(StripeCustomer("cus_3", "c@example.com", Day(2026, 1, 3)));
        var results = await a.IngestAsync([StripeCharge("ch_2", "b@example.com", Day(2026, 1, 4), 100), StripeCharge("ch_3", "c@example.com", Day(2026, 1, 4), 100)]);

        (await Fixture.ScalarAsync($"""SELECT max(changed_version) FROM "{schema}".identities WHERE value <> 'c@example.com'""")).Should().Be(0L);
        linked.Outcome.Should().Be(IngestOutcome.Linked);
        results.Select(r => r.Outcome).Should().Equal(IngestOutcome.Linked, IngestOutcome.Linked);
        results[1].ProfileId.Should().Be(created.ProfileId);
        meter.Take().Select(r => r.Refresh).Should().Equal("full", "changes");
    }

    [PostgresFact]
    public async Task A_commit_by_a_library_that_keeps_no_identity_log_makes_the_next_refresh_read_everything()
    {
        using var meter = new IndexRowsReadMeter();
        var a = await CreateAsync(configure: b => b.Services.AddSingleton<IMeterFactory>(meter));
        await a.IngestAsync(StripeCustomer("cus_1", "a@example.com", Day(2026, 1, 1)));
        var b = await ReopenAsync();
        var created = await b.IngestAsync(StripeCustomer("cus_2", "b@example.com", Day(2026, 1, 1)));

        // What an older library leaves behind: its identities carry no version, and its commit did not note the log.
        var schema = SchemaOf(nameof(A_commit_by_a_library_that_keeps_no_identity_log_makes_the_next_refresh_read_everything));
        await Fixture.ScalarAsync($"""
            UPDATE "{schema}".identities SET changed_version = 0 WHERE value = 'b@example.com';
            UPDATE "{schema}".tenants SET identity_log_version = version - 1;
            """);
        meter.Take();
        var result = await a.IngestAsync(StripeCharge("ch_1", "b@example.com", Day(2026, 1, 2), 100));

        meter.Take().Should().Equal(new[] { (2L, "full") });
        result.Should().BeEquivalentTo(new { Outcome = IngestOutcome.Linked, created.ProfileId });
    }

    private static string SchemaOf(string test) => PostgreSqlFixture.SchemaName($"{nameof(PostgreSqlIndexRefreshTests)}_{test}".ToLowerInvariant());
}

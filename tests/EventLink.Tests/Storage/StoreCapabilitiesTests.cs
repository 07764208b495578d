using System.Reflection;
using EventLink.Storage;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventLink.Tests.Storage;

/// <summary>A store implements a small core; what else it supports it declares, and a feature it lacks fails at start-up.</summary>
public sealed class StoreCapabilitiesTests
{
    private static void Schema(SchemaBuilder schema) => schema
        .Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email", IdentityKinds.Email))
        .AppendOnly("charge", t => t.RecordId("id").OccurredAt("created").EventName("type").RelatesTo("email", "customer"));

    [Fact]
    public void The_required_core_has_at_most_thirty_abstract_members()
    {
        static int Abstract(Type type) => type
            .GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Count(m => m switch
            {
                MethodInfo { IsAbstract: true, IsSpecialName: false } => true,
                PropertyInfo p => p.GetMethod?.IsAbstract == true,
                _ => false,
            });

        (Abstract(typeof(EventLinkStore)) + Abstract(typeof(EventLinkStoreSession))).Should().BeLessThanOrEqualTo(30);
    }

    [Fact]
    public async Task A_batch_rolled_back_by_a_transient_failure_runs_again_and_is_stored_once()
    {
        var store = new CoreOnlyStore { TransientCommitFailures = 2 };
        await using var link = new EventLinkBuilder().AddSchema(Schema).UseStore(_ => store).Build();

        var results = await link.IngestAsync([
            new IngestRecord("stripe", "charge", """{"id":"ch_1","created":1700000100,"type":"charge.succeeded","email":"a@x.com"}"""),
            new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1700000000,"email":"a@x.com"}"""),
        ]);

        store.TransientCommitFailures.Should().Be(0, "two attempts failed before the third committed");
        results.Select(r => r.Outcome).Should().Equal(IngestOutcome.Quarantined, IngestOutcome.Created);
        var profiles = await link.GetProfilesAsync().ToListAsync();
        profiles.Should().ContainSingle();
        (await link.GetTimelineAsync(profiles[0].Id).ToListAsync()).Should().ContainSingle("the retried batch stored its charge once, linked");
    }

    [Fact]
    public async Task A_transient_failure_on_every_attempt_fails_the_batch_and_stores_nothing()
    {
        var store = new CoreOnlyStore { TransientCommitFailures = 3 };
        await using var link = new EventLinkBuilder().AddSchema(Schema).UseStore(_ => store).Build();

        var ingest = async () => await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1700000000,"email":"a@x.com"}"""));

        await ingest.Should().ThrowAsync<CoreOnlyStore.TransientFailure>();
        (await link.GetProfilesAsync().ToListAsync()).Should().BeEmpty();
        store.TransientCommitFailures.Should().Be(0);
    }

    [Fact]
    public async Task A_store_with_only_the_core_links_a_customer_and_a_charge()
    {
        await using var link = new EventLinkBuilder().AddSchema(Schema).UseStore(_ => new CoreOnlyStore()).Build();

        var customer = await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1700000000,"email":"a@x.com"}"""));
        var charge = await link.IngestAsync(new IngestRecord("stripe", "charge", """{"id":"ch_1","created":1700000100,"type":"charge.succeeded","email":"A@x.com"}"""));
        var waiting = await link.IngestAsync(new IngestRecord("stripe", "charge", """{"id":"ch_2","created":1700000200,"type":"charge.succeeded","email":"b@x.com"}"""));

        customer.Outcome.Should().Be(IngestOutcome.Created);
        charge.Outcome.Should().Be(IngestOutcome.Linked);
        charge.ProfileId.Should().Be(customer.ProfileId);
        waiting.Outcome.Should().Be(IngestOutcome.Quarantined);
        (await link.FindProfileAsync(IdentityKinds.Email, "a@x.com"))!.Id.Should().Be(customer.ProfileId!.Value);
        (await link.GetTimelineAsync(customer.ProfileId!.Value).ToListAsync()).Should().ContainSingle();
        var coverage = await link.GetCoverageAsync();
        coverage.RecordTypes.Single(c => c.RecordType == "charge").Quarantined.Should().Be(1);
        (await link.GetConflictsAsync().ToListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task A_store_with_only_the_core_reads_a_profile_by_a_merged_away_id_through_the_default()
    {
        await using var link = new EventLinkBuilder()
            .AddSchema(s => s.Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email", IdentityKinds.Email).Identity("user_id", IdentityKinds.UserId))).UseStore(_ => new CoreOnlyStore()).Build();
        var first = await link.IngestAsync(new IngestRecord("app", "customer", """{"id":"c1","created":1700000000,"email":"a@x.com"}"""));
        var second = await link.IngestAsync(new IngestRecord("crm", "customer", """{"id":"c2","created":1700000100,"user_id":"u1"}"""));

        var bridge = await link.IngestAsync(new IngestRecord("shop", "customer", """{"id":"c3","created":1700000200,"email":"a@x.com","user_id":"u1"}"""));

        first.ProfileId!.Value.Should().NotBe(second.ProfileId!.Value);
        var survivor = bridge.ProfileId!.Value;
        (await link.GetProfilesAsync().ToListAsync()).Should().ContainSingle("the third record bridged the two");
        var mergedAway = first.ProfileId == survivor ? second.ProfileId!.Value : first.ProfileId!.Value;
        var read = await link.GetProfileAsync(mergedAway);
        read.Should().NotBeNull();
        read!.Id.Should().Be(survivor, "an id merged away reads as the profile it was merged into");
        read.Identities.Should().HaveCount(2);
        read.Merges.Should().ContainSingle();
        (await link.GetProfileAsync(Guid.NewGuid())).Should().BeNull();
    }

    [Fact]
    public async Task A_member_of_a_missing_capability_names_the_capability_and_the_store()
    {
        await using var link = new EventLinkBuilder().AddSchema(Schema).UseStore(_ => new CoreOnlyStore())
            .ConfigurePrivacy(p => p.TombstoneSecret = "store-capabilities-tests-tombstone-secret").Build();
        var customer = await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1700000000,"email":"a@x.com"}"""));

        var forget = () => link.ForgetAsync(customer.ProfileId!.Value).AsTask();

        (await forget.Should().ThrowAsync<NotSupportedException>())
            .Which.Message.Should().Contain("StoreCapabilities.Erasure").And.Contain("CoreOnlyStore");
    }

    [Fact]
    public void Configuring_traits_against_a_store_without_the_capability_fails_at_build()
    {
        var builder = new EventLinkBuilder().AddSchema(Schema).UseStore(_ => new CoreOnlyStore())
            .AddTraits(t => t.Traits.Add(new ComputedTraitOptions { Name = "charges", Filter = new() { RecordType = "charge" } }));

        FluentActions.Invoking(builder.Build).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle()
            .Which.Should().Be("Traits are configured but the store 'CoreOnlyStore' does not support StoreCapabilities.Traits.");
    }

    [Fact]
    public async Task Configuring_syncs_against_a_store_without_the_capability_fails_host_start_up()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEventLink(el => el.AddSchema(Schema).UseStore(_ => new CoreOnlyStore())
            .AddJsonLinesFileDestination("file", Path.Combine(Path.GetTempPath(), $"eventlink-{Guid.NewGuid():N}.jsonl"))
            .AddSync("crm", s => s.Destination = "file"));
        using var host = builder.Build();

        var start = async () => await host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Failures.Should().Contain("Syncs are configured but the store 'CoreOnlyStore' does not support StoreCapabilities.Destinations.");
    }

    [Fact]
    public void The_built_in_store_declares_every_capability()
    {
        new EventLink.Storage.InMemory.InMemoryEventLinkStore().Capabilities.Should().HaveFlag(StoreCapabilities.IdentityGraph | StoreCapabilities.Destinations |
            StoreCapabilities.Erasure | StoreCapabilities.DataQuality | StoreCapabilities.Traits | StoreCapabilities.TenantMaintenance);
    }
}

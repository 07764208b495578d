using System.Text.Json;
using FluentAssertions;

namespace EventLink.Storage.Compliance;

/// <summary>Triggers delivered to destinations by a sync, and traits shown on the profile.</summary>
public abstract partial class AudienceContractTests<TFixture>
    where TFixture : StoreFixture
{
    private static void Valuable(TraitsOptions traits)
    {
        StandardTraits(traits);
        traits.Audiences.Add(new AudienceOptions
        {
            Name = "valuable",
            Condition = AudienceConditionOptions.TraitIs("lifetime_value", ComparisonOperator.GreaterThan, "1000"),
        });
    }

    [StoreFact]
    public virtual async Task Entering_an_audience_delivers_one_trigger_message_across_retries_and_restarts()
    {
        var destination = new RecordingDestination();
        void Configure(EventLinkBuilder b) => b
            .AddDestination("crm", _ => destination)
            .AddSync("crm-triggers", s =>
            {
                s.Destination = "crm";
                s.Send = SyncContent.Triggers;
                s.HashIdentities = true;
            });

        var link = await CreateWithTraitsAsync(Valuable, Configure);
        var ada = (await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", Start.AddDays(-10)))).ProfileId!.Value;
        await link.IngestAsync(Charge("ch_1", "ada@example.com", Start.AddDays(-1), 2500));
        var entered = (await TriggersAsync(link)).Should().ContainSingle().Subject;

        destination.Fail = true;
        (await link.RunSyncOnceAsync("crm-triggers")).Failed.Should().Be(1);

        // Kill and restart: a new EventLink over another instance of the same store.
        await link.DisposeAsync();
        Time.Advance(TimeSpan.FromMinutes(10));
        destination.Fail = false;
        link = await ReopenWithTraitsAsync(Valuable, Configure);
        (await link.RunSyncOnceAsync("crm-triggers")).Delivered.Should().Be(1);

        await link.DisposeAsync();
        link = await ReopenWithTraitsAsync(Valuable, Configure);
        (await link.RunSyncOnceAsync("crm-triggers")).Delivered.Should().Be(0, "an acknowledged trigger is never sent again");
        await link.IngestAsync(Charge("ch_2", "ada@example.com", Start, 300)); // Still in the audience: no new transition.
        (await link.RunSyncOnceAsync("crm-triggers")).Delivered.Should().Be(0);

        var message = destination.Received.Should().ContainSingle().Subject;
        message.Kind.Should().Be(DestinationMessageKind.Trigger);
        message.IdempotencyKey.Should().Be($"crm-triggers:trigger:{entered.Sequence}");
        message.ProfileId.Should().Be(ada);
        var body = JsonDocument.Parse(message.BodyJson).RootElement;
        body.GetProperty("type").GetString().Should().Be("trigger");
        body.GetProperty("trigger").GetProperty("kind").GetString().Should().Be("audience_entered");
        body.GetProperty("trigger").GetProperty("name").GetString().Should().Be("valuable");
        body.GetProperty("identities")[0].TryGetProperty("value", out _).Should().BeFalse("the sync hashes identities");
        body.GetProperty("identities")[0].GetProperty("sha256").GetString().Should().NotBeNullOrEmpty();
    }

    [StoreFact]
    public virtual async Task A_sync_with_a_purpose_withholds_triggers_of_profiles_without_consent()
    {
        var destination = new RecordingDestination();
        var link = await CreateWithTraitsAsync(Valuable, b => b
            .AddDestination("ads", _ => destination)
            .AddSync("ads-triggers", s =>
            {
                s.Destination = "ads";
                s.Send = SyncContent.Triggers;
                s.Purpose = "marketing";
            }));
        await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", Start.AddDays(-10)));
        await link.IngestAsync(Charge("ch_1", "ada@example.com", Start.AddDays(-1), 2500));

        (await link.RunSyncOnceAsync("ads-triggers")).Withheld.Should().BeGreaterThanOrEqualTo(1);
        destination.Received.Should().BeEmpty();
    }

    [StoreFact]
    public virtual async Task The_profile_shows_its_computed_traits_with_definitions_and_its_audiences()
    {
        var link = await CreateWithTraitsAsync(Valuable);
        var ada = (await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", Start.AddDays(-10)))).ProfileId!.Value;
        await link.IngestAsync(TestSchema.StripeCustomer("cus_2", "bob@example.com", Start.AddDays(-10)));
        await link.IngestAsync([Charge("ch_1", "ada@example.com", Start.AddDays(-1), 2500), Charge("ch_2", "bob@example.com", Start.AddDays(-1), 10)]);

        var profile = (await link.GetProfileAsync(ada))!;
        var computed = (await link.GetComputedAsync(ada))!;
        profile.Traits.Should().Equal(computed.Traits);
        profile.GetTrait("lifetime_value")!.ValueJson.Should().Be("2500");
        profile.GetTrait("lifetime_value")!.Definition.Should().Be("sum(amount) of charge where status = succeeded");
        profile.IsIn("valuable").Should().BeTrue();
        profile.Audiences.Should().ContainSingle().Which.Audience.Should().Be("valuable");

        var found = (await link.FindProfileAsync(IdentityKinds.Email, "bob@example.com"))!;
        found.GetTrait("lifetime_value")!.ValueJson.Should().Be("10");
        found.IsIn("valuable").Should().BeFalse();

        var all = new List<Profile>();
        await foreach (var each in link.GetProfilesAsync())
        {
            all.Add(each);
        }

        all.Should().HaveCount(2).And.OnlyContain(p => p.Traits.Count == computed.Traits.Count);
        all.Single(p => p.Id == ada).IsIn("valuable").Should().BeTrue();
    }

    [StoreFact]
    public virtual async Task Event_matched_triggers_go_out_with_their_event_beside_the_events_feed_and_dead_letters_are_retried()
    {
        var destination = new RecordingDestination();
        var link = await CreateWithTraitsAsync(
            t => t.EventTriggers.Add(new EventTriggerOptions { Name = "any_charge", Filter = new() { RecordType = "charge" } }),
            b => b
                .AddDestination("crm", _ => destination)
                .ConfigureSyncs(o => o.MaxAttempts = 1)
                .AddSync("crm", s =>
                {
                    s.Destination = "crm";
                    s.Send = SyncContent.Events | SyncContent.Triggers;
                }));
        await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", Start.AddDays(-10)));
        await link.IngestAsync(Charge("ch_1", "ada@example.com", Start.AddDays(-1), 2500));
        var matched = (await TriggersAsync(link)).Should().ContainSingle().Subject;

        destination.Fail = true;
        var failed = await link.RunSyncOnceAsync("crm");
        failed.DeadLettered.Should().Be(2, "the charge and its trigger, each on its own feed");
        (await link.GetDeadLettersAsync("crm")).Select(d => d.IdempotencyKey)
            .Should().BeEquivalentTo(["crm:event:stripe:ch_1", $"crm:trigger:{matched.Sequence}"]);

        destination.Fail = false;
        (await link.RetryDeadLettersAsync("crm")).Delivered.Should().Be(2);
        (await link.GetDeadLettersAsync("crm")).Should().BeEmpty();
        (await link.RunSyncOnceAsync("crm")).Delivered.Should().Be(0);

        var trigger = destination.Received.Should().ContainSingle(m => m.Kind == DestinationMessageKind.Trigger).Subject;
        var body = JsonDocument.Parse(trigger.BodyJson).RootElement.GetProperty("trigger");
        body.GetProperty("kind").GetString().Should().Be("event_matched");
        body.GetProperty("name").GetString().Should().Be("any_charge");
        body.GetProperty("event").GetProperty("record_id").GetString().Should().Be("ch_1");
        body.GetProperty("event").GetProperty("data").GetProperty("amount").GetInt64().Should().Be(2500);
    }
}

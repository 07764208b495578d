using FluentAssertions;

namespace EventLink.Storage.Compliance;

/// <summary>Audiences and triggers: the same entries, exits and trigger-log entries from every store.</summary>
/// <remarks>The traits they read are <see cref="TraitsContractTests{TFixture}"/>'s; their delivery by syncs is in <c>AudienceContractTests.Delivery.cs</c>.</remarks>
public abstract partial class AudienceContractTests<TFixture>(TFixture fixture) : TraitsTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    [StoreFact]
    public virtual async Task Stalled_onboarding_enters_at_the_24_hour_mark_and_exits_when_completed_each_once()
    {
        var link = await CreateWithTraitsAsync(Onboarding);
        var ada = (await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", Start.AddDays(-1)))).ProfileId!.Value;
        var bob = (await link.IngestAsync(TestSchema.StripeCustomer("cus_2", "bob@example.com", Start.AddDays(-1)))).ProfileId!.Value;
        await link.IngestAsync([AppEvent("e1", "ada@example.com", "checklist_started", Start), AppEvent("e2", "bob@example.com", "checklist_started", Start)]);
        Time.Advance(TimeSpan.FromHours(2));
        await link.IngestAsync(AppEvent("e3", "bob@example.com", "checklist_completed", Time.GetUtcNow()));

        Time.Advance(TimeSpan.FromHours(21.99));
        await link.RefreshTraitsAsync();
        (await MembersAsync(link, "stalled")).Should().BeEmpty("24 hours have not passed");

        Time.SetUtcNow(Start.AddHours(24));
        (await link.RefreshTraitsAsync()).Transitions.Should().Be(1);
        (await MembersAsync(link, "stalled")).Should().Equal(ada);
        (await link.GetComputedAsync(ada))!.IsIn("stalled").Should().BeTrue();
        (await link.GetComputedAsync(bob))!.IsIn("stalled").Should().BeFalse("Bob completed within 24 hours");
        (await link.RefreshTraitsAsync()).Transitions.Should().Be(0);

        Time.Advance(TimeSpan.FromHours(6));
        await link.IngestAsync(AppEvent("e4", "ada@example.com", "checklist_completed", Time.GetUtcNow()));
        (await MembersAsync(link, "stalled")).Should().BeEmpty();

        var triggers = await TriggersAsync(link);
        triggers.Select(t => (t.Kind, t.Name, t.ProfileId)).Should().Equal(
            (TriggerKind.AudienceEntered, "stalled", ada),
            (TriggerKind.AudienceExited, "stalled", ada));
        triggers[0].At.Should().Be(Start.AddHours(24));
        (await TriggersAsync(link, triggers[0].Sequence)).Should().ContainSingle().Which.Kind.Should().Be(TriggerKind.AudienceExited);
    }

    [StoreFact]
    public virtual async Task Each_transition_fires_once_across_a_restart()
    {
        var link = await CreateWithTraitsAsync(Onboarding);
        var ada = (await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", Start.AddDays(-1)))).ProfileId!.Value;
        await link.IngestAsync(AppEvent("e1", "ada@example.com", "checklist_started", Start));
        Time.SetUtcNow(Start.AddHours(25));
        await link.RefreshTraitsAsync();
        await link.DisposeAsync();

        var restarted = await ReopenWithTraitsAsync(Onboarding);
        (await restarted.RefreshTraitsAsync()).Transitions.Should().Be(0);
        await restarted.IngestAsync(AppEvent("e1", "ada@example.com", "checklist_started", Start)); // A redelivery changes nothing.
        await restarted.RecomputeTraitsAsync(ada);
        (await MembersAsync(restarted, "stalled")).Should().Equal(ada);
        await restarted.IngestAsync(AppEvent("e2", "ada@example.com", "checklist_completed", Time.GetUtcNow()));
        await restarted.RefreshTraitsAsync();

        (await TriggersAsync(restarted)).Select(t => t.Kind).Should().Equal(TriggerKind.AudienceEntered, TriggerKind.AudienceExited);
    }

    [StoreFact]
    public virtual async Task Conditions_combine_traits_attributes_and_history_with_and_or_not()
    {
        var link = await CreateWithTraitsAsync(traits =>
        {
            StandardTraits(traits);
            traits.Audiences.Add(new AudienceOptions
            {
                Name = "valuable_without_recent_tickets",
                Condition = AudienceConditionOptions.AllOf(
                    AudienceConditionOptions.TraitIs("lifetime_value", ComparisonOperator.GreaterThan, "1000"),
                    AudienceConditionOptions.DidNotEvent(new EventFilterOptions { RecordType = "ticket" }, TimeSpan.FromDays(7))),
            });
            traits.Audiences.Add(new AudienceOptions
            {
                Name = "pro_or_charged",
                Condition = AudienceConditionOptions.AnyOf(
                    AudienceConditionOptions.AttributeIs("plan", ComparisonOperator.Equals, "pro"),
                    AudienceConditionOptions.NotOf(AudienceConditionOptions.DidNotEvent(new EventFilterOptions { RecordType = "charge" }))),
            });
        });
        var ada = (await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", Start.AddDays(-9)))).ProfileId!.Value;
        var bob = (await link.IngestAsync(TestSchema.StripeCustomer("cus_2", "bob@example.com", Start.AddDays(-9), plan: "pro"))).ProfileId!.Value;
        (await MembersAsync(link, "pro_or_charged")).Should().Equal(bob);

        await link.IngestAsync([Charge("ch_1", "ada@example.com", Start.AddDays(-1), 1500), TestSchema.ZendeskTicket("t_1", "ada@example.com", Start.AddDays(-2))]);
        (await MembersAsync(link, "pro_or_charged")).Should().BeEquivalentTo([ada, bob]);
        (await MembersAsync(link, "valuable_without_recent_tickets")).Should().BeEmpty("Ada opened a ticket two days ago");

        Time.Advance(TimeSpan.FromDays(5));
        await link.RefreshTraitsAsync();
        (await MembersAsync(link, "valuable_without_recent_tickets")).Should().Equal(ada);
        await FluentActions.Awaiting(async () => await MembersAsync(link, "nope")).Should().ThrowAsync<ArgumentException>();
    }

    [StoreFact]
    public virtual async Task Event_triggers_fire_once_per_event_including_when_it_leaves_quarantine()
    {
        var link = await CreateWithTraitsAsync(traits =>
        {
            var large = new EventFilterOptions { RecordType = "charge" };
            large.Where.Add(new PropertyConditionOptions { Property = "amount", Operator = ComparisonOperator.GreaterThanOrEqual, Value = "10000" });
            traits.EventTriggers.Add(new EventTriggerOptions { Name = "large_charge", Filter = large });
        });
        await link.IngestAsync(Charge("ch_waiting", "ada@example.com", Start, 25000));
        var ada = (await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", Start.AddDays(-1)))).ProfileId!.Value;
        await link.IngestAsync([Charge("ch_small", "ada@example.com", Start, 500), Charge("ch_big", "ada@example.com", Start, 10000)]);
        await link.IngestAsync(Charge("ch_big", "ada@example.com", Start, 10000));

        var triggers = await TriggersAsync(link);
        triggers.Should().HaveCount(2).And.OnlyContain(t => t.Kind == TriggerKind.EventMatched && t.Name == "large_charge" && t.ProfileId == ada && t.EventId != null);
        triggers.Select(t => t.EventId).Should().OnlyHaveUniqueItems();
        triggers.Select(t => t.Sequence).Should().BeInAscendingOrder();
    }

    [StoreFact]
    public virtual async Task A_merged_away_profile_exits_its_audiences_and_erasure_forgets_everything_computed()
    {
        var link = await CreateWithTraitsAsync(traits =>
        {
            StandardTraits(traits);
            traits.Audiences.Add(new AudienceOptions { Name = "charged", Condition = AudienceConditionOptions.DidEvent(new EventFilterOptions { RecordType = "charge" }) });
        });
        var first = (await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", Start.AddDays(-60), userId: "u1"))).ProfileId!.Value;
        var second = (await link.IngestAsync(TestSchema.StripeCustomer("cus_2", "ada@work.example", Start.AddDays(-50)))).ProfileId!.Value;
        await link.IngestAsync([Charge("ch_1", "ada@example.com", Start.AddDays(-3), 1000), Charge("ch_2", "ada@work.example", Start.AddDays(-2), 300)]);
        (await MembersAsync(link, "charged")).Should().BeEquivalentTo([first, second]);

        var survivor = (await link.IngestAsync(TestSchema.StripeCustomer("cus_3", "ada@work.example", Start.AddDays(-1), userId: "u1"))).ProfileId!.Value;
        var gone = survivor == first ? second : first;
        (await MembersAsync(link, "charged")).Should().Equal(survivor);
        (await TriggersAsync(link)).Should().ContainSingle(t => t.Kind == TriggerKind.AudienceExited).Which.ProfileId.Should().Be(gone);

        await link.ForgetAsync(survivor);
        (await MembersAsync(link, "charged")).Should().BeEmpty();
        (await TriggersAsync(link)).Should().BeEmpty("the trigger log names no erased profile");
        (await link.GetComputedAsync(survivor)).Should().BeNull();
    }
}

using System.Text.Json;
using FluentAssertions;

namespace EventLink.Storage.Compliance;

/// <summary>Computed traits, audiences and triggers: the same behaviour from every store.</summary>
public abstract partial class TraitsContractTests<TFixture>(TFixture fixture) : TraitsTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    [StoreFact]
    public virtual async Task Every_trait_kind_is_kept_at_ingest_and_shown_with_its_definition()
    {
        var link = await CreateWithTraitsAsync(StandardTraits);
        var customer = (await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", Start.AddDays(-60)))).ProfileId!.Value;
        await link.IngestAsync(
        [
            Charge("ch_1", "ada@example.com", Start.AddDays(-40), 1000),
            Charge("ch_2", "ada@example.com", Start.AddDays(-3), 2500),
            Charge("ch_3", "ada@example.com", Start.AddDays(-2), 700, status: "failed"),
            TestSchema.ZendeskTicket("t_1", "ada@example.com", Start.AddDays(-45), "ticket.created", "Login"),
            TestSchema.ZendeskTicket("t_2", "ada@example.com", Start.AddDays(-5), "ticket.created", "Billing"),
            TestSchema.ZendeskTicket("t_3", "ada@example.com", Start.AddDays(-1), "ticket.solved", "Refund"),
        ]);

        var traits = await TraitsOfAsync(link, customer);
        traits["lifetime_value"].Should().Be("3500");
        traits["charges"].Should().Be("3");
        traits["smallest_charge"].Should().Be("700");
        traits["largest_charge"].Should().Be("2500");
        decimal.Parse(traits["average_charge"], System.Globalization.CultureInfo.InvariantCulture).Should().Be(1400m);
        JsonSerializer.Deserialize<DateTimeOffset>(traits["first_seen"]).Should().Be(Start.AddDays(-45));
        JsonSerializer.Deserialize<DateTimeOffset>(traits["last_seen"]).Should().Be(Start.AddDays(-1));
        traits["last_ticket_subject"].Should().Be("\"Refund\"");
        traits["ticket_kinds"].Should().Be("2");
        traits["tickets_30d"].Should().Be("2");
        traits["spend_7d"].Should().Be("2500");

        var computed = await link.GetComputedAsync(customer);
        computed!.GetTrait("lifetime_value")!.Definition.Should().Be("sum(amount) of charge where status = succeeded");
        computed.GetTrait("tickets_30d")!.Definition.Should().Be("count of ticket in last 30d");
        computed.GetTrait("last_seen")!.Definition.Should().Be("max(occurred_at) of any event");
        computed.Traits.Select(t => t.Name).Should().NotContain(n => n.StartsWith('~'));
    }

    [StoreFact]
    public virtual async Task Late_and_out_of_order_events_give_the_same_values_as_in_order()
    {
        var link = await CreateWithTraitsAsync(StandardTraits);
        var customer = (await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", Start.AddDays(-90)))).ProfileId!.Value;
        await link.IngestAsync(TestSchema.ZendeskTicket("t_new", "ada@example.com", Start.AddDays(-1), "ticket.created", "Newest"));
        await link.IngestAsync(Charge("ch_new", "ada@example.com", Start.AddDays(-1), 100));
        await link.IngestAsync(TestSchema.ZendeskTicket("t_old", "ada@example.com", Start.AddDays(-40), "ticket.created", "Oldest"));
        await link.IngestAsync(Charge("ch_old", "ada@example.com", Start.AddDays(-50), 900));
        await link.IngestAsync(Charge("ch_old", "ada@example.com", Start.AddDays(-50), 900)); // A duplicate adds nothing.

        var traits = await TraitsOfAsync(link, customer);
        traits["last_ticket_subject"].Should().Be("\"Newest\"", "a late event does not replace the last value");
        traits["tickets_30d"].Should().Be("1", "a late event outside the window is not counted");
        traits["lifetime_value"].Should().Be("1000");
        traits["charges"].Should().Be("2");
        JsonSerializer.Deserialize<DateTimeOffset>(traits["first_seen"]).Should().Be(Start.AddDays(-50));
        await ShouldEqualHistoryAsync(link, customer);
    }

    [StoreFact]
    public virtual async Task Windowed_traits_expire_as_time_passes_and_refresh_touches_only_due_profiles()
    {
        var link = await CreateWithTraitsAsync(StandardTraits);
        var ada = (await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", Start.AddDays(-60)))).ProfileId!.Value;
        await link.IngestAsync(TestSchema.StripeCustomer("cus_2", "bob@example.com", Start.AddDays(-60)));
        await link.IngestAsync(Charge("ch_b", "bob@example.com", Start.AddDays(-100), 500)); // All-time only: nothing falls due.
        await link.IngestAsync(
        [
            TestSchema.ZendeskTicket("t_1", "ada@example.com", Start.AddDays(-25)),
            TestSchema.ZendeskTicket("t_2", "ada@example.com", Start.AddDays(-10)),
        ]);
        (await TraitsOfAsync(link, ada))["tickets_30d"].Should().Be("2");

        Time.Advance(TimeSpan.FromDays(6));
        (await TraitsOfAsync(link, ada))["tickets_30d"].Should().Be("1", "values are read at the current time");
        var refresh = await link.RefreshTraitsAsync();
        refresh.ProfilesEvaluated.Should().Be(1);
        (await TraitsOfAsync(link, ada))["tickets_30d"].Should().Be("1");
        (await link.RefreshTraitsAsync()).ProfilesEvaluated.Should().Be(0, "nothing is due until the next ticket leaves the window");

        Time.Advance(TimeSpan.FromDays(15));
        (await link.RefreshTraitsAsync()).ProfilesEvaluated.Should().Be(1);
        (await TraitsOfAsync(link, ada))["tickets_30d"].Should().Be("0");
        await ShouldEqualHistoryAsync(link, ada);
    }

    [StoreFact]
    public virtual async Task Merges_and_unmerges_recompute_the_profiles_involved()
    {
        var link = await CreateWithTraitsAsync(StandardTraits);
        var ada = (await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", Start.AddDays(-60), userId: "u1"))).ProfileId!.Value;
        var other = (await link.IngestAsync(TestSchema.StripeCustomer("cus_2", "ada@work.example", Start.AddDays(-50)))).ProfileId!.Value;
        await link.IngestAsync([Charge("ch_1", "ada@example.com", Start.AddDays(-3), 1000), Charge("ch_2", "ada@work.example", Start.AddDays(-2), 300)]);
        (await TraitsOfAsync(link, other))["lifetime_value"].Should().Be("300");

        // A record tying both emails merges the profiles: the survivor holds both histories.
        var merged = (await link.IngestAsync(TestSchema.StripeCustomer("cus_3", "ada@work.example", Start.AddDays(-1), userId: "u1"))).ProfileId!.Value;
        (await link.GetProfileAsync(ada))!.Id.Should().Be(merged);
        (await link.GetProfileAsync(other))!.Id.Should().Be(merged);
        (await TraitsOfAsync(link, merged))["lifetime_value"].Should().Be("1300");
        (await TraitsOfAsync(link, merged))["charges"].Should().Be("2");
        await ShouldEqualHistoryAsync(link, merged);

        var unmerge = await link.UnmergeAsync(IdentityKinds.UserId, "u1");
        await foreach (var profile in link.GetProfilesAsync())
        {
            await ShouldEqualHistoryAsync(link, profile.Id);
        }

        unmerge.Should().NotBeNull();
    }

    [StoreFact]
    public virtual async Task Events_leaving_quarantine_count_for_the_profile_they_join()
    {
        var link = await CreateWithTraitsAsync(StandardTraits);
        await link.IngestAsync(Charge("ch_early", "late@example.com", Start.AddDays(-2), 4200));
        var profile = (await link.IngestAsync(TestSchema.StripeCustomer("cus_9", "late@example.com", Start.AddDays(-30)))).ProfileId!.Value;

        (await TraitsOfAsync(link, profile))["lifetime_value"].Should().Be("4200");
        await ShouldEqualHistoryAsync(link, profile);
    }

    [StoreFact]
    public virtual async Task Recomputing_on_demand_stores_the_exact_values()
    {
        var link = await CreateWithTraitsAsync(StandardTraits);
        var profile = (await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", Start.AddDays(-60)))).ProfileId!.Value;
        await link.IngestAsync(Charge("ch_1", "ada@example.com", Start.AddDays(-3), 1000));

        var computed = await link.RecomputeTraitsAsync(profile);
        computed!.GetTrait("lifetime_value")!.AsDecimal().Should().Be(1000m);
        (await link.RecomputeTraitsAsync(Guid.NewGuid())).Should().BeNull();
        (await link.ComputeTraitsFromHistoryAsync(Guid.NewGuid())).Should().BeNull();
    }

    /// <summary>Asserts that a profile's stored (incremental) traits equal a recomputation from its history.</summary>
    /// <param name="link">The EventLink to read.</param>
    /// <param name="profileId">The profile.</param>
    /// <returns>A task that completes when the assertion has run.</returns>
    protected static async Task ShouldEqualHistoryAsync(IEventLink link, Guid profileId)
    {
        var stored = (await link.GetComputedAsync(profileId))!.Traits;
        var exact = await link.ComputeTraitsFromHistoryAsync(profileId);
        stored.Select(t => (t.Name, t.ValueJson, t.Definition)).Should().Equal(
            exact!.Select(t => (t.Name, t.ValueJson, t.Definition)),
            $"the incremental traits of {profileId} equal a recomputation from its history");
    }
}

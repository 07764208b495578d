using System.Runtime.CompilerServices;
using System.Text.Json;

namespace EventLink.Storage.Compliance;

/// <summary>The schema, payloads and definitions the traits suite shares: the contract schema plus product events.</summary>
/// <typeparam name="TFixture">The fixture that creates the stores under test.</typeparam>
/// <param name="fixture">The fixture xunit shares between the tests of the class.</param>
[RequiresCapability(StoreCapabilities.Traits)]
public abstract class TraitsTestBase<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    /// <summary>The start of the traits scenarios: the initial time of <see cref="ContractTestBase{TFixture}.Time"/>.</summary>
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Defines <see cref="TestSchema.Define"/> plus <c>app_event</c>, product events related to the customer by e-mail.</summary>
    /// <param name="schema">The schema builder.</param>
    public static void Schema(SchemaBuilder schema)
    {
        TestSchema.Define(schema);
        schema.AppendOnly("app_event", t => t
            .RecordId("id").OccurredAt("at").EventName("event")
            .RelatesTo("email", "customer"));
    }

    /// <summary>Creates a product event of <see cref="Schema"/>.</summary>
    /// <param name="id">The event id.</param>
    /// <param name="email">The customer e-mail it relates to.</param>
    /// <param name="name">The event name.</param>
    /// <param name="at">When it occurred.</param>
    /// <param name="properties">The <c>properties</c> field, or <see langword="null"/>.</param>
    /// <returns>The record.</returns>
    public static IngestRecord AppEvent(string id, string email, string name, DateTimeOffset at, object? properties = null) =>
        new("app", "app_event", JsonSerializer.Serialize(new { id, email, @event = name, at = at.ToString("O"), properties }));

    /// <summary>Creates a Stripe charge whose event name and <c>status</c> are <paramref name="status"/>.</summary>
    /// <param name="id">The charge id.</param>
    /// <param name="email">The customer e-mail it relates to, or <see langword="null"/>.</param>
    /// <param name="at">When it occurred.</param>
    /// <param name="amount">The amount in cents.</param>
    /// <param name="status">The charge status (<c>succeeded</c>, <c>failed</c>...).</param>
    /// <returns>The record.</returns>
    public static IngestRecord Charge(string id, string? email, DateTimeOffset at, long amount, string status = "succeeded") =>
        new("stripe", "charge", JsonSerializer.Serialize(new
        {
            id,
            type = "charge." + status,
            status,
            amount,
            customer_email = email,
            created = at.ToUnixTimeSeconds(),
        }));

    /// <summary>Adds one computed trait per kind over charges and tickets, and two windowed ones.</summary>
    /// <param name="traits">The traits options to add to.</param>
    public static void StandardTraits(TraitsOptions traits)
    {
        var succeeded = new EventFilterOptions { RecordType = "charge" };
        succeeded.Where.Add(new PropertyConditionOptions { Property = "status", Value = "succeeded" });
        traits.Traits.Add(new ComputedTraitOptions { Name = "lifetime_value", Kind = TraitKind.Sum, Property = "amount", Filter = succeeded });
        traits.Traits.Add(new ComputedTraitOptions { Name = "charges", Kind = TraitKind.Count, Filter = new() { RecordType = "charge" } });
        traits.Traits.Add(new ComputedTraitOptions { Name = "smallest_charge", Kind = TraitKind.Min, Property = "amount", Filter = new() { RecordType = "charge" } });
        traits.Traits.Add(new ComputedTraitOptions { Name = "largest_charge", Kind = TraitKind.Max, Property = "amount", Filter = new() { RecordType = "charge" } });
        traits.Traits.Add(new ComputedTraitOptions { Name = "average_charge", Kind = TraitKind.Average, Property = "amount", Filter = new() { RecordType = "charge" } });
        traits.Traits.Add(new ComputedTraitOptions { Name = "first_seen", Kind = TraitKind.FirstOccurredAt });
        traits.Traits.Add(new ComputedTraitOptions { Name = "last_seen", Kind = TraitKind.LastOccurredAt });
        traits.Traits.Add(new ComputedTraitOptions { Name = "last_ticket_subject", Kind = TraitKind.LastValue, Property = "subject", Filter = new() { RecordType = "ticket" } });
        traits.Traits.Add(new ComputedTraitOptions { Name = "ticket_kinds", Kind = TraitKind.DistinctCount, Property = "type", Filter = new() { RecordType = "ticket" } });
        traits.Traits.Add(new ComputedTraitOptions { Name = "tickets_30d", Kind = TraitKind.Count, Filter = new() { RecordType = "ticket" }, Window = TimeSpan.FromDays(30) });
        traits.Traits.Add(new ComputedTraitOptions { Name = "spend_7d", Kind = TraitKind.Sum, Property = "amount", Filter = succeeded, Window = TimeSpan.FromDays(7) });
    }

    /// <summary>Adds the <c>stalled</c> audience: checklist started, not completed within 24 hours.</summary>
    /// <param name="traits">The traits options to add to.</param>
    public static void Onboarding(TraitsOptions traits)
    {
        traits.Audiences.Add(new AudienceOptions
        {
            Name = "stalled",
            Condition = AudienceConditionOptions.DidNotFollowWithin(
                new EventFilterOptions { EventName = "checklist_started" },
                new EventFilterOptions { EventName = "checklist_completed" },
                TimeSpan.FromHours(24)),
        });
    }

    /// <summary>Builds EventLink over a store with <see cref="Schema"/> and <paramref name="traits"/>; the returned instance owns the store.</summary>
    /// <param name="store">The store.</param>
    /// <param name="traits">The computed traits, audiences and triggers.</param>
    /// <param name="configure">Adds more features (destinations, syncs), or <see langword="null"/>.</param>
    /// <returns>An <see cref="IEventLink"/> disposed when the test ends.</returns>
    protected IEventLink Open(EventLinkStore store, Action<TraitsOptions> traits, Action<EventLinkBuilder>? configure = null) =>
        Build(store, Schema, null, builder =>
        {
            builder.AddTraits(traits);
            configure?.Invoke(builder);
        });

    /// <summary>Creates EventLink with <paramref name="traits"/> over a new, empty store named after the calling test.</summary>
    /// <param name="traits">The computed traits, audiences and triggers.</param>
    /// <param name="name">The store name within the test class; the calling member by default.</param>
    /// <returns>An <see cref="IEventLink"/> disposed when the test ends.</returns>
    protected async Task<IEventLink> CreateWithTraitsAsync(Action<TraitsOptions> traits, [CallerMemberName] string name = "") =>
        Open(await NewStoreAsync(name), traits);

    /// <summary>Creates EventLink with <paramref name="traits"/> over a new, empty store, one of several in a test.</summary>
    /// <param name="traits">The computed traits, audiences and triggers.</param>
    /// <param name="name">Tells this store from the test's others.</param>
    /// <param name="test">The calling test.</param>
    /// <returns>An <see cref="IEventLink"/> disposed when the test ends.</returns>
    protected async Task<IEventLink> CreateWithTraitsAsync(Action<TraitsOptions> traits, string name, [CallerMemberName] string test = "") =>
        Open(await NewStoreAsync(test + "_" + name), traits);

    /// <summary>Creates EventLink with <paramref name="traits"/> and more features over a new, empty store named after the calling test.</summary>
    /// <param name="traits">The computed traits, audiences and triggers.</param>
    /// <param name="configure">Adds more features (destinations, syncs).</param>
    /// <param name="name">The store name within the test class; the calling member by default.</param>
    /// <returns>An <see cref="IEventLink"/> disposed when the test ends.</returns>
    protected async Task<IEventLink> CreateWithTraitsAsync(Action<TraitsOptions> traits, Action<EventLinkBuilder> configure, [CallerMemberName] string name = "") =>
        Open(await NewStoreAsync(name), traits, configure);

    /// <summary>Creates EventLink with <paramref name="traits"/> and more features over another instance of the test's store (a restart).</summary>
    /// <param name="traits">The computed traits, audiences and triggers.</param>
    /// <param name="configure">Adds more features (destinations, syncs).</param>
    /// <param name="name">The store name given when it was created; the calling member by default.</param>
    /// <returns>An <see cref="IEventLink"/> disposed when the test ends.</returns>
    protected async Task<IEventLink> ReopenWithTraitsAsync(Action<TraitsOptions> traits, Action<EventLinkBuilder> configure, [CallerMemberName] string name = "") =>
        Open(await ReopenStoreAsync(name), traits, configure);

    /// <summary>Creates EventLink with <paramref name="traits"/> over another instance of the test's store (a restart).</summary>
    /// <param name="traits">The computed traits, audiences and triggers.</param>
    /// <param name="name">The store name given when it was created; the calling member by default.</param>
    /// <returns>An <see cref="IEventLink"/> disposed when the test ends.</returns>
    protected async Task<IEventLink> ReopenWithTraitsAsync(Action<TraitsOptions> traits, [CallerMemberName] string name = "") =>
        Open(await ReopenStoreAsync(name), traits);

    /// <summary>Reads every trigger notification after a position.</summary>
    /// <param name="link">The EventLink to read.</param>
    /// <param name="after">The position to read after; 0 for all.</param>
    /// <returns>The notifications, in order.</returns>
    protected static async Task<List<TriggerNotification>> TriggersAsync(IEventLink link, long after = 0)
    {
        var list = new List<TriggerNotification>();
        await foreach (var trigger in link.ReadTriggersAsync(after))
        {
            list.Add(trigger);
        }

        return list;
    }

    /// <summary>Reads the profile ids of an audience's members.</summary>
    /// <param name="link">The EventLink to read.</param>
    /// <param name="audience">The audience name.</param>
    /// <returns>The member profile ids, in the store's order.</returns>
    protected static async Task<List<Guid>> MembersAsync(IEventLink link, string audience)
    {
        var list = new List<Guid>();
        await foreach (var member in link.GetAudienceMembersAsync(audience))
        {
            list.Add(member.ProfileId);
        }

        return list;
    }

    /// <summary>Reads a profile's computed traits.</summary>
    /// <param name="link">The EventLink to read.</param>
    /// <param name="profileId">The profile.</param>
    /// <returns>The traits' JSON values by name.</returns>
    protected static async Task<Dictionary<string, string>> TraitsOfAsync(IEventLink link, Guid profileId) =>
        (await link.GetComputedAsync(profileId))!.Traits.ToDictionary(t => t.Name, t => t.ValueJson);
}

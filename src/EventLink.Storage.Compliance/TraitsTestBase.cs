using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Storage.Compliance;

/// <summary>The schema, payloads and definitions the traits suite shares: the contract schema plus product events.</summary>
public abstract class TraitsTestBase<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    private readonly List<IAsyncDisposable> _links = [];

    public static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static void Schema(SchemaBuilder schema)
    {
        TestSchema.Define(schema);
        schema.AppendOnly("app_event", t => t
            .RecordId("id").OccurredAt("at").EventName("event")
            .RelatesTo("email", "customer"));
    }

    public static IngestRecord AppEvent(string id, string email, string name, DateTimeOffset at, object? properties = null) =>
        new("app", "app_event", JsonSerializer.Serialize(new { id, email, @event = name, at = at.ToString("O"), properties }));

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

    /// <summary>The traits the issue names, one per kind, and a windowed count.</summary>
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

    /// <summary>The onboarding audience: checklist started, not completed within 24 hours.</summary>
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

    protected IEventLink Open(EventLinkStore store, Action<TraitsOptions> traits, Action<EventLinkBuilder>? configure = null)
    {
        var builder = new EventLinkBuilder();
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.AddSchema(Schema).UseStore(_ => store).AddTraits(traits);
        configure?.Invoke(builder);
        var link = builder.Build();
        _links.Add(link);
        return link;
    }

    protected async Task<IEventLink> CreateWithTraitsAsync(Action<TraitsOptions> traits, [CallerMemberName] string name = "") =>
        Open(await Fixture.CreateStoreAsync(Name(name)), traits);

    protected async Task<IEventLink> CreateWithTraitsAsync(Action<TraitsOptions> traits, string name, [CallerMemberName] string test = "") =>
        Open(await Fixture.CreateStoreAsync(Name(test + "_" + name)), traits);

    protected async Task<IEventLink> CreateWithTraitsAsync(Action<TraitsOptions> traits, Action<EventLinkBuilder> configure, [CallerMemberName] string name = "") =>
        Open(await Fixture.CreateStoreAsync(Name(name)), traits, configure);

    protected async Task<IEventLink> ReopenWithTraitsAsync(Action<TraitsOptions> traits, Action<EventLinkBuilder> configure, [CallerMemberName] string name = "") =>
        Open(await Fixture.OpenStoreAsync(Name(name)), traits, configure);

    protected async Task<IEventLink> ReopenWithTraitsAsync(Action<TraitsOptions> traits, [CallerMemberName] string name = "") =>
        Open(await Fixture.OpenStoreAsync(Name(name)), traits);

    protected static async Task<List<TriggerNotification>> TriggersAsync(IEventLink link, long after = 0)
    {
        var list = new List<TriggerNotification>();
        await foreach (var trigger in link.ReadTriggersAsync(after))
        {
            list.Add(trigger);
        }

        return list;
    }

    protected static async Task<List<Guid>> MembersAsync(IEventLink link, string audience)
    {
        var list = new List<Guid>();
        await foreach (var member in link.GetAudienceMembersAsync(audience))
        {
            list.Add(member.ProfileId);
        }

        return list;
    }

    protected static async Task<Dictionary<string, string>> TraitsOfAsync(IEventLink link, Guid profileId) =>
        (await link.GetComputedAsync(profileId))!.Traits.ToDictionary(t => t.Name, t => t.ValueJson);

    public override async Task DisposeAsync()
    {
        foreach (var link in _links)
        {
            await link.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    private string Name(string test) => $"{GetType().Name}_{test}".ToLowerInvariant();
}

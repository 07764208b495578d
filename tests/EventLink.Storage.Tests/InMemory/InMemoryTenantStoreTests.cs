using System.Collections;
using EventLink.Storage.InMemory;

namespace EventLink.Storage.Tests.InMemory;

/// <summary>In-memory-only check of tenant erasure: every collection of the tenant's state is empty afterwards.</summary>
public sealed class InMemoryTenantStoreTests
{
    [Fact]
    public async Task Erasing_a_tenant_empties_every_collection_of_its_state()
    {
        var store = new InMemoryEventLinkStore();
        var builder = new EventLinkBuilder();
        builder.AddSchema(TestSchema.Define).UseStore(_ => store).AddTraits(t =>
        {
            // Traits, an audience and an event trigger, so their state is part of what must be erased.
            t.Traits.Add(new ComputedTraitOptions { Name = "charges", Kind = TraitKind.Count, Filter = new() { RecordType = "charge" } });
            t.Audiences.Add(new AudienceOptions { Name = "payers", Condition = AudienceConditionOptions.TraitIs("charges", ComparisonOperator.GreaterThan, "0") });
        });
        await using var link = builder.Build();
        await link.ForTenant("acme").IngestAsync(SeedData.Records());
        await link.ForTenant("acme").IngestAsync(new IngestRecord("stripe", "customer", "{not json"));

        await link.ForTenant("acme").EraseTenantAsync();

        await using var session = await store.BeginAsync("acme");
        var state = typeof(InMemoryStoreSession).GetField("_state", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(session)!;
        var collections = state.GetType().GetProperties().Where(p => p.PropertyType.IsAssignableTo(typeof(IEnumerable))).ToList();
        collections.Should().HaveCountGreaterThan(20);
        ((IEnumerable)state.GetType().GetProperty("Triggers")!.GetValue(state)!).Cast<object>().Should().BeEmpty();
        foreach (var property in collections)
        {
            ((IEnumerable)property.GetValue(state)!).Cast<object>().Should().BeEmpty($"{property.Name} is part of the tenant's data");
        }
    }
}

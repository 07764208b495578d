using FluentAssertions;

namespace EventLink.Storage.Compliance;

/// <summary>
/// How computed state is stored: one packed value per profile, updated by difference, and the trait rows stored
/// before states were packed still read (then replaced).
/// </summary>
public abstract partial class TraitsContractTests<TFixture>
    where TFixture : StoreFixture
{
    [StoreFact]
    public virtual async Task A_packed_update_replaces_trait_rows_and_changes_only_the_memberships_that_changed()
    {
        var store = await NewStoreAsync();
        await using var owned = store;
        await store.InitializeAsync();
        var profile = Guid.CreateVersion7(Start);
        var legacy = new ComputedStateRow(
            [new TraitStateRow("a", "1", "{\"f\":\"x\",\"c\":1}"), new TraitStateRow("b", "2", "{\"f\":\"y\",\"c\":2}")],
            [new AudienceMemberRow("gone", profile, Start), new AudienceMemberRow("kept", profile, Start)],
            Start.AddDays(1));
        await CommitAsync(store, session => session.SaveComputedStateAsync(profile, legacy).AsTask());

        var stored = await store.ReadComputedStateAsync("default", profile);
        stored.State.Should().BeNull();
        stored.Traits.Select(t => (t.Name, t.ValueJson, t.StateJson)).Should().Equal(legacy.Traits.Select(t => (t.Name, t.ValueJson, t.StateJson)));
        stored.DueAt.Should().Be(Start.AddDays(1));

        // A session that does not commit changes nothing.
        var packed = new byte[] { 3, 0, 1, 2, 255, 0, 7 };
        var update = new ComputedStateRow([], [new AudienceMemberRow("kept", profile, Start), new AudienceMemberRow("new", profile, Start.AddHours(2))], null) { State = packed };
        var session = await store.BeginAsync("default");
        await using (session.ConfigureAwait(false))
        {
            await session.UpdateComputedStateAsync(profile, stored, update);
        }

        (await store.ReadComputedStateAsync("default", profile)).Traits.Should().HaveCount(2);

        await CommitAsync(store, s => s.UpdateComputedStateAsync(profile, stored, update).AsTask());
        var updated = await store.ReadComputedStateAsync("default", profile);
        updated.Traits.Should().BeEmpty("the packed state replaces the rows of the traits");
        updated.State.Should().Equal(packed);
        updated.DueAt.Should().BeNull();
        updated.Audiences.Select(a => (a.Audience, a.EnteredAt)).Should().BeEquivalentTo([("kept", Start), ("new", Start.AddHours(2))]);
        (await MembersOfAsync(store, "gone")).Should().BeEmpty();
        (await MembersOfAsync(store, "new")).Should().Equal(profile);
        await CommitAsync(store, async s => (await s.GetDueProfilesAsync(Start.AddYears(1), 10)).Should().NotContain(profile, "a profile without a due time is never due"));

        // A due time again, then nothing at all: the profile's state is gone.
        var due = update with { Audiences = [], DueAt = Start.AddDays(2) };
        await CommitAsync(store, s => s.UpdateComputedStateAsync(profile, updated, due).AsTask());
        await CommitAsync(store, async s => (await s.GetDueProfilesAsync(Start.AddDays(3), 10)).Should().Equal(profile));
        await CommitAsync(store, s => s.UpdateComputedStateAsync(profile, due, ComputedStateRow.Empty).AsTask());
        (await store.ReadComputedStateAsync("default", profile)).IsEmpty.Should().BeTrue();
        (await MembersOfAsync(store, "kept")).Should().BeEmpty();
    }

    [StoreFact]
    public virtual async Task Trait_states_stored_one_row_each_before_they_were_packed_are_read_then_replaced()
    {
        static void Define(TraitsOptions traits)
        {
            var succeeded = new EventFilterOptions { RecordType = "charge" };
            succeeded.Where.Add(new PropertyConditionOptions { Property = "status", Value = "succeeded" });
            traits.Traits.Add(new ComputedTraitOptions { Name = "lifetime_value", Kind = TraitKind.Sum, Property = "amount", Filter = succeeded });
            traits.Traits.Add(new ComputedTraitOptions { Name = "charges", Kind = TraitKind.Count, Filter = new() { RecordType = "charge" } });
        }

        var store = await NewStoreAsync();
        var link = Open(store, Define);
        var profile = (await link.IngestAsync(TestSchema.StripeCustomer("cus_1", "ada@example.com", Start.AddDays(-10)))).ProfileId!.Value;
        await link.IngestAsync(Charge("ch_1", "ada@example.com", Start.AddDays(-2), 1000));
        var computed = (await link.GetComputedAsync(profile))!;

        // The states as an earlier version stored them, one JSON row per trait, saying 3 charges worth 5000 (not the history's 1).
        var legacy = new ComputedStateRow(
        [
            new TraitStateRow("lifetime_value", "5000", $$"""{"f":{{System.Text.Json.JsonSerializer.Serialize(computed.GetTrait("lifetime_value")!.Definition)}},"c":3,"s":5000}"""),
            new TraitStateRow("charges", "3", $$"""{"f":{{System.Text.Json.JsonSerializer.Serialize(computed.GetTrait("charges")!.Definition)}},"c":3,"s":0}"""),
        ], [], null);
        await CommitAsync(store, session => session.SaveComputedStateAsync(profile, legacy).AsTask());

        await link.IngestAsync(Charge("ch_2", "ada@example.com", Start.AddDays(-1), 500));
        var traits = await TraitsOfAsync(link, profile);
        traits["lifetime_value"].Should().Be("5500", "the stored rows are read and the new charge added to them, not recomputed from history");
        traits["charges"].Should().Be("4");
        var stored = await store.ReadComputedStateAsync("default", profile);
        stored.Traits.Should().BeEmpty("the update replaced the rows with the packed state");
        stored.State.Should().NotBeNull();
    }

    private static async Task CommitAsync(EventLinkStore store, Func<EventLinkStoreSession, Task> work)
    {
        var session = await store.BeginAsync("default");
        await using (session.ConfigureAwait(false))
        {
            await work(session);
            await session.CommitAsync();
        }
    }

    private static async Task<List<Guid>> MembersOfAsync(EventLinkStore store, string audience)
    {
        var members = new List<Guid>();
        await foreach (var member in store.ReadAudienceMembersAsync("default", audience))
        {
            members.Add(member.ProfileId);
        }

        return members;
    }
}

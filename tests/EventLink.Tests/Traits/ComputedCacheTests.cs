using EventLink.Storage;
using EventLink.Traits.Internal;
using FluentAssertions;

namespace EventLink.Tests.Traits;

/// <summary>
/// A unit of work updates the cached decoded state of a profile in place, holding it until it commits: an entry held by
/// one that rolled back is wrong, and the next unit of work must read the stored state instead of using it.
/// </summary>
public sealed class ComputedCacheTests
{
    private static readonly Guid Profile = Guid.NewGuid();

    private static ComputedEntry Entry() => new([], [], ComputedStateRow.Empty);

    [Fact]
    public void An_entry_held_by_a_unit_of_work_that_never_committed_is_dropped_when_next_met()
    {
        var cache = new ComputedCache(100);
        var entry = Entry();
        cache.Keep("t", 1, new object(), [(Profile, entry)], []);

        var rolledBack = new object();
        var held = new List<HeldEntry>();
        cache.For("t", 1).Hold(Profile, rolledBack, held).Should().BeSameAs(entry);
        cache.For("t", 1).Hold(Profile, rolledBack, held).Should().BeSameAs(entry, "a unit of work meets its own entry again");
        held.Should().HaveCount(1);

        // It never commits: the next unit of work (at the same version: nothing was committed) does not use its entry.
        var next = new List<HeldEntry>();
        cache.For("t", 1).Hold(Profile, new object(), next).Should().BeNull();
        next.Should().BeEmpty();
        cache.For("t", 1).Should().NotContainKey(Profile);
    }

    [Fact]
    public void A_committed_unit_of_work_lets_go_of_what_it_held_and_keeps_what_it_computed()
    {
        var cache = new ComputedCache(100);
        var entry = Entry();
        var other = Guid.NewGuid();
        cache.Keep("t", 1, new object(), [(Profile, entry)], []);

        var unit = new object();
        var held = new List<HeldEntry>();
        cache.For("t", 1).Hold(Profile, unit, held).Should().BeSameAs(entry);
        var computed = Entry();
        cache.Keep("t", 2, unit, [(Profile, entry), (other, computed)], held);

        entry.Holder.Should().BeNull();
        var nextUnit = new object();
        var next = new List<HeldEntry>();
        cache.For("t", 2).Hold(Profile, nextUnit, next).Should().BeSameAs(entry);
        cache.For("t", 2).Hold(other, nextUnit, next).Should().BeSameAs(computed);
        next.Should().HaveCount(2);
        cache.For("t", 3).Should().BeEmpty("a commit by anyone else moved the version");
        next.Select(h => h.Entry.HeldAt).Should().Equal([0, 1], "an entry knows where its holder keeps the row it prepares");
    }

    [Fact]
    public void An_entry_keeps_what_is_stored_as_fields_and_gives_it_back_as_the_previous_row_without_the_packed_state()
    {
        var member = new AudienceMemberRow("valuable", Profile, DateTimeOffset.UnixEpoch);
        var due = DateTimeOffset.UnixEpoch.AddDays(30);
        var legacy = new ComputedStateRow([new TraitStateRow("ltv", "1", "{}")], [member], due);
        var entry = new ComputedEntry([], [member], legacy);
        entry.Previous.Should().BeEquivalentTo(legacy, "rows of the unpacked form are what a store deletes once packed");

        var written = new ComputedStateRow([], [member], due) { State = [1, 2, 3] };
        entry.Written(written);
        entry.StoredAudiences.Should().BeSameAs(written.Audiences, "unchanged memberships are written again as the same list");
        entry.Previous.Should().BeEquivalentTo(new ComputedStateRow([], [member], due), "the packed state is opaque to stores: the entry does not keep it");

        entry.Written(ComputedStateRow.Empty);
        entry.Previous.Should().BeSameAs(ComputedStateRow.Empty);
    }
}

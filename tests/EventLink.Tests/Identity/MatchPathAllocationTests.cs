namespace EventLink.Tests.Identity;

/// <summary>The match path of every append-only record allocates nothing (not a timing test).</summary>
public sealed class MatchPathAllocationTests
{
    private const int Profiles = 2_000;

    private static readonly EventLinkSchema Schema = EventLinkSchema.Create(s => s
        .Merged("customer", t => t.Identity("email").Identity("user_id", IdentityKinds.UserId).Identity("phone", IdentityKinds.Phone)));

    [Theory]
    [InlineData(IdentityKinds.Email)]
    [InlineData(IdentityKinds.UserId)]
    [InlineData(IdentityKinds.Phone)]
    public void Matching_raw_values_allocates_nothing_after_warm_up(string kindName)
    {
        var (index, raws, expected) = Build(kindName);
        var kind = Schema.IdentityKinds[kindName];
        Span<char> buffer = stackalloc char[IdentityMatcher.BufferLength];
        // Warm up past tiered compilation (tier-1 code is installed in the background after ~100 ms). The runtime
        // itself may allocate once on this thread while it swaps code in; an allocation of the match path would show
        // in every round (at least one object per call), so the quietest of three rounds must be zero.
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < raws.Length; i++)
            {
                IdentityMatcher.Match(Schema, index, kind, raws[i], buffer, out _, out _);
            }

            Thread.Sleep(150);
        }

        var quietest = long.MaxValue;
        var matched = 0;
        for (var round = 0; round < 3; round++)
        {
            matched = 0;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < raws.Length; i++)
            {
                if (IdentityMatcher.Match(Schema, index, kind, raws[i], buffer, out _, out var profileId) == IdentityMatchStatus.Matched &&
                    profileId == expected[i])
                {
                    matched++;
                }
            }

            quietest = Math.Min(quietest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        quietest.Should().Be(0, $"{raws.Length} matches must allocate nothing");
        matched.Should().Be(raws.Length);
    }

    [Theory]
    [InlineData(IdentityKinds.Email, " Nobody@Example.COM ", nameof(IdentityMatchStatus.Unmatched))]
    [InlineData(IdentityKinds.Email, "not-an-email", nameof(IdentityMatchStatus.Invalid))]
    [InlineData(IdentityKinds.UserId, "NULL", nameof(IdentityMatchStatus.Blocked))]
    [InlineData(IdentityKinds.UserId, "000", nameof(IdentityMatchStatus.Blocked))]
    [InlineData(IdentityKinds.UserId, " usr_unknown ", nameof(IdentityMatchStatus.Unmatched))]
    public void Misses_allocate_nothing_either(string kindName, string raw, string expected)
    {
        var (index, _, _) = Build(kindName);
        var kind = Schema.IdentityKinds[kindName];
        Span<char> buffer = stackalloc char[IdentityMatcher.BufferLength];
        IdentityMatcher.Match(Schema, index, kind, raw, buffer, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var status = IdentityMatcher.Match(Schema, index, kind, raw, buffer, out _, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
        status.ToString().Should().Be(expected);
    }

    private static (IdentityIndex Index, string[] Raws, Guid[] Expected) Build(string kind)
    {
        var index = new IdentityIndex();
        var raws = new string[Profiles];
        var expected = new Guid[Profiles];
        for (var i = 0; i < Profiles; i++)
        {
            var (normalized, raw) = kind switch
            {
                IdentityKinds.Email => ($"user.{i}@example.com", $" User.{i}@Example.COM "),
                IdentityKinds.Phone => ($"+1415555{i:D4}", $"+1 (415) 555-{i:D4}"),
                _ => ($"usr_{i:D8}", $" usr_{i:D8} "),
            };
            expected[i] = Guid.NewGuid();
            index.Set(new IdentityKey(kind, normalized), expected[i]);
            raws[i] = raw;
        }

        return (index, raws, expected);
    }
}

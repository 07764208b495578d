namespace EventLink.Tests.Identity;

public sealed class IdentityIndexTests
{
    [Fact]
    public void Random_sets_moves_and_removes_answer_like_a_dictionary()
    {
        var random = new Random(42);
        var index = new IdentityIndex();
        var model = new Dictionary<IdentityKey, Guid>();
        string[] kinds = [IdentityKinds.Email, IdentityKinds.UserId];
        for (var step = 0; step < 60_000; step++)
        {
            var kind = kinds[random.Next(kinds.Length)];
            var key = new IdentityKey(kind, Value(random.Next(5_000)));
            var action = random.Next(10);
            if (action < 6)
            {
                var profile = Guid.NewGuid();
                index.Set(key, profile);
                model[key] = profile;
            }
            else if (action < 8)
            {
                index.Remove(key);
                model.Remove(key);
            }
            else
            {
                var found = index.TryGet(key, out var profile);
                found.Should().Be(model.TryGetValue(key, out var expected));
                profile.Should().Be(found ? expected : Guid.Empty);
            }

            index.Count.Should().Be(model.Count);
        }

        foreach (var (key, profile) in model)
        {
            index.TryGet(key, out var found).Should().BeTrue();
            found.Should().Be(profile);
        }
    }

    [Theory]
    [InlineData("ada@example.com")]
    [InlineData("zoë@exämple.com")]
    [InlineData("用户@例子.公司")]
    [InlineData("emoji😀@example.com")]
    [InlineData("lone\ud800surrogate")]
    [InlineData("other\udc00lone")]
    public void Any_text_round_trips(string value)
    {
        var index = new IdentityIndex();
        var profile = Guid.NewGuid();
        index.Set(new IdentityKey(IdentityKinds.UserId, value), profile);

        index.TryGet(IdentityKinds.UserId, value, out var found).Should().BeTrue();
        found.Should().Be(profile);
        index.TryGet(IdentityKinds.UserId, value + "x", out _).Should().BeFalse();
        index.TryGet(IdentityKinds.Email, value, out _).Should().BeFalse();
        index.Count.Should().Be(1);
    }

    [Fact]
    public void Long_values_and_many_pages_are_held()
    {
        var index = new IdentityIndex();
        var profiles = new Dictionary<string, Guid>();
        for (var i = 0; i < 3_000; i++)
        {
            var value = new string((char)('a' + (i % 26)), 1 + (i % 700)) + i;
            profiles[value] = Guid.NewGuid();
            index.Set(new IdentityKey(IdentityKinds.UserId, value), profiles[value]);
        }

        var huge = new string('h', 2_000_000);
        index.Set(new IdentityKey(IdentityKinds.UserId, huge), Guid.Empty);

        foreach (var (value, profile) in profiles)
        {
            index.TryGet(IdentityKinds.UserId, value, out var found).Should().BeTrue();
            found.Should().Be(profile);
        }

        index.TryGet(IdentityKinds.UserId, huge, out _).Should().BeTrue();
        index.Count.Should().Be(3_001);
    }

    [Fact]
    public void Removed_values_are_compacted_away_and_the_rest_stay()
    {
        var index = new IdentityIndex();
        var kept = new Dictionary<string, Guid>();
        for (var round = 0; round < 4; round++)
        {
            for (var i = 0; i < 1_000; i++)
            {
                var value = $"{round}:{i}:" + new string('x', 1_500);
                var profile = Guid.NewGuid();
                index.Set(new IdentityKey(IdentityKinds.UserId, value), profile);
                if (i % 100 == 0)
                {
                    kept[value] = profile;
                }
                else
                {
                    index.Remove(new IdentityKey(IdentityKinds.UserId, value));
                }
            }
        }

        index.Count.Should().Be(kept.Count);
        foreach (var (value, profile) in kept)
        {
            index.TryGet(IdentityKinds.UserId, value, out var found).Should().BeTrue();
            found.Should().Be(profile);
        }
    }

    [Fact]
    public void Setting_an_existing_value_moves_it()
    {
        var index = new IdentityIndex();
        var key = new IdentityKey(IdentityKinds.Email, "ada@example.com");
        index.Set(key, Guid.Empty);
        var survivor = Guid.NewGuid();

        index.Set(key, survivor);

        index.TryGet(key, out var found).Should().BeTrue();
        found.Should().Be(survivor);
        index.Count.Should().Be(1);
    }

    private static string Value(int i) => (i % 3) switch
    {
        0 => $"user{i}@example.com",
        1 => $"usr_{i}",
        _ => $"zoë{i}@exämple.com",
    };
}

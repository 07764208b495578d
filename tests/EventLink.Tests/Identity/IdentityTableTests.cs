namespace EventLink.Tests.Identity;

public sealed class IdentityTableTests
{
    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("ab")]
    [InlineData("abc")]
    [InlineData("abcd")]
    [InlineData("abcde")]
    [InlineData("usr_0123456789ab")]
    [InlineData("ada.lovelace@example.com")]
    public void The_seeded_hash_tells_ascii_from_the_same_pass_at_every_length(string ascii)
    {
        IdentityTable.SeededHash(ascii, 42, out var isAscii);
        isAscii.Should().BeTrue();

        // A non-ASCII char anywhere (first word, middle, the one-to-three-char tail) is seen.
        for (var position = 0; position < ascii.Length; position++)
        {
            var changed = ascii[..position] + 'é' + ascii[(position + 1)..];
            IdentityTable.SeededHash(changed, 42, out isAscii);
            isAscii.Should().BeFalse($"'{changed}' has a non-ASCII char at {position}");
        }
    }

    [Fact]
    public void The_seeded_hash_depends_on_the_seed_every_char_and_the_length()
    {
        var value = "usr_0123456789abcdef";
        var hash = IdentityTable.SeededHash(value, 1, out _);
        IdentityTable.SeededHash(value, 2, out _).Should().NotBe(hash);
        IdentityTable.SeededHash(value + "\0", 1, out _).Should().NotBe(hash, "a trailing NUL must not look like the padding");
        for (var position = 0; position < value.Length; position++)
        {
            var changed = value[..position] + (char)(value[position] ^ 1) + value[(position + 1)..];
            IdentityTable.SeededHash(changed, 1, out _).Should().NotBe(hash, $"char {position} changed");
        }
    }

    [Fact]
    public void Values_colliding_whatever_the_seed_switch_the_table_to_the_randomised_hash_and_stay_found()
    {
        // The multiply-rotate step has seed-independent full collisions (flipping bit 15 of one word's last char and
        // bit 14 of the next word's second char): eleven such pairs make 2,048 values with one hash. Like a
        // flooding attack, they must not turn every insert into a walk of the whole run.
        var values = new List<string>();
        for (var mask = 0; mask < 2048; mask++)
        {
            var chars = new string('a', 88).ToCharArray();
            for (var pair = 0; pair < 11; pair++)
            {
                if ((mask & (1 << pair)) != 0)
                {
                    chars[(pair * 8) + 3] ^= '\u8000';
                    chars[(pair * 8) + 5] ^= '\u4000';
                }
            }

            values.Add(new string(chars));
        }

        var seed = 7UL;
        values.Select(v => IdentityTable.SeededHash(v, seed, out _)).Distinct().Should().ContainSingle("the construction collides");

        var table = new IdentityTable();
        var profiles = values.ToDictionary(v => v, _ => Guid.NewGuid());
        foreach (var (value, profile) in profiles)
        {
            table.Set(value, profile);
        }

        table.UsesRandomizedHash.Should().BeTrue();
        table.Count.Should().Be(values.Count);
        foreach (var (value, profile) in profiles)
        {
            table.TryGet(value, out var found).Should().BeTrue();
            found.Should().Be(profile);
        }

        // Values set before the switch and plain ones set after it are all still there.
        table.Set("ada@example.com", profiles[values[0]]);
        table.TryGet("ada@example.com", out var ada).Should().BeTrue();
        ada.Should().Be(profiles[values[0]]);
        table.Remove(values[5]).Should().BeTrue();
        table.TryGet(values[5], out _).Should().BeFalse();
    }

    [Fact]
    public void Ordinary_identities_never_switch_the_hash()
    {
        var table = new IdentityTable();
        for (var i = 0; i < 200_000; i++)
        {
            table.Set($"user{i}@example.com", Guid.Empty);
        }

        table.UsesRandomizedHash.Should().BeFalse();
    }
}

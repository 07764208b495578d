namespace EventLink.Tests.Identity;

/// <summary>
/// The match path takes shortcuts (an inline trim, an ASCII e-mail path, a blocked-value check decided without a
/// call, exact values looked up in place): each must answer exactly what the general rule answers.
/// </summary>
public sealed class MatchPathEquivalenceTests
{
    private const string Alphabet = "aZ.@-_0+ \t\"'<>,;()\u007F\u0001éÀ\u00A0\u2003";

    private static readonly EventLinkSchema Schema = EventLinkSchema.Create(s => s
        .Merged("customer", t => t.Identity("email").Identity("user_id", IdentityKinds.UserId)));

    [Fact]
    public void The_ascii_email_path_agrees_with_the_general_rule_on_random_text()
    {
        var random = new Random(5);
        Span<char> fast = stackalloc char[64];
        Span<char> general = stackalloc char[64];
        for (var i = 0; i < 200_000; i++)
        {
            var value = RandomText(random, 1 + random.Next(14), i % 3 == 0 ? "aZ.@" : Alphabet);
            var expected = IdentityNormalizer.NormalizeAnyEmail(IdentityNormalizer.Trim(value), general);
            var written = IdentityNormalizer.Normalize(IdentityNormalization.Email, value, fast);
            if (written >= 0 || expected >= 0)
            {
                written.Should().Be(expected, $"'{value}'");
                fast[..written].ToString().Should().Be(general[..expected].ToString());
            }
        }
    }

    [Fact]
    public void The_inline_trim_agrees_with_the_framework_trim()
    {
        var random = new Random(6);
        for (var i = 0; i < 100_000; i++)
        {
            var value = RandomText(random, random.Next(6), " \t\r\n\u000B\u000C\u00A0\u2003\u0085a\u0080");
            IdentityNormalizer.Trim(value).ToString().Should().Be(value.AsSpan().Trim().ToString(), $"'{Escape(value)}'");
        }
    }

    [Fact]
    public void The_blocked_value_shortcut_agrees_with_the_full_check()
    {
        var random = new Random(7);
        var filter = Schema.Blocked;
        string[] seeds = ["null", "undefined", "0", "00-0", "-1", "anonymous", "guest", "[object Object]", "none", "nil", "nan", "usr_1", "ada@x.io"];
        for (var i = 0; i < 100_000; i++)
        {
            var value = random.Next(3) == 0
                ? seeds[random.Next(seeds.Length)]
                : RandomText(random, random.Next(17), "nul0-\"' aZ[]");
            if (random.Next(4) == 0)
            {
                value = $"\"{value}\"";
            }

            filter.IsBlocked(value).Should().Be(filter.IsBlockedSlow(value), $"'{value}'");
        }
    }

    [Theory]
    [InlineData(" usr_42 ", "usr_42")]
    [InlineData("\tusr_42", "usr_42")]
    [InlineData("usr_42\u00A0", "usr_42")]
    public void An_exact_value_no_profile_holds_is_handed_back_normalised(string raw, string expected)
    {
        var index = new IdentityIndex();
        Span<char> buffer = stackalloc char[IdentityMatcher.BufferLength];
        var status = IdentityMatcher.Match(Schema, index, Schema.IdentityKinds[IdentityKinds.UserId], raw, buffer, out var written, out _);

        status.Should().Be(IdentityMatchStatus.Unmatched);
        buffer[..written].ToString().Should().Be(expected);

        index.Set(new IdentityKey(IdentityKinds.UserId, expected), Guid.Empty);
        IdentityMatcher.Match(Schema, index, Schema.IdentityKinds[IdentityKinds.UserId], raw, buffer, out _, out _).Should().Be(IdentityMatchStatus.Matched);
    }

    [Theory]
    [InlineData("   ")]
    [InlineData(" null ")]
    [InlineData("'0'")]
    public void Exact_values_that_are_empty_or_blocked_are_refused(string raw)
    {
        Span<char> buffer = stackalloc char[IdentityMatcher.BufferLength];
        IdentityMatcher.Match(Schema, new IdentityIndex(), Schema.IdentityKinds[IdentityKinds.UserId], raw, buffer, out _, out _)
            .Should().Be(IdentityMatchStatus.Blocked);
    }

    [Fact]
    public void An_exact_value_longer_than_the_limit_is_invalid()
    {
        Span<char> buffer = stackalloc char[IdentityMatcher.BufferLength];
        var raw = new string('u', IdentityNormalizer.MaxLength + 1);
        IdentityMatcher.Match(Schema, new IdentityIndex(), Schema.IdentityKinds[IdentityKinds.UserId], raw, buffer, out var written, out _)
            .Should().Be(IdentityMatchStatus.Invalid);
        written.Should().Be(-1);
    }

    private static string RandomText(Random random, int length, string alphabet)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    private static string Escape(string value) => string.Concat(value.Select(c => c < 0x80 && !char.IsControl(c) ? c.ToString() : $"\\u{(int)c:X4}"));
}

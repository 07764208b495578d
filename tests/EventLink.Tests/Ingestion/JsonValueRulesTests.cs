using System.Text;
using System.Text.Json;
using EventLink.Ingestion.Internal;
using EventLink.Internal;
using EventLink.Presets;

namespace EventLink.Tests.Ingestion;

/// <summary>
/// The values no store keeps, decided where PostgreSQL decides them: its <c>numeric</c> limits (131,072 digits before
/// the point, 16,383 after, as documented in "Numeric Types", and measured on PostgreSQL 15 with <c>'…'::jsonb</c>),
/// its refusal of <c>\u0000</c> in <c>text</c> and <c>jsonb</c>, and RFC 7493 (I-JSON) §2.1 on surrogates.
/// </summary>
public sealed class JsonValueRulesTests
{
    [Theory]
    [InlineData("1e131071", true)] // 131,072 digits: PostgreSQL takes it.
    [InlineData("9e131071", true)]
    [InlineData("-1e131071", true)]
    [InlineData("0.1e131072", true)]
    [InlineData("0.00001e131076", true)]
    [InlineData("123456789e131063", true)]
    [InlineData("1e-16383", true)]
    [InlineData("0e-16383", true)]
    [InlineData("0e200000", true)]
    [InlineData("0.0e131073", true)]
    [InlineData("1767225600", true)]
    [InlineData("1e308", true)]
    [InlineData("1e131072", false)] // "value overflows numeric format" on PostgreSQL.
    [InlineData("10e131071", false)]
    [InlineData("1e200000", false)]
    [InlineData("1e-16384", false)]
    [InlineData("1.5e-16383", false)]
    [InlineData("12e-16384", false)]
    [InlineData("100e-16385", false)]
    [InlineData("0e-20000", false)]
    [InlineData("1e1073741823", false)]
    [InlineData("1e99999999999", false)]
    public void Numbers_are_kept_exactly_when_PostgreSQL_numeric_holds_them(string number, bool kept)
    {
        (JsonValueRules.Check(Encoding.UTF8.GetBytes($$"""{"n":{{number}}}"""), 64) is null).Should().Be(kept);
    }

    [Fact]
    public void Digits_beyond_the_limits_without_an_exponent_are_refused()
    {
        JsonValueRules.Check(Encoding.UTF8.GetBytes("{\"n\":0." + new string('0', 16382) + "1}"), 64).Should().BeNull();
        JsonValueRules.Check(Encoding.UTF8.GetBytes("{\"n\":0." + new string('0', 16383) + "1}"), 64).Should().Contain("16,384 digits after");
    }

    [Theory]
    [InlineData(@"\ud800", "lone surrogate (\\ud800)")]
    [InlineData(@"\udc00", "lone surrogate (\\udc00)")]
    [InlineData(@"\udc00\ud800", "lone surrogate (\\udc00)")]
    [InlineData(@"\ud800\ud800", "lone surrogate (\\ud800)")]
    [InlineData(@"a\ud800", "lone surrogate (\\ud800)")]
    [InlineData(@"\ud800\u0041", "lone surrogate (\\ud800)")]
    [InlineData(@"\u0000", "NUL character")]
    [InlineData(@"x\\\u0000", "NUL character")]
    public void Strings_with_a_lone_surrogate_or_a_NUL_are_refused(string escaped, string problem)
    {
        JsonValueRules.Check(Encoding.UTF8.GetBytes($$"""{"s":"{{escaped}}"}"""), 64).Should().Contain(problem);
        JsonValueRules.Check(Encoding.UTF8.GetBytes($$"""{"{{escaped}}":1}"""), 64).Should().Contain("a property name");
    }

    [Theory]
    [InlineData(@"\ud83d\ude00")]
    [InlineData(@"\uD83D\uDE00")]
    [InlineData(@"\\ud800")] // An escaped backslash, then the text "ud800".
    [InlineData(@"\\u0000")]
    [InlineData(@"\u0001\t\n\""\/")]
    [InlineData(@"\u00e9\uffff\ufeff")]
    public void Pairs_and_other_escapes_are_kept(string escaped)
    {
        JsonValueRules.Check(Encoding.UTF8.GetBytes($$"""{"s":"{{escaped}}"}"""), 64).Should().BeNull();
    }

    [Fact]
    public void Names_are_well_formed_text_without_control_characters()
    {
        // Built in code: a lone surrogate in an attribute argument is already U+FFFD in the assembly's metadata.
        const char High = (char)0xD800, Low = (char)0xDC00;
        string[] valid = ["acme", "acme\uFFFD", "acme\U0001F600", "ACME é", $"x{High}{Low}"];
        string[] invalid = [$"acme{High}", $"acme{Low}", $"{Low}{High}", $"{High}{High}{Low}", "ac\0me", "acme\u0085", "acme\n"];

        valid.Should().OnlyContain(n => Names.IsWellFormed(n));
        invalid.Should().OnlyContain(n => !Names.IsWellFormed(n));
        invalid.Select(Names.Printable).Should().OnlyContain(n => Names.IsWellFormed(n));
    }

    [Fact]
    public void An_invalid_default_tenant_fails_at_start_up()
    {
        var builder = new EventLinkBuilder()
            .AddSchema(s => s.Merged("customer", t => t.Identity("email")))
            .Configure(o => o.DefaultTenant = "acme\ud800")
            .UseInMemoryStore();

        builder.Invoking(b => b.Build()).Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*DefaultTenant*lone surrogate*");
    }

    [Theory]
    [InlineData("""{"type":"track","event":"\ud800","userId":"u1","messageId":"m1","timestamp":"2026-01-01T00:00:00Z"}""")]
    [InlineData("""{"id":"evt_1","object":"event","type":"customer.created","created":1767225600,"data":{"object":{"id":"cus_1","object":"customer","email":"a\udc00@example.com","created":1767225600}}}""")]
    [InlineData("""{"event":"$pageview","distinct_id":"u\u0000","properties":"{not json","timestamp":"2026-01-01T00:00:00Z","uuid":"0190"}""")]
    public void Reading_a_delivery_with_values_no_store_keeps_never_throws(string json)
    {
        foreach (var preset in SourcePresets.All)
        {
            var result = preset.Read(json);
            result.Status.Should().NotBe(PresetReadStatus.Read, preset.Name);
            result.Message.Should().NotBeNullOrEmpty(preset.Name);
        }

        SourcePresets.Stripe.Read(new byte[] { 0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D }).Status.Should().Be(PresetReadStatus.Unrecognized);
        JsonDocument.Parse(json).Dispose(); // Well-formed JSON: only the values are the problem.
    }
}

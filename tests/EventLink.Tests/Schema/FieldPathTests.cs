using System.Text.Json;

namespace EventLink.Tests.Schema;

public sealed class FieldPathTests
{
    private static readonly JsonElement Payload = JsonElement.Parse("""
        {"id":"evt_1","data":{"object":{"customer_email":"a@b.co","lines":[{"price":{"id":"p_1"}},{"price":{"id":"p_2"}}],"none":null}}}
        """);

    [Theory]
    [InlineData("id", "evt_1")]
    [InlineData("$.id", "evt_1")]
    [InlineData("data.object.customer_email", "a@b.co")]
    [InlineData("data.object.lines[1].price.id", "p_2")]
    public void Selectors_find_nested_values(string selector, string expected)
    {
        FieldPath.Parse(selector).TrySelect(Payload, out var value).Should().BeTrue();
        value.GetString().Should().Be(expected);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("data.object.none")]
    [InlineData("data.object.lines[5].price")]
    [InlineData("id.deeper")]
    public void Missing_and_null_values_are_not_found(string selector) =>
        FieldPath.Parse(selector).TrySelect(Payload, out _).Should().BeFalse();

    [Theory]
    [InlineData("")]
    [InlineData("$")]
    [InlineData("a..b")]
    [InlineData("a[x]")]
    [InlineData("a[0]b")]
    public void Invalid_selectors_are_refused(string selector) =>
        FieldPath.TryParse(selector, out _, out var error).Should().BeFalse(error);
}

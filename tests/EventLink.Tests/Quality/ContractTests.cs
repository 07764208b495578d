using System.Text.Json;

namespace EventLink.Tests.Quality;

public sealed class ContractTests
{
    private static IReadOnlyList<ContractViolation> Check(string path, PropertyContractOptions rule, string json)
    {
        var contract = new ContractOptions { RecordType = "t" };
        contract.Properties[path] = rule;
        return contract.Validate(JsonElement.Parse(json));
    }

    [Theory]
    [InlineData(PropertyType.String, """{"v":"x"}""", """{"v":1}""")]
    [InlineData(PropertyType.Number, """{"v":1.5}""", """{"v":"1.5"}""")]
    [InlineData(PropertyType.Integer, """{"v":2}""", """{"v":2.5}""")]
    [InlineData(PropertyType.Boolean, """{"v":true}""", """{"v":"true"}""")]
    [InlineData(PropertyType.Timestamp, """{"v":"2026-06-01T12:00:00Z"}""", """{"v":"yesterday"}""")]
    [InlineData(PropertyType.Object, """{"v":{}}""", """{"v":[]}""")]
    [InlineData(PropertyType.Array, """{"v":[1]}""", """{"v":{}}""")]
    public void Each_type_accepts_its_values_and_flags_others(PropertyType type, string good, string bad)
    {
        Check("v", new PropertyContractOptions { Type = type }, good).Should().BeEmpty();
        Check("v", new PropertyContractOptions { Type = type }, bad).Should().ContainSingle().Which.Rule.Should().Be(ContractRule.Type);
    }

    [Fact]
    public void Required_enum_format_and_max_length_are_checked()
    {
        Check("a.b", new PropertyContractOptions { Required = true }, """{"a":{}}""").Should().ContainSingle(v => v.Rule == ContractRule.Required && v.Path == "a.b");
        Check("v", new PropertyContractOptions { Required = true }, """{"v":null}""").Should().ContainSingle(v => v.Rule == ContractRule.Required);
        Check("v", new PropertyContractOptions().OneOf("pro", "free"), """{"v":"Pro Plan"}""").Should().ContainSingle(v => v.Rule == ContractRule.Enum);
        Check("v", new PropertyContractOptions().WithFormat(StringFormat.Email), """{"v":"ada@example"}""").Should().ContainSingle(v => v.Rule == ContractRule.Format);
        Check("v", new PropertyContractOptions().WithFormat(StringFormat.Email), """{"v":"ada@example.com"}""").Should().BeEmpty();
        Check("v", new PropertyContractOptions().WithFormat(StringFormat.Iso8601), """{"v":"2026-06-01"}""").Should().BeEmpty();
        Check("v", new PropertyContractOptions().WithMaxLength(3), """{"v":"abcd"}""").Should().ContainSingle(v => v.Rule == ContractRule.MaxLength);
        Check("v", new PropertyContractOptions { AllowNull = false }, """{"v":null}""").Should().ContainSingle(v => v.Rule == ContractRule.Type);
        Check("v", new PropertyContractOptions(), """{}""").Should().BeEmpty("optional properties may be missing");
    }

    [Fact]
    public void A_json_schema_subset_becomes_a_contract()
    {
        var contract = ContractOptions.FromJsonSchema("charge", """
            {"type":"object","required":["id","amount"],"properties":{
              "id":{"type":"string","maxLength":10},
              "amount":{"type":"integer"},
              "email":{"type":["string","null"],"format":"email"},
              "plan":{"enum":["pro","free"]},
              "created":{"type":"string","format":"date-time"},
              "meta":{"type":"object","required":["source"],"properties":{"source":{"type":"string"}}}}}
            """, ContractPolicy.Reject);

        contract.Policy.Should().Be(ContractPolicy.Reject);
        contract.Properties.Keys.Should().BeEquivalentTo("id", "amount", "email", "plan", "created", "meta", "meta.source");
        contract.Properties["created"].Type.Should().Be(PropertyType.Timestamp);
        contract.Validate(JsonElement.Parse("""{"id":"ch_1","amount":5,"email":null,"plan":"pro","created":"2026-06-01T00:00:00Z","meta":{"source":"web"}}""")).Should().BeEmpty();
        contract.Validate(JsonElement.Parse("""{"id":"ch_1_far_too_long","amount":"5","email":"x","plan":"gold","meta":{}}"""))
            .Select(v => (v.Path, v.Rule)).Should().BeEquivalentTo(new[]
            {
                ("amount", ContractRule.Type), ("email", ContractRule.Format), ("id", ContractRule.MaxLength), ("meta.source", ContractRule.Required), ("plan", ContractRule.Enum),
            });
        FluentActions.Invoking(() => ContractOptions.FromJsonSchema("charge", """{"properties":{"x":{"type":"decimal"}}}""")).Should().Throw<FormatException>();
    }
}

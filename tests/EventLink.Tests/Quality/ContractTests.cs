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

    // The keywords the issue found silently ignored (a payload breaking each validated with 0 violations), each in the
    // shape JSON Schema 2020-12's validation vocabulary gives it; and a nested one, which must be found as well.
    [Theory]
    [InlineData("""{"properties":{"amount":{"type":"integer","minimum":0}}}""", "minimum", "'amount'")]
    [InlineData("""{"properties":{"id":{"type":"string","pattern":"^ch_"}}}""", "pattern", "'id'")]
    [InlineData("""{"properties":{"id":{"type":"string","minLength":3}}}""", "minLength", "'id'")]
    [InlineData("""{"properties":{"tags":{"type":"array","minItems":1}}}""", "minItems", "'tags'")]
    [InlineData("""{"properties":{"card":{"$ref":"#/$defs/card"}},"$defs":{"card":{"type":"object"}}}""", "$ref", "'card'")]
    [InlineData("""{"type":"object","additionalProperties":false,"properties":{"id":{"type":"string"}}}""", "additionalProperties", "The JSON Schema")]
    [InlineData("""{"properties":{"meta":{"type":"object","properties":{"n":{"type":"number","exclusiveMaximum":10}}}}}""", "exclusiveMaximum", "'meta.n'")]
    [InlineData("""{"properties":{"x":{"anyOf":[{"type":"string"},{"type":"number"}]}}}""", "anyOf", "'x'")]
    public void A_json_schema_keyword_contracts_do_not_enforce_is_refused_by_name(string schema, string keyword, string where)
    {
        var import = () => ContractOptions.FromJsonSchema("charge", schema);

        import.Should().Throw<FormatException>().Which.Message.Should().Contain($"{where}: JSON-Schema keyword '{keyword}' is not supported");
    }

    [Fact]
    public void Annotations_and_permissive_keywords_are_accepted_and_a_bare_required_name_is_enforced()
    {
        var contract = ContractOptions.FromJsonSchema("charge", """
            {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://example.com/charge","title":"Charge",
             "description":"A charge","type":"object","additionalProperties":true,"required":["id","currency"],
             "properties":{"id":{"type":"string","description":"The id","examples":["ch_1"],"default":"x"},"meta":{"required":["source"]}}}
            """);

        contract.Validate(JsonElement.Parse("""{"id":"ch_1","currency":"usd","meta":{"source":"web"}}""")).Should().BeEmpty();
        contract.Validate(JsonElement.Parse("""{"id":"ch_1","meta":{}}"""))
            .Select(v => (v.Path, v.Rule)).Should().BeEquivalentTo(new[] { ("currency", ContractRule.Required), ("meta.source", ContractRule.Required) });
    }
}

using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EventLink.Tests.Traits;

public sealed class TraitsValidationTests
{
    private static void Schema(SchemaBuilder schema) => schema
        .Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email", IdentityKinds.Email))
        .AppendOnly("charge", t => t.RecordId("id").OccurredAt("created").EventName("type").RelatesTo("email", "customer"));

    private static EventLinkBuilder Builder(Action<TraitsOptions> traits)
    {
        var builder = new EventLinkBuilder();
        builder.AddSchema(Schema).AddTraits(traits);
        return builder;
    }

    [Fact]
    public void Invalid_definitions_stop_start_up_with_one_message_each()
    {
        var builder = Builder(t =>
        {
            t.Traits.Add(new ComputedTraitOptions { Name = "ltv", Kind = TraitKind.Sum });
            t.Traits.Add(new ComputedTraitOptions { Name = "ltv" });
            t.Traits.Add(new ComputedTraitOptions { Name = "x", Filter = new() { RecordType = "refund" } });
            t.Traits.Add(new ComputedTraitOptions { Name = "y", Filter = new() { RecordType = "customer" } });
            t.Traits.Add(new ComputedTraitOptions { Name = "z", Window = TimeSpan.Zero });
            t.Audiences.Add(new AudienceOptions { Name = "a", Condition = AudienceConditionOptions.TraitIs("missing", ComparisonOperator.GreaterThan, "1") });
            t.Audiences.Add(new AudienceOptions { Name = "b", Condition = new AudienceConditionOptions { Trait = "ltv", Attribute = "plan", Value = "1" } });
            t.Audiences.Add(new AudienceOptions { Name = "c", Condition = new AudienceConditionOptions { Did = new(), NotFollowedBy = new() } });
            t.EventTriggers.Add(new EventTriggerOptions { Name = "" });
        });

        var errors = FluentActions.Invoking(builder.Build).Should().Throw<OptionsValidationException>().Which.Failures.ToList();
        errors.Should().Contain(e => e.Contains("'ltv'") && e.Contains("needs a Property"));
        errors.Should().Contain(e => e.Contains("another trait has this name"));
        errors.Should().Contain(e => e.Contains("'refund' is not in the schema"));
        errors.Should().Contain(e => e.Contains("'customer' is a merged record type"));
        errors.Should().Contain(e => e.Contains("Window must be positive"));
        errors.Should().Contain(e => e.Contains("Trait 'missing' is not a defined trait"));
        errors.Should().Contain(e => e.Contains("set exactly one of") && e.Contains("found 2"));
        errors.Should().Contain(e => e.Contains("NotFollowedBy needs Did and Within"));
        errors.Should().Contain(e => e.Contains("an event trigger needs a name"));
    }

    [Fact]
    public async Task Definitions_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Traits:0:Name"] = "ltv",
            ["Traits:0:Kind"] = "Sum",
            ["Traits:0:Property"] = "amount",
            ["Traits:0:Filter:RecordType"] = "charge",
            ["Traits:0:Filter:Where:0:Property"] = "type",
            ["Traits:0:Filter:Where:0:Value"] = "charge.succeeded",
            ["Traits:1:Name"] = "charges_7d",
            ["Traits:1:Filter:RecordType"] = "charge",
            ["Traits:1:Window"] = "7.00:00:00",
            ["Audiences:0:Name"] = "big",
            ["Audiences:0:Condition:Trait"] = "ltv",
            ["Audiences:0:Condition:Operator"] = "GreaterThan",
            ["Audiences:0:Condition:Value"] = "100",
            ["EventTriggers:0:Name"] = "charged",
            ["EventTriggers:0:Filter:RecordType"] = "charge",
        }).Build();
        var builder = new EventLinkBuilder();
        builder.AddSchema(Schema).BindTraits(configuration);
        await using var link = builder.Build();

        var customer = (await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"c1","email":"a@example.com","created":"2026-01-01T00:00:00Z"}"""))).ProfileId!.Value;
        await link.IngestAsync(new IngestRecord("stripe", "charge", $$"""{"id":"ch1","type":"charge.succeeded","amount":150,"email":"a@example.com","created":"{{DateTimeOffset.UtcNow.AddDays(-1):O}}"}"""));

        var computed = await link.GetComputedAsync(customer);
        computed!.GetTrait("ltv")!.AsDecimal().Should().Be(150m);
        computed.GetTrait("charges_7d")!.ValueJson.Should().Be("1");
        computed.IsIn("big").Should().BeTrue();
        var triggers = new List<TriggerNotification>();
        await foreach (var trigger in link.ReadTriggersAsync())
        {
            triggers.Add(trigger);
        }

        triggers.Select(t => (t.Kind, t.Name)).Should().BeEquivalentTo([(TriggerKind.EventMatched, "charged"), (TriggerKind.AudienceEntered, "big")]);
    }

    [Fact]
    public async Task Without_definitions_nothing_is_computed()
    {
        var builder = new EventLinkBuilder();
        builder.AddSchema(Schema);
        await using var link = builder.Build();
        var customer = (await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"c1","email":"a@example.com","created":"2026-01-01T00:00:00Z"}"""))).ProfileId!.Value;

        (await link.GetComputedAsync(customer))!.Traits.Should().BeEmpty();
        (await link.RefreshTraitsAsync()).Should().Be(new TraitsRefreshResult(0, 0));
    }
}

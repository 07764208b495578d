using System.Text.Json.Nodes;
using EventLink.Quality.Internal;

namespace EventLink.Tests.Quality;

public sealed class TransformationTests
{
    private static (string? FilteredBy, JsonObject Payload) Run(Action<TransformationBuilder> steps, string json, string source = "stripe")
    {
        var options = new DataQualityOptions().Transform("charge", steps);
        var pipeline = new TransformationPipeline();
        foreach (var step in options.Transformations)
        {
            pipeline.Add(step).Should().BeNull();
        }

        var payload = TransformationPipeline.Parse(System.Text.Encoding.UTF8.GetBytes(json))!;
        return (pipeline.Apply(source, payload), payload);
    }

    [Fact]
    public void Steps_rename_drop_set_compute_and_map_in_order()
    {
        var (filtered, payload) = Run(t => t
            .Rename("amt", "money.amount")
            .Drop("secret")
            .Set("currency", "\"usd\"")
            .Set("cents", p => p["money"]!["amount"]!.GetValue<int>() * 100)
            .MapValues("plan_type", new Dictionary<string, string> { ["Pro Plan"] = "pro", ["1"] = "free" })
            .Apply(p => { p["touched"] = true; return true; }),
            """{"amt":12,"secret":"x","plan_type":"Pro Plan"}""");

        filtered.Should().BeNull();
        payload.ToJsonString().Should().Be("""{"plan_type":"pro","money":{"amount":12},"currency":"usd","cents":1200,"touched":true}""");
    }

    [Fact]
    public void Filters_drop_records_by_value_presence_or_predicate()
    {
        Run(t => t.FilterWhen("livemode", "false"), """{"livemode":false}""").FilteredBy.Should().Contain("livemode");
        Run(t => t.FilterWhen("livemode", "false"), """{"livemode":true}""").FilteredBy.Should().BeNull();
        Run(t => t.FilterWhen("test"), """{"test":1}""").FilteredBy.Should().Contain("present");
        Run(t => t.Keep(p => p["email"] is not null), """{"id":1}""").FilteredBy.Should().NotBeNull();
    }

    [Fact]
    public void Steps_limited_to_a_source_skip_the_others()
    {
        var options = new DataQualityOptions().Transform("charge", t => t.Drop("x"), source: "stripe");
        var pipeline = new TransformationPipeline();
        pipeline.Add(options.Transformations[0]);
        pipeline.AppliesTo("stripe").Should().BeTrue();
        pipeline.AppliesTo("paddle").Should().BeFalse();
    }

    [Fact]
    public void Invalid_steps_are_reported_at_startup()
    {
        var builder = new EventLinkBuilder()
            .AddSchema(s => s.AppendOnly("charge", t => t.RelatesTo("email", "customer")).Merged("customer", t => t.Identity("email")))
            .AddDataQuality(q =>
            {
                q.Transformations.Add(new TransformationOptions { RecordType = "charge", Kind = TransformationKind.Set, Path = "x", Value = "not json" });
                q.AddContract("nope", _ => { });
            });
        FluentActions.Invoking(builder.Build).Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.Contains("not JSON text")).And.Contain(f => f.Contains("'nope' is not in the schema"));
    }
}

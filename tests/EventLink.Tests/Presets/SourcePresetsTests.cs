using EventLink.Presets;

namespace EventLink.Tests.Presets;

public sealed class SourcePresetsTests
{
    [Fact]
    public void Every_preset_together_makes_a_valid_schema()
    {
        var schema = new SchemaBuilder();
        foreach (var preset in SourcePresets.All)
        {
            preset.Apply(schema);
        }

        var built = schema.Build();
        built.RecordTypes.Keys.Should().HaveCount(SourcePresets.All.Sum(p => p.RecordTypes.Count));
    }

    [Theory]
    [InlineData("stripe", "Stripe")]
    [InlineData(" HubSpot ", "HubSpot")]
    [InlineData("posthog", "PostHog")]
    [InlineData("Segment", "Segment")]
    public void Presets_are_found_by_name(string name, string displayName)
    {
        SourcePresets.TryGet(name, out var preset).Should().BeTrue();
        preset!.DisplayName.Should().Be(displayName);
    }

    [Fact]
    public void Unknown_names_and_non_json_are_reported_not_thrown()
    {
        SourcePresets.TryGet("salesforce", out _).Should().BeFalse();
        foreach (var preset in SourcePresets.All)
        {
            preset.Read("{").Status.Should().Be(PresetReadStatus.Unrecognized);
            preset.Read("42").Status.Should().Be(PresetReadStatus.Unrecognized);
            preset.Read("[]").Status.Should().Be(PresetReadStatus.Ignored);
        }
    }
}

namespace EventLink.Tests.Quality;

public sealed class EventNameLinterTests
{
    [Theory]
    [InlineData("invitation_sent")]
    [InlineData("checklist_completed")]
    [InlineData("order_paid")]
    [InlineData("subscription_plan_upgraded")]
    public void Object_action_names_with_a_past_tense_verb_pass(string name) =>
        EventNameLinter.Default.Lint(name).Should().BeEmpty();

    [Theory]
    [InlineData("clicked", "vague")]
    [InlineData("clicked_stuff", "vague")]
    [InlineData("engaged", "vague")]
    [InlineData("event1", "numbered")]
    [InlineData("InvitationSent", "pattern")]
    [InlineData("invitation-sent", "pattern")]
    [InlineData("send_invitation", "past-tense")]
    public void Vague_numbered_or_malformed_names_are_flagged(string name, string rule) =>
        EventNameLinter.Default.Lint(name).Should().Contain(i => i.Rule == rule);

    [Fact]
    public void An_event_dictionary_is_checked_in_one_call()
    {
        var issues = EventNameLinter.Default.Lint(["invitation_sent", "clicked", "invitation_sent", "event1"]);
        issues.Select(i => i.Name).Distinct().Should().Equal("clicked", "event1");
    }

    [Fact]
    public void A_custom_convention_replaces_the_default()
    {
        var linter = new EventNameLinter(new TaxonomyConvention { Pattern = "^[A-Z][A-Za-z]+ [A-Z][A-Za-z]+$", RequirePastTenseVerb = true });
        linter.IsValid("Invitation Sent").Should().BeTrue();
        linter.IsValid("invitation_sent").Should().BeFalse();
    }
}

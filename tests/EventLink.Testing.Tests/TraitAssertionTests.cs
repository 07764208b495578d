using EventLink.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Testing.Tests;

public sealed class TraitAssertionTests
{
    private static EventLinkTestHost Host() => EventLinkTestHost.Create(services => services.AddEventLink(el => el
        .AddSchema(s => s
            .Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email"))
            .AppendOnly("charge", t => t.RecordId("id").OccurredAt("created").RelatesTo("customer_email", "customer")))
        .AddTraits(t =>
        {
            t.Traits.Add(new ComputedTraitOptions { Name = "lifetime_value", Kind = TraitKind.Sum, Property = "amount", Filter = new() { RecordType = "charge" } });
            t.Audiences.Add(new AudienceOptions { Name = "payers", Condition = AudienceConditionOptions.TraitIs("lifetime_value", ComparisonOperator.GreaterThan, "0") });
        })));

    [Fact]
    public async Task Traits_and_audiences_are_asserted_in_one_line_and_explained_when_wrong()
    {
        await using var host = Host();
        await host.IngestAsync("stripe", "customer", """{"id":"cus_1","created":1767225600,"email":"ada@example.com"}""");
        await host.IngestAsync("stripe", "charge", """{"id":"ch_1","created":1767225601,"customer_email":"ada@example.com","amount":4900}""");
        await host.IngestAsync("stripe", "charge", """{"id":"ch_2","created":1767225602,"customer_email":"ada@example.com","amount":9900}""");

        await host.TraitShouldBeAsync(IdentityKinds.Email, "ada@example.com", "lifetime_value", "14800");
        await host.AudienceShouldContainAsync(IdentityKinds.Email, "ada@example.com", "payers");

        var wrong = () => host.TraitShouldBeAsync(IdentityKinds.Email, "ada@example.com", "lifetime_value", "100");
        (await wrong.Should().ThrowAsync<EventLinkAssertionException>()).Which.Message
            .Should().StartWith("Expected trait 'lifetime_value' of email 'ada@example.com' to be 100, but it is 14800 (")
            .And.Contain("  lifetime_value = 14800  (");
        var notMember = () => host.AudienceShouldContainAsync(IdentityKinds.Email, "ada@example.com", "payers", member: false);
        (await notMember.Should().ThrowAsync<EventLinkAssertionException>()).Which.Message
            .Should().Be("Expected email 'ada@example.com' not to be in audience 'payers', but it is in it. Its audiences: payers.");
    }
}

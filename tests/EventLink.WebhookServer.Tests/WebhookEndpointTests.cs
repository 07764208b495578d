using System.Net;

namespace EventLink.WebhookServer.Tests;

public sealed class WebhookEndpointTests(WebhookServerProcess server) : IClassFixture<WebhookServerProcess>
{
    private static readonly string Charge = WebhookServerProcess.Lines("stripe")[3];

    [Fact]
    public async Task A_correctly_signed_Stripe_event_is_stored()
    {
        var response = await server.PostAsync("stripe", WebhookServerProcess.Lines("stripe")[0]);

        response.StatusCode.Should().Be(HttpStatusCode.OK, server.Log);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"outcome\":\"Created\"");
    }

    [Theory]
    [InlineData("t=1772400000,v1=00")]
    [InlineData("v1=abcdef")]
    [InlineData("garbage")]
    public async Task Bad_Stripe_signatures_are_rejected_with_400(string header)
    {
        var response = await server.PostAsync("stripe", Charge, stripeSignature: header);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_missing_a_wrong_key_or_a_stale_timestamp_is_rejected_and_nothing_is_stored()
    {
        (await server.PostAsync("stripe", Charge, sign: false)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await server.PostAsync("stripe", Charge, WebhookServerProcess.Sign(Charge, DateTimeOffset.UtcNow, "whsec_someone_else"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await server.PostAsync("stripe", Charge, WebhookServerProcess.Sign(Charge, DateTimeOffset.UtcNow.AddMinutes(-10)))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var tampered = Charge.Replace("4900", "1", StringComparison.Ordinal);
        (await server.PostAsync("stripe", tampered, WebhookServerProcess.Sign(Charge, DateTimeOffset.UtcNow))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var page = await server.Http.GetStringAsync(new Uri(server.BaseAddress, "?email=nobody@example.com"));
        page.Should().NotContain("data-record-type=\"stripe_charge\"", "no refused charge was stored");
    }

    [Fact]
    public async Task Unknown_sources_are_404_foreign_shapes_400_and_events_the_preset_ignores_202()
    {
        (await server.PostAsync("salesforce", "{}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await server.PostAsync("segment", "{}")).StatusCode.Should().Be(HttpStatusCode.BadRequest, "Segment is a preset now; {} is no message");
        (await server.PostAsync("segment", WebhookServerProcess.Lines("segment")[1])).StatusCode.Should().Be(HttpStatusCode.OK);
        (await server.PostAsync("zendesk", """{"id":1,"name":"not Zendesk's"}""")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await server.PostAsync("zendesk", """{"ticket":{"id":1}}""")).StatusCode.Should().Be(HttpStatusCode.Accepted, "an API ticket without times is Zendesk's, ignored with a reason");
        (await server.PostAsync("intercom", "not json")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await server.PostAsync("intercom", WebhookServerProcess.Lines("intercom")[3])).StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task The_profile_page_encodes_what_it_shows()
    {
        var page = await server.Http.GetStringAsync(new Uri(server.BaseAddress, "?email=%3Cscript%3Ealert(1)%3C/script%3E"));

        page.Should().NotContain("<script>").And.Contain("&lt;script&gt;");
    }
}

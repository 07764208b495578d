using System.Net;
using Microsoft.AspNetCore.Builder;

namespace EventLink.AspNetCore.Tests.Explorer;

public sealed class ExplorerAuthorizationTests
{
    [Fact]
    public async Task Mapping_the_explorer_without_a_policy_fails_at_start_up_outside_Development()
    {
        var start = () => CollectorHost.StartAsync(null, app => app.MapEventLinkExplorer("/eventlink"), environment: "Production");

        (await start.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*authorization policy*");
    }

    [Fact]
    public async Task Development_may_map_it_without_a_policy()
    {
        await using var host = await CollectorHost.StartAsync(null, app => app.MapEventLinkExplorer("/eventlink"), environment: "Development");

        (await host.Http.GetAsync("eventlink/")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("eventlink/")]
    [InlineData("eventlink/?q=ada@example.com")]
    [InlineData("eventlink/profiles/2f1b7c8e-4d6a-4b1e-9c3f-8a7d6e5f4c3b")]
    [InlineData("eventlink/quarantine")]
    [InlineData("eventlink/coverage")]
    [InlineData("eventlink/drift")]
    public async Task Anonymous_users_are_refused_and_users_without_the_policy_forbidden(string path)
    {
        await using var host = await CollectorHost.StartAsync(
            TestAuthentication.AddTo,
            app => app.MapEventLinkExplorer("/eventlink", o => o.AuthorizationPolicy = TestAuthentication.SupportPolicy));

        (await host.Http.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        using var outsider = new HttpRequestMessage(HttpMethod.Get, path);
        outsider.Headers.Add("X-Test-User", "mallory:sales");
        (await host.Http.SendAsync(outsider)).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        using var agent = new HttpRequestMessage(HttpMethod.Get, path);
        agent.Headers.Add("X-Test-User", "grace:support");
        var allowed = await host.Http.SendAsync(agent);
        allowed.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.NotFound], "the support role may see every page (an unknown profile id is 404)");
    }

    [Fact]
    public async Task What_the_explorer_shows_is_encoded()
    {
        await using var host = await CollectorHost.StartAsync(null, app => app.MapEventLinkExplorer("/eventlink"), environment: "Development");

        var page = await host.Http.GetStringAsync("eventlink/?q=%3Cscript%3Ealert(1)%3C/script%3E");

        page.Should().NotContain("<script>").And.Contain("&lt;script&gt;");
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace EventLink.WebhookServer.Tests;

/// <summary>
/// End to end: webhooks of five tools posted to the running server, then the profile page loaded in headless Chromium:
/// the rendered attributes (with the source that won each) and the cross-tool timeline in order, plus a screenshot.
/// </summary>
public sealed partial class ProfilePageBrowserTests(WebhookServerProcess server, ITestOutputHelper output) : IClassFixture<WebhookServerProcess>
{
    private static readonly string[] ExpectedTimeline =
    [
        "stripe customer.subscription.created", "hubspot deal stage → appointmentscheduled", "stripe charge.succeeded", "stripe invoice.paid",
        "posthog $pageview", "posthog $identify", "posthog report exported", "hubspot deal stage → contractsent", "posthog $pageview",
        "intercom conversation.user.created", "intercom conversation.admin.closed", "zendesk zen:event-type:ticket.created",
        "hubspot deal stage → closedwon", "stripe charge.refunded", "zendesk zen:event-type:ticket.status_changed",
    ];

    [BrowserFact]
    public async Task The_profile_page_shows_attributes_with_their_source_and_the_cross_tool_timeline_in_order()
    {
        Chromium.IsInstalled.Should().BeTrue($"{Chromium.Path} is required here (CI=true or EVENTLINK_REQUIRE_BROWSER=1); .ci/run installs it");
        foreach (var source in new[] { "zendesk", "intercom", "stripe", "posthog", "hubspot" })
        {
            foreach (var body in WebhookServerProcess.Lines(source))
            {
                var response = await server.PostAsync(source, body);
                response.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.Accepted], $"{source}: {await response.Content.ReadAsStringAsync()}\n{server.Log}");
            }
        }

        var url = new Uri(server.BaseAddress, "?email=ada@example.com");
        var dom = await Chromium.DumpDomAsync(url);

        var attributes = AttributeRow().Matches(dom).ToDictionary(m => Decode(m.Groups["name"].Value), m => (Value: Decode(m.Groups["value"].Value), Source: Decode(m.Groups["source"].Value)));
        attributes["name"].Should().Be(("Ada King", "stripe"), "Stripe's customer.updated of March 9 is the newest name");
        attributes["hubspot_lifecycle_stage"].Should().Be(("customer", "hubspot"));
        attributes["zendesk_role"].Should().Be(("end-user", "zendesk"));
        attributes["intercom_role"].Source.Should().Be("intercom");

        var timeline = TimelineItem().Matches(dom).Select(m => (Entry: $"{Decode(m.Groups["source"].Value)} {Decode(m.Groups["event"].Value)}", At: DateTimeOffset.Parse(m.Groups["at"].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        timeline.Select(t => t.Entry).Should().Equal(ExpectedTimeline);
        timeline.Select(t => t.At).Should().BeInAscendingOrder();
        dom.Should().Contain("id=\"coverage\"").And.Contain("data-record-type=\"zendesk_ticket\"");

        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", "profile-page.png");
        await Chromium.ScreenshotAsync(url, screenshot);
        var bytes = await File.ReadAllBytesAsync(screenshot);
        bytes.Should().HaveCountGreaterThan(10_000).And.StartWith(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        output.WriteLine($"screenshot: {screenshot}");
    }

    private static string Decode(string html) => WebUtility.HtmlDecode(html);

    [GeneratedRegex("""<tr data-attribute="(?<name>[^"]*)" data-source="(?<source>[^"]*)"><td>[^<]*</td><td class="value">(?<value>[^<]*)</td>""")]
    private static partial Regex AttributeRow();

    [GeneratedRegex("""<li data-source="(?<source>[^"]*)" data-event="(?<event>[^"]*)" data-occurred-at="(?<at>[^"]*)">""")]
    private static partial Regex TimelineItem();
}

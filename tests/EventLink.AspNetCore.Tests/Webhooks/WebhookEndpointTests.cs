using System.Net;
using System.Text;
using EventLink.AspNetCore.Webhooks;
using EventLink.Presets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EventLink.AspNetCore.Tests.Webhooks;

public sealed class WebhookEndpointTests
{
    public static TheoryData<string> Tools => [.. ToolSigner.Tools];

    private static Task<CollectorHost> StartAsync(Action<EventLinkWebhookOptions>? more = null) => CollectorHost.StartAsync(
        b => b.Services.AddEventLinkWebhooks(o =>
        {
            ToolSigner.Configure(o);
            more?.Invoke(o);
        }),
        app => app.MapEventLinkWebhooks("/webhooks"));

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task Each_tool_refuses_unsigned_wrong_secret_stale_future_and_malformed_deliveries_then_stores_a_valid_one(string tool)
    {
        await using var host = await StartAsync();
        var body = ToolSigner.ValidBody(tool);
        var now = DateTimeOffset.UtcNow;

        await Expect(host, ToolSigner.Request(host.BaseAddress, tool, body, secret: null, now), HttpStatusCode.Unauthorized, "unsigned");
        await Expect(host, ToolSigner.Request(host.BaseAddress, tool, body, "someone-elses-secret", now), HttpStatusCode.Unauthorized, "wrong secret");
        if (ToolSigner.Timestamped.Contains(tool))
        {
            await Expect(host, ToolSigner.Request(host.BaseAddress, tool, body, ToolSigner.SecretOf(tool), now.AddMinutes(-10)), HttpStatusCode.Unauthorized, "stale");
            await Expect(host, ToolSigner.Request(host.BaseAddress, tool, body, ToolSigner.SecretOf(tool), now.AddMinutes(10)), HttpStatusCode.Unauthorized, "future");
        }

        foreach (var (header, value, expected) in ToolSigner.MalformedHeaders(tool))
        {
            var request = ToolSigner.Request(host.BaseAddress, tool, body, ToolSigner.SecretOf(tool), now);
            request.Headers.Remove(header);
            request.Headers.TryAddWithoutValidation(header, value);
            await Expect(host, request, (HttpStatusCode)expected, $"{header}: {value}");
        }

        // A signature over another body (the delivery was tampered with) is wrong too.
        if (tool is not ("mailchimp" or "segment" or "posthog"))
        {
            var tampered = ToolSigner.Request(host.BaseAddress, tool, body, ToolSigner.SecretOf(tool), now);
            tampered.Content = new StringContent(body + " ", Encoding.UTF8, "application/json");
            await Expect(host, tampered, HttpStatusCode.Unauthorized, "tampered body");
        }

        (await StoredCount(host, tool)).Should().Be(0, "no refused delivery was stored");

        var valid = await host.Http.SendAsync(ToolSigner.Request(host.BaseAddress, tool, body, ToolSigner.SecretOf(tool), now));
        var answer = await valid.Content.ReadAsStringAsync();
        valid.StatusCode.Should().Be(HttpStatusCode.OK, answer);
        answer.Should().Contain("\"status\":\"stored\"");
        (await StoredCount(host, tool)).Should().BeGreaterThan(0, "the valid delivery was stored");

        // The tool's retry of the same delivery is a duplicate, acknowledged with 2xx so the tool stops retrying.
        var again = await host.Http.SendAsync(ToolSigner.Request(host.BaseAddress, tool, body, ToolSigner.SecretOf(tool), now));
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        (await again.Content.ReadAsStringAsync()).Should().Contain("\"outcome\":\"Duplicate\"");
    }

    [Fact]
    public async Task Zendesk_signatures_verify_against_Zendesks_own_worked_example()
    {
        // developer.zendesk.com/documentation/event-connectors/webhooks/verifying: secret, body, timestamp and the signature Zendesk gives for them.
        var options = new TimestampedSecret { Secret = "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=" };
        var at = DateTimeOffset.Parse("2021-07-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var body = """{"say": "hello"}"""u8;

        WebhookSignatures.VerifyZendesk("tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=", "2021-07-25T10:00:00Z", body, options, at).IsValid.Should().BeTrue();
        WebhookSignatures.VerifyZendesk("tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=", "2021-07-25T10:00:00Z", """{"say": "hullo"}"""u8, options, at).IsValid.Should().BeFalse();
        WebhookSignatures.VerifyZendesk("tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=", "2021-07-25T10:00:00Z", body, options, at.AddMinutes(6)).StatusCode.Should().Be(401);
    }

    [Fact]
    public async Task HubSpot_decodes_the_characters_its_docs_list_before_signing()
    {
        WebhookSignatures.DecodeHubSpotUri("https://example.com/webhooks/hubspot?a=%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B&b=%20")
            .Should().Be("https://example.com/webhooks/hubspot?a=:/?@!$'()*,;&b=%20");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_source_without_a_secret_is_not_mapped_and_the_preset_answers_202_for_what_it_ignores_and_400_for_what_is_not_its()
    {
        await using var host = await CollectorHost.StartAsync(
            b => b.Services.AddEventLinkWebhooks(o => o.Intercom.Secret = ToolSigner.IntercomSecret),
            app => app.MapEventLinkWebhooks());

        (await host.Http.SendAsync(ToolSigner.Request(host.BaseAddress, "stripe", ToolSigner.ValidBody("stripe"), ToolSigner.StripeSecret, DateTimeOffset.UtcNow)))
            .StatusCode.Should().Be(HttpStatusCode.NotFound, "Stripe has no secret here, so no endpoint");
        var ignored = await host.Http.SendAsync(ToolSigner.Request(host.BaseAddress, "intercom", CollectorHost.Lines("intercom")[3], ToolSigner.IntercomSecret, DateTimeOffset.UtcNow));
        ignored.StatusCode.Should().Be(HttpStatusCode.Accepted, await ignored.Content.ReadAsStringAsync());
        var foreign = await host.Http.SendAsync(ToolSigner.Request(host.BaseAddress, "intercom", "not json", ToolSigner.IntercomSecret, DateTimeOffset.UtcNow));
        foreign.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        foreign.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task A_store_that_fails_is_503_so_the_tool_retries_and_nothing_a_sender_controls_is()
    {
        await using var postgres = CuttablePostgreSql.TryStart();
        if (postgres is null)
        {
            return;
        }

        await using var host = await CollectorHost.StartAsync(
            b => b.Services.AddEventLinkWebhooks(ToolSigner.Configure),
            app => app.MapEventLinkWebhooks(),
            store: el => el.UsePostgreSql(postgres.ConnectionString, o => o.Schema = postgres.Schema));
        postgres.Cut();

        var response = await host.Http.SendAsync(ToolSigner.Request(host.BaseAddress, "stripe", ToolSigner.ValidBody("stripe"), ToolSigner.StripeSecret, DateTimeOffset.UtcNow));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    private static async Task Expect(CollectorHost host, HttpRequestMessage request, HttpStatusCode expected, string because)
    {
        using (request)
        {
            var response = await host.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(expected, $"{because}: {text}");
            response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", because);
        }
    }

    private static async Task<long> StoredCount(CollectorHost host, string tool)
    {
        SourcePresets.TryGet(tool, out var preset).Should().BeTrue();
        var coverage = await host.Link.GetCoverageAsync();
        return coverage.RecordTypes.Where(c => preset!.RecordTypes.Contains(c.RecordType)).Sum(c => c.Total);
    }
}

using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EventLink.AspNetCore.Tests.Webhooks;

public sealed class HostileInputTests
{
    private static readonly byte[][] Bodies =
    [
        [],
        "null"u8.ToArray(),
        "[]"u8.ToArray(),
        "{}"u8.ToArray(),
        "\"a string\""u8.ToArray(),
        "{\"id\":"u8.ToArray(),
        [0xFF, 0xFE, 0x00, 0x7B, 0xC3, 0x28],
        Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)),
        Encoding.UTF8.GetBytes("{\"id\":1e999999,\"created\":-99999999999999999999,\"type\":{},\"data\":{\"object\":[]}}"),
        Encoding.UTF8.GetBytes("{\"event\":{\"uuid\":null,\"timestamp\":\"not a time\",\"distinct_id\":[1]},\"api_key\":\"" + ToolSigner.PostHogKey + "\"}"),
        Encoding.UTF8.GetBytes("{\"type\":\"track\",\"messageId\":\"" + new string('x', 100_000) + "\",\"timestamp\":\"9999-99-99\"}"),
        Encoding.UTF8.GetBytes("type=subscribe&data[email]=&fired_at=%%%&data[merges][FNAME]=%ZZ"),
        Encoding.UTF8.GetBytes("{\"results\":[{\"id\":null,\"properties\":{\"email\":{\"nested\":true},\"lastmodifieddate\":12}}]}"),
        Encoding.UTF8.GetBytes("{\"type\":\"notification_event\",\"data\":{\"item\":\"x\"},\"topic\":7}"),
        Encoding.UTF8.GetBytes("{\"detail\":{\"id\":{}},\"event\":[],\"type\":\"zen:event-type:user.created\",\"id\":\"1\"}"),
    ];

    [Fact]
    public async Task No_body_or_header_a_sender_controls_gets_a_500()
    {
        await using var host = await CollectorHost.StartAsync(
            b => b.Services.AddEventLinkWebhooks(o =>
            {
                ToolSigner.Configure(o);
                o.MaxBodyBytes = 256 * 1024;
            }),
            app => app.MapEventLinkWebhooks());

        var statuses = new List<string>();
        foreach (var tool in ToolSigner.Tools)
        {
            foreach (var body in Bodies)
            {
                // Each body signed correctly (so it reaches the preset and the store), then with each malformed header.
                var text = Encoding.Latin1.GetString(body);
                var requests = new List<HttpRequestMessage> { Signed(host, tool, body) };
                foreach (var (header, value, _) in ToolSigner.MalformedHeaders(tool))
                {
                    var request = Signed(host, tool, body);
                    request.Headers.Remove(header);
                    request.Headers.TryAddWithoutValidation(header, value);
                    requests.Add(request);
                }

                foreach (var request in requests)
                {
                    using (request)
                    {
                        var response = await host.Http.SendAsync(request);
                        statuses.Add($"{tool} {(int)response.StatusCode} {text[..Math.Min(text.Length, 40)]}");
                        ((int)response.StatusCode).Should().BeLessThan(500, $"{tool} with {text[..Math.Min(text.Length, 80)]}: {await response.Content.ReadAsStringAsync()}");
                    }
                }
            }
        }

        statuses.Should().HaveCountGreaterThan(100);
    }

    private static HttpRequestMessage Signed(CollectorHost host, string tool, byte[] body) =>
        ToolSigner.Request(host.BaseAddress, tool, body, ToolSigner.SecretOf(tool), DateTimeOffset.UtcNow);
}

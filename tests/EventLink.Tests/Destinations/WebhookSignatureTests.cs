using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace EventLink.Tests.Destinations;

/// <summary>
/// Outgoing webhooks are signed as Standard Webhooks specifies (spec/standard-webhooks.md: "{msg_id}.{timestamp}.{payload}",
/// <c>v1,</c> + base64 HMAC-SHA256, five minutes of tolerance in its libraries). The signature function is pinned to
/// the scheme's reference test vector (libraries/csharp/StandardWebhooks.Tests/WebhookTest.cs, verifyWebhookSignWorks);
/// a receiver here checks a captured delivery as that library's <c>Verify</c> does.
/// </summary>
public sealed class WebhookSignatureTests
{
    // A Standard Webhooks secret: "whsec_" and the base64 of the key, the form its libraries take.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Fact]
    public void The_signature_matches_the_reference_test_vector() =>
        HttpWebhookDestination.Sign(Secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", DateTimeOffset.FromUnixTimeSeconds(1614265330), "{\"test\": 2432232314}")
            .Should().Be("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");

    [Fact]
    public async Task A_delivery_verifies_and_a_tampered_or_restamped_copy_does_not()
    {
        var handler = new CapturingHandler();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var destination = new HttpWebhookDestination(new HttpClient(handler), Options(), clock);

        (await destination.DeliverAsync(Message("sync:event:stripe:ch_1.v2"))).Should().Be(DeliveryResult.Success);

        var delivery = handler.Requests.Single();
        Verify(delivery.Body, delivery.Headers, clock.GetUtcNow()).Should().BeNull();
        delivery.Headers["webhook-id"].Should().Be(HttpWebhookDestination.WebhookId("sync:event:stripe:ch_1.v2")).And.StartWith("msg_").And.NotContain(".");
        delivery.Headers["webhook-timestamp"].Should().Be(clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        delivery.Headers["Idempotency-Key"].Should().Be("sync:event:stripe:ch_1.v2");

        // Someone who captured it can change neither the body nor the signed timestamp.
        Verify(delivery.Body.Replace("4900", "1", StringComparison.Ordinal), delivery.Headers, clock.GetUtcNow()).Should().Be("no valid signature");
        var restamped = new WebHeaderCollection { delivery.Headers };
        restamped.Set("webhook-timestamp", (clock.GetUtcNow().ToUnixTimeSeconds() + 600).ToString(CultureInfo.InvariantCulture));
        Verify(delivery.Body, restamped, clock.GetUtcNow().AddMinutes(10)).Should().Be("no valid signature");
    }

    [Fact]
    public async Task A_captured_delivery_replayed_ten_minutes_later_is_detectable_while_the_retry_is_fresh()
    {
        var handler = new CapturingHandler();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var destination = new HttpWebhookDestination(new HttpClient(handler), Options(), clock);

        await destination.DeliverAsync(Message("sync:event:stripe:ch_1"));
        clock.Advance(TimeSpan.FromMinutes(10));
        await destination.DeliverAsync(Message("sync:event:stripe:ch_1"));

        var (captured, retried) = (handler.Requests[0], handler.Requests[1]);
        Verify(captured.Body, captured.Headers, clock.GetUtcNow()).Should().Be("timestamp too old");
        Verify(retried.Body, retried.Headers, clock.GetUtcNow()).Should().BeNull();
        retried.Headers["webhook-id"].Should().Be(captured.Headers["webhook-id"], "every attempt of a message carries one id, for the receiver's replay cache");
        retried.Headers["webhook-signature"].Should().NotBe(captured.Headers["webhook-signature"], "every attempt signs its own time");
    }

    [Fact]
    public async Task Without_a_secret_nothing_is_signed_and_a_bad_whsec_secret_is_refused()
    {
        var handler = new CapturingHandler();
        var options = Options();
        options.SigningSecret = null;
        await new HttpWebhookDestination(new HttpClient(handler), options).DeliverAsync(Message("k"));

        handler.Requests.Single().Headers["webhook-signature"].Should().BeNull();
        options.SigningSecret = "whsec_not base64!";
        FluentActions.Invoking(() => new HttpWebhookDestination(new HttpClient(handler), options)).Should().Throw<ArgumentException>().WithMessage("*base64*");
    }

    /// <summary>A receiver, as the Standard Webhooks reference library verifies: signature among the header's, then the timestamp's age.</summary>
    private static string? Verify(string body, WebHeaderCollection headers, DateTimeOffset now)
    {
        var (id, timestamp, signatures) = (headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"]);
        if (id is null || timestamp is null || signatures is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "missing headers";
        }

        var expected = HttpWebhookDestination.Sign(Secret, id, DateTimeOffset.FromUnixTimeSeconds(seconds), body);
        if (!signatures.Split(' ').Any(s => System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(s), System.Text.Encoding.ASCII.GetBytes(expected))))
        {
            return "no valid signature";
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(seconds);
        return age > Tolerance ? "timestamp too old" : age < -Tolerance ? "timestamp too new" : null;
    }

    private static HttpWebhookDestinationOptions Options() => new() { Url = new Uri("https://hooks.example.com/eventlink"), SigningSecret = Secret };

    private static DestinationMessage Message(string key) =>
        new(key, "sync", "default", DestinationMessageKind.Event, Guid.Empty, """{"type":"event","event":{"data":{"amount":4900}}}""");

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<(string Body, WebHeaderCollection Headers)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = new WebHeaderCollection();
            foreach (var (name, values) in request.Headers)
            {
                headers.Set(name, string.Join(",", values));
            }

            Requests.Add((await request.Content!.ReadAsStringAsync(cancellationToken), headers));
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}

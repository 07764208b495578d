using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using EventLink.AspNetCore.Webhooks;

namespace EventLink.AspNetCore.Tests.Webhooks;

/// <summary>
/// Signs a delivery as each tool does, from the vendors' documents (provenance per tool below), so the tests send what
/// the tool would send: a right or wrong secret, a given time, or a header that cannot be read.
/// </summary>
public static class ToolSigner
{
    public const string StripeSecret = "whsec_test_5f1e0c3b9a7d4e2f8a6b";
    public const string HubSpotSecret = "3c7e1a55-8d2b-4f0e-9a61-2b7c0d9e4f18";
    public const string IntercomSecret = "ic_client_secret_7a1d";

    // The signing secret of Zendesk's own Express verification example (developer.zendesk.com/documentation/webhooks/verifying).
    public const string ZendeskSecret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";
    public const string MailchimpSecret = "mc-url-secret-91b2";
    public const string SegmentWriteKey = "seg_wk_3b1f9e";
    public const string PostHogKey = "phc_test_4d2c8a";

    public static readonly string[] Tools = ["stripe", "hubspot", "intercom", "zendesk", "mailchimp", "segment", "posthog"];

    /// <summary>Tools whose signatures carry a time: they refuse stale and future deliveries.</summary>
    public static readonly string[] Timestamped = ["stripe", "hubspot", "zendesk"];

    // Mailchimp's list webhook, form-encoded, as its "Sync audience data with webhooks" guide shows a subscribe event
    // (mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks).
    public const string MailchimpSubscribe =
        "type=subscribe&fired_at=2009-03-26+21%3A35%3A57&data%5Bid%5D=8a25ff1d98&data%5Blist_id%5D=a6b5da1054&data%5Bemail%5D=api%40mailchimp.com"
        + "&data%5Bemail_type%5D=html&data%5Bmerges%5D%5BEMAIL%5D=api%40mailchimp.com&data%5Bmerges%5D%5BFNAME%5D=Mailchimp&data%5Bmerges%5D%5BLNAME%5D=API"
        + "&data%5Bip_opt%5D=10.20.10.30&data%5Bip_signup%5D=10.20.10.30";

    public static void Configure(EventLinkWebhookOptions o)
    {
        o.Stripe.Secret = StripeSecret;
        o.HubSpot.Secret = HubSpotSecret;
        o.Intercom.Secret = IntercomSecret;
        o.Zendesk.Secret = ZendeskSecret;
        o.Mailchimp.Secret = MailchimpSecret;
        o.SegmentWriteKeys.Add(SegmentWriteKey);
        o.PostHogApiKeys.Add(PostHogKey);
    }

    /// <summary>A delivery of the tool that stores a record (from tests/Fixtures/presets, whose lines name their vendor sources).</summary>
    public static string ValidBody(string tool) => tool switch
    {
        "mailchimp" => MailchimpSubscribe,
        _ => CollectorHost.Lines(tool)[0],
    };

    public static string SecretOf(string tool) => tool switch
    {
        "stripe" => StripeSecret,
        "hubspot" => HubSpotSecret,
        "intercom" => IntercomSecret,
        "zendesk" => ZendeskSecret,
        "mailchimp" => MailchimpSecret,
        "segment" => SegmentWriteKey,
        _ => PostHogKey,
    };

    /// <summary>Builds a signed request; <paramref name="secret"/> null leaves it unsigned.</summary>
    public static HttpRequestMessage Request(Uri baseAddress, string tool, string body, string? secret, DateTimeOffset at) =>
        Request(baseAddress, tool, Encoding.UTF8.GetBytes(body), secret, at);

    /// <summary>Builds a request carrying exactly these bytes, signed over them; <paramref name="secret"/> null leaves it unsigned.</summary>
    public static HttpRequestMessage Request(Uri baseAddress, string tool, byte[] bytes, string? secret, DateTimeOffset at)
    {
        var url = new Uri(baseAddress, $"webhooks/{tool}" + (tool == "mailchimp" && secret is not null ? "?secret=" + Uri.EscapeDataString(secret) : string.Empty));
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(bytes),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(tool == "mailchimp" ? "application/x-www-form-urlencoded" : "application/json");
        if (secret is null)
        {
            return request;
        }

        switch (tool)
        {
            case "stripe":
                // docs.stripe.com/webhooks#verify-manually: t=<unix seconds>,v1=hex(HMAC-SHA256(secret, "{t}.{body}")).
                var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                Set(request, "Stripe-Signature", $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes(t + "."), .. bytes]))}");
                break;
            case "hubspot":
                // developers.hubspot.com validating-requests (v3): base64(HMAC-SHA256(secret, method + uri + body + timestamp ms)).
                var ms = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                Set(request, "X-HubSpot-Request-Timestamp", ms);
                Set(request, "X-HubSpot-Signature-v3", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes("POST" + url.AbsoluteUri), .. bytes, .. Encoding.UTF8.GetBytes(ms)])));
                break;
            case "intercom":
                // developers.intercom.com "Signed notifications": X-Hub-Signature: sha1=hex(HMAC-SHA1(client secret, body)).
                Set(request, "X-Hub-Signature", "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), bytes)));
                break;
            case "zendesk":
                // developer.zendesk.com/documentation/webhooks/verifying: base64(HMAC-SHA256(secret, timestamp + body)).
                var stamp = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                Set(request, "X-Zendesk-Webhook-Signature-Timestamp", stamp);
                Set(request, "X-Zendesk-Webhook-Signature", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes(stamp), .. bytes])));
                break;
            case "segment":
                // segment.com/docs/connections/sources/catalog/libraries/server/http-api: Basic auth, the write key as user name, no password.
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(secret + ":")));
                break;
            case "posthog":
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
                break;
        }

        return request;
    }

    /// <summary>Headers that cannot be read as the tool's signature (each must get 400 or 401, never 500).</summary>
    public static IEnumerable<(string Header, string Value, int Expected)> MalformedHeaders(string tool) => tool switch
    {
        "stripe" =>
        [
            ("Stripe-Signature", "garbage", 400),
            ("Stripe-Signature", "t=abc,v1=00", 400),
            ("Stripe-Signature", "t=1772400000", 400),
            ("Stripe-Signature", "v1=" + new string('a', 64), 400),
            ("Stripe-Signature", "t=1772400000,v1=zz", 400),
            ("Stripe-Signature", "t=99999999999999999999999,v1=" + new string('a', 64), 400),
            ("Stripe-Signature", "t=9223372036854775807,v1=" + new string('a', 64), 401),
            ("Stripe-Signature", "t=-5,v1=" + new string('a', 64), 400),
        ],
        "hubspot" =>
        [
            ("X-HubSpot-Signature-v3", "!!!not base64", 400),
            ("X-HubSpot-Signature-v3", Convert.ToBase64String(new byte[5]), 400),
            ("X-HubSpot-Request-Timestamp", "yesterday", 400),
            ("X-HubSpot-Request-Timestamp", "99999999999999999999999", 400),
        ],
        "intercom" =>
        [
            ("X-Hub-Signature", "sha1=xyz", 400),
            ("X-Hub-Signature", "md5=" + new string('a', 32), 400),
            ("X-Hub-Signature", "sha1=" + new string('a', 39), 400),
        ],
        "zendesk" =>
        [
            ("X-Zendesk-Webhook-Signature", "%%%", 400),
            ("X-Zendesk-Webhook-Signature", Convert.ToBase64String(new byte[31]), 400),
            ("X-Zendesk-Webhook-Signature-Timestamp", "not a time", 400),
            ("X-Zendesk-Webhook-Signature-Timestamp", "9999-12-31T23:59:59+14:00", 401),
        ],
        "segment" =>
        [
            ("Authorization", "Basic !!!", 400),
            ("Authorization", "Digest abc", 400),
        ],
        "posthog" => [("Authorization", "Bearer ", 401)],
        _ => [],
    };

    private static void Set(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }
}

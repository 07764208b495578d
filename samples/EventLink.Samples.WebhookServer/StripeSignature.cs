using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace EventLink.Samples.WebhookServer;

/// <summary>The Stripe endpoint secret (<c>whsec_…</c>); when empty, signatures are not checked.</summary>
public sealed class StripeSignatureOptions
{
    public string? WebhookSecret { get; set; }

    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Verifies <c>Stripe-Signature: t=…,v1=…</c>: an HMAC-SHA256 of <c>{t}.{body}</c> keyed with the endpoint secret, with
/// a timestamp no older (or newer) than the tolerance, so a captured request cannot be replayed later.
/// </summary>
public sealed class StripeSignature(IOptions<StripeSignatureOptions> options, TimeProvider time)
{
    public bool IsEnabled => !string.IsNullOrEmpty(options.Value.WebhookSecret);

    /// <summary>Checks a signature header; returns why it is refused, or <see langword="null"/> when it is good.</summary>
    public string? Verify(string? header, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return "missing Stripe-Signature header";
        }

        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2)
            {
                continue;
            }

            if (kv[0] == "t" && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (kv[0] == "v1" && TryHex(kv[1], out var signature))
            {
                signatures.Add(signature);
            }
        }

        if (timestamp is null || signatures.Count == 0)
        {
            return "Stripe-Signature has no timestamp or no v1 signature";
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(timestamp.Value);
        if (age.Duration() > options.Value.Tolerance)
        {
            return "Stripe-Signature timestamp is outside the tolerance";
        }

        var expected = Compute(options.Value.WebhookSecret!, timestamp.Value, body);
        return signatures.Exists(s => CryptographicOperations.FixedTimeEquals(s, expected)) ? null : "Stripe-Signature does not match";
    }

    /// <summary>Computes the v1 signature of a body, as Stripe does.</summary>
    public static byte[] Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var payload = new byte[prefix.Length + body.Length];
        prefix.CopyTo(payload, 0);
        body.CopyTo(payload.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload);
    }

    private static bool TryHex(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EventLink.AspNetCore.Webhooks;

/// <summary>Why a delivery's signature was refused, or that it was accepted.</summary>
internal readonly record struct SignatureVerdict(int StatusCode, string? Problem)
{
    public static SignatureVerdict Valid => new(200, null);

    public bool IsValid => Problem is null;

    /// <summary>No signature, a wrong one, or one out of its time window: 401.</summary>
    public static SignatureVerdict Unauthorized(string problem) => new(401, problem);

    /// <summary>A signature header that cannot be read: 400.</summary>
    public static SignatureVerdict Malformed(string problem) => new(400, problem);
}

/// <summary>
/// The signature schemes of the tools, each as its vendor documents it; every comparison is constant-time and no
/// header value, however odd, throws.
/// </summary>
internal static class WebhookSignatures
{
    // Stripe (docs.stripe.com/webhooks#verify-manually): Stripe-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, "{t}.{body}")>[,v1=…][,v0=…].
    public static SignatureVerdict VerifyStripe(string? header, ReadOnlySpan<byte> body, TimestampedSecret options, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return SignatureVerdict.Unauthorized("The Stripe-Signature header is missing.");
        }

        long? timestamp = null;
        var signatures = new List<byte[]>(1);
        foreach (var part in header.Split(','))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = part.AsSpan(0, equals).Trim();
            var value = part.AsSpan(equals + 1).Trim();
            if (key.SequenceEqual("t"))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                {
                    return SignatureVerdict.Malformed("The Stripe-Signature timestamp is not a number of seconds.");
                }

                timestamp = t;
            }
            else if (key.SequenceEqual("v1"))
            {
                if (!TryHex(value, 32, out var signature))
                {
                    return SignatureVerdict.Malformed("A Stripe-Signature v1 signature is not 64 hexadecimal digits.");
                }

                signatures.Add(signature);
            }
        }

        if (timestamp is not { } seconds || signatures.Count == 0)
        {
            return SignatureVerdict.Malformed("The Stripe-Signature header has no timestamp (t=) or no v1 signature.");
        }

        if (OutsideTolerance(seconds, now.ToUnixTimeSeconds(), (long)options.Tolerance.TotalSeconds))
        {
            return SignatureVerdict.Unauthorized("The Stripe-Signature timestamp is outside the tolerance.");
        }

        var prefix = Encoding.ASCII.GetBytes(seconds.ToString(CultureInfo.InvariantCulture) + ".");
        var expected = Hmac(HashAlgorithmName.SHA256, options.Secret!, prefix, body, []);
        return signatures.Exists(s => CryptographicOperations.FixedTimeEquals(s, expected))
            ? SignatureVerdict.Valid
            : SignatureVerdict.Unauthorized("No Stripe-Signature v1 signature matches the body.");
    }

    // HubSpot (developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests, v3):
    // X-HubSpot-Signature-v3 = base64(HMAC-SHA256(client secret, method + uri + body + timestamp)), X-HubSpot-Request-Timestamp in
    // milliseconds, refused when older than 5 minutes; the URI with some percent-encoded characters decoded.
    public static SignatureVerdict VerifyHubSpot(string? signature, string? timestampHeader, string method, string uri, ReadOnlySpan<byte> body, TimestampedSecret options, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(timestampHeader))
        {
            return SignatureVerdict.Unauthorized("The X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp header is missing.");
        }

        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return SignatureVerdict.Malformed("X-HubSpot-Request-Timestamp is not a number of milliseconds.");
        }

        if (!TryBase64(signature, 32, out var given))
        {
            return SignatureVerdict.Malformed("X-HubSpot-Signature-v3 is not a base64 SHA-256 signature.");
        }

        if (OutsideTolerance(milliseconds, now.ToUnixTimeMilliseconds(), (long)options.Tolerance.TotalMilliseconds))
        {
            return SignatureVerdict.Unauthorized("X-HubSpot-Request-Timestamp is outside the tolerance.");
        }

        var expected = Hmac(HashAlgorithmName.SHA256, options.Secret!, Encoding.UTF8.GetBytes(method + DecodeHubSpotUri(uri)), body, Encoding.ASCII.GetBytes(timestampHeader.Trim()));
        return CryptographicOperations.FixedTimeEquals(given, expected)
            ? SignatureVerdict.Valid
            : SignatureVerdict.Unauthorized("X-HubSpot-Signature-v3 does not match the request.");
    }

    // Intercom (developers.intercom.com, "Signed notifications"): X-Hub-Signature: sha1=<hex HMAC-SHA1(client secret, body)>.
    public static SignatureVerdict VerifyIntercom(string? header, ReadOnlySpan<byte> body, SharedSecret options)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return SignatureVerdict.Unauthorized("The X-Hub-Signature header is missing.");
        }

        var value = header.AsSpan().Trim();
        if (!value.StartsWith("sha1=", StringComparison.OrdinalIgnoreCase) || !TryHex(value[5..], 20, out var given))
        {
            return SignatureVerdict.Malformed("X-Hub-Signature is not sha1= followed by 40 hexadecimal digits.");
        }

        var expected = Hmac(HashAlgorithmName.SHA1, options.Secret!, [], body, []);
        return CryptographicOperations.FixedTimeEquals(given, expected)
            ? SignatureVerdict.Valid
            : SignatureVerdict.Unauthorized("X-Hub-Signature does not match the body.");
    }

    // Zendesk (developer.zendesk.com/documentation/webhooks/verifying): X-Zendesk-Webhook-Signature =
    // base64(HMAC-SHA256(signing secret, timestamp + body)), X-Zendesk-Webhook-Signature-Timestamp an ISO 8601 time. The same
    // page's worked example (secret HRkR…, body {"say": "hello"}) signs body + timestamp, so both orders are accepted: a JSON
    // body ends with } or ], a timestamp with a digit or Z, so neither order can pass for the other.
    public static SignatureVerdict VerifyZendesk(string? signature, string? timestampHeader, ReadOnlySpan<byte> body, TimestampedSecret options, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(timestampHeader))
        {
            return SignatureVerdict.Unauthorized("The X-Zendesk-Webhook-Signature or X-Zendesk-Webhook-Signature-Timestamp header is missing.");
        }

        if (!DateTimeOffset.TryParse(timestampHeader, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return SignatureVerdict.Malformed("X-Zendesk-Webhook-Signature-Timestamp is not an ISO 8601 time.");
        }

        if (!TryBase64(signature, 32, out var given))
        {
            return SignatureVerdict.Malformed("X-Zendesk-Webhook-Signature is not a base64 SHA-256 signature.");
        }

        if ((now - at).Duration() > options.Tolerance)
        {
            return SignatureVerdict.Unauthorized("X-Zendesk-Webhook-Signature-Timestamp is outside the tolerance.");
        }

        var stamp = Encoding.UTF8.GetBytes(timestampHeader);
        return CryptographicOperations.FixedTimeEquals(given, Hmac(HashAlgorithmName.SHA256, options.Secret!, stamp, body, []))
            || CryptographicOperations.FixedTimeEquals(given, Hmac(HashAlgorithmName.SHA256, options.Secret!, [], body, stamp))
            ? SignatureVerdict.Valid
            : SignatureVerdict.Unauthorized("X-Zendesk-Webhook-Signature does not match the body.");
    }

    /// <summary>Compares a presented key with the configured ones in constant time per key.</summary>
    public static bool MatchesAny(string? presented, IEnumerable<string> keys)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(presented);
        var found = false;
        foreach (var key in keys)
        {
            found |= !string.IsNullOrEmpty(key) && CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(key));
        }

        return found;
    }

    /// <summary>HubSpot decodes these percent-encoded characters of the URI before signing (and only these).</summary>
    internal static string DecodeHubSpotUri(string uri)
    {
        if (!uri.Contains('%', StringComparison.Ordinal))
        {
            return uri;
        }

        var builder = new StringBuilder(uri.Length);
        for (var i = 0; i < uri.Length; i++)
        {
            if (uri[i] == '%' && i + 2 < uri.Length && HubSpotDecoded(uri.AsSpan(i + 1, 2)) is { } c)
            {
                builder.Append(c);
                i += 2;
            }
            else
            {
                builder.Append(uri[i]);
            }
        }

        return builder.ToString();
    }

    private static char? HubSpotDecoded(ReadOnlySpan<char> hex) => hex.ToString().ToUpperInvariant() switch
    {
        "3A" => ':',
        "2F" => '/',
        "3F" => '?',
        "40" => '@',
        "21" => '!',
        "24" => '$',
        "27" => '\'',
        "28" => '(',
        "29" => ')',
        "2A" => '*',
        "2C" => ',',
        "3B" => ';',
        _ => null,
    };

    internal static byte[] Hmac(HashAlgorithmName algorithm, string secret, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body, ReadOnlySpan<byte> suffix)
    {
        using var hmac = IncrementalHash.CreateHMAC(algorithm, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        hmac.AppendData(suffix);
        return hmac.GetHashAndReset();
    }

    /// <summary>Whether a timestamp is further than the tolerance from now, either way, without overflowing on absurd values.</summary>
    private static bool OutsideTolerance(long timestamp, long now, long tolerance) =>
        timestamp < now - tolerance || timestamp > now + tolerance;

    private static bool TryHex(ReadOnlySpan<char> text, int length, out byte[] bytes)
    {
        bytes = new byte[length];
        return text.Length == length * 2 && Convert.FromHexString(text, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == length;
    }

    private static bool TryBase64(string text, int length, out byte[] bytes)
    {
        bytes = new byte[length + 3];
        if (Convert.TryFromBase64String(text.Trim(), bytes, out var written) && written == length)
        {
            Array.Resize(ref bytes, length);
            return true;
        }

        return false;
    }
}

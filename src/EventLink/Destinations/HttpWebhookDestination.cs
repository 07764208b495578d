using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace EventLink;

/// <summary>Options of <see cref="HttpWebhookDestination"/>.</summary>
public sealed class HttpWebhookDestinationOptions
{
    /// <summary>Gets or sets the URL messages are POSTed to.</summary>
    /// <value>The default value is <see langword="null"/>; it must be set.</value>
    public Uri? Url { get; set; }

    /// <summary>Gets the headers added to every request (such as an API key).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets the secret of the Standard Webhooks signature (<c>webhook-id</c>, <c>webhook-timestamp</c> and
    /// <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "{id}.{timestamp}.{body}"&gt;</c>); no signature is sent
    /// without one. A <c>whsec_</c>-prefixed secret is the base64 of the key, as Standard Webhooks libraries take it
    /// (give receivers that form); any other text is used as its UTF-8 bytes.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? SigningSecret { get; set; }

    /// <summary>Gets or sets the header carrying <see cref="DestinationMessage.IdempotencyKey"/>.</summary>
    /// <value>The default value is <c>Idempotency-Key</c>.</value>
    public string IdempotencyKeyHeader { get; set; } = "Idempotency-Key";

    /// <summary>Gets or sets how long one request may take.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// POSTs each message as JSON to a webhook, with the idempotency key and, with a secret, a Standard Webhooks
/// signature (standardwebhooks.com): <c>webhook-id</c> (the same for every attempt of a message), <c>webhook-timestamp</c>
/// (Unix seconds of the attempt) and <c>webhook-signature</c> (<c>v1,</c> and the base64 HMAC-SHA256 of
/// <c>{id}.{timestamp}.{body}</c>). The timestamp is signed, so a receiver that refuses old timestamps (five minutes is
/// the usual tolerance) refuses a captured delivery replayed later. Any 2xx status acknowledges; anything else (or no
/// answer) is a failure that the sync retries. Erasure notices are POSTed the same way (their body's <c>type</c> is <c>erasure</c>).
/// </summary>
public sealed class HttpWebhookDestination : IErasureDestination
{
    /// <summary>The header carrying the message id.</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The header carrying the attempt's Unix time in seconds.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The header carrying the signature.</summary>
    public const string SignatureHeader = "webhook-signature";

    private const string SecretPrefix = "whsec_";

    private readonly HttpClient _client;
    private readonly HttpWebhookDestinationOptions _options;
    private readonly TimeProvider _time;
    private readonly byte[]? _secret;

    /// <summary>Initializes a new instance of the <see cref="HttpWebhookDestination"/> class on the system clock.</summary>
    /// <param name="client">The client: a long-lived one, or one from <c>IHttpClientFactory</c>.</param>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException"><see cref="HttpWebhookDestinationOptions.Url"/> is not an absolute HTTP(S) URL, or the secret is not valid.</exception>
    public HttpWebhookDestination(HttpClient client, HttpWebhookDestinationOptions options)
        : this(client, options, TimeProvider.System)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HttpWebhookDestination"/> class.</summary>
    /// <param name="client">The client (through DI: the keyed <see cref="HttpClient"/> <c>EventLink.{name}</c>, else a shared one).</param>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock of the signed timestamps.</param>
    /// <exception cref="ArgumentException"><see cref="HttpWebhookDestinationOptions.Url"/> is not an absolute HTTP(S) URL, or the secret is not valid.</exception>
    public HttpWebhookDestination(HttpClient client, HttpWebhookDestinationOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("HttpWebhookDestinationOptions.Url must be an absolute http or https URL.", nameof(options));
        }

        _client = client;
        _options = options;
        _time = timeProvider;
        _secret = options.SigningSecret is { Length: > 0 } secret ? Key(secret) : null;
    }

    /// <summary>Computes the <c>webhook-signature</c> value of a delivery, as Standard Webhooks defines it.</summary>
    /// <param name="secret">The signing secret (<c>whsec_</c> and base64, or any other text as its UTF-8 bytes).</param>
    /// <param name="webhookId">The <c>webhook-id</c>.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> (whole seconds are signed).</param>
    /// <param name="body">The body, exactly as sent.</param>
    /// <returns><c>v1,</c> and the base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>.</returns>
    /// <exception cref="ArgumentException">The secret has the <c>whsec_</c> prefix but is not base64.</exception>
    public static string Sign(string secret, string webhookId, DateTimeOffset timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(webhookId);
        ArgumentNullException.ThrowIfNull(body);
        return Sign(Key(secret), webhookId, timestamp.ToUnixTimeSeconds(), body);
    }

    /// <summary>The <c>webhook-id</c> of a message: derived from its idempotency key, so every attempt carries the same one, and free of the '.' the signed content separates with.</summary>
    /// <param name="idempotencyKey">The message's <see cref="DestinationMessage.IdempotencyKey"/>.</param>
    /// <returns><c>msg_</c> and 32 base64url characters.</returns>
    public static string WebhookId(string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        return "msg_" + Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)).AsSpan(0, 24));
    }

    private static string Sign(byte[] key, string webhookId, long unixSeconds, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{webhookId}.{unixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{body}")));

    private static byte[] Key(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(secret);
        }

        try
        {
            return Convert.FromBase64String(secret[SecretPrefix.Length..]);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("A signing secret starting with 'whsec_' must continue in base64.", nameof(secret), ex);
        }
    }

    /// <inheritdoc />
    public ValueTask<DeliveryResult> DeliverAsync(DestinationMessage message, CancellationToken cancellationToken = default) => PostAsync(message, cancellationToken);

    /// <inheritdoc />
    public ValueTask<DeliveryResult> EraseAsync(DestinationMessage notice, CancellationToken cancellationToken = default) => PostAsync(notice, cancellationToken);

    private async ValueTask<DeliveryResult> PostAsync(DestinationMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url)
        {
            Content = new StringContent(message.BodyJson, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.TryAddWithoutValidation(_options.IdempotencyKeyHeader, message.IdempotencyKey);
        foreach (var (name, value) in _options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (_secret is not null)
        {
            // Each attempt signs its own time: a retry is a fresh delivery, a replayed capture carries an old one.
            var id = WebhookId(message.IdempotencyKey);
            var now = _time.GetUtcNow().ToUnixTimeSeconds();
            request.Headers.TryAddWithoutValidation(IdHeader, id);
            request.Headers.TryAddWithoutValidation(TimestampHeader, now.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(_secret, id, now, message.BodyJson));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await _client.SendAsync(request, timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? DeliveryResult.Success
                : DeliveryResult.Failure($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (HttpRequestException ex)
        {
            return DeliveryResult.Failure(ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryResult.Failure($"no answer within {_options.Timeout}");
        }
    }
}

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

    /// <summary>Gets or sets the secret of the HMAC-SHA256 signature of the body; no signature is sent without one.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? SigningSecret { get; set; }

    /// <summary>Gets or sets the header carrying the signature, as <c>sha256=&lt;lower-case hex&gt;</c>.</summary>
    /// <value>The default value is <c>X-EventLink-Signature</c>.</value>
    public string SignatureHeader { get; set; } = "X-EventLink-Signature";

    /// <summary>Gets or sets the header carrying <see cref="DestinationMessage.IdempotencyKey"/>.</summary>
    /// <value>The default value is <c>Idempotency-Key</c>.</value>
    public string IdempotencyKeyHeader { get; set; } = "Idempotency-Key";

    /// <summary>Gets or sets how long one request may take.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// POSTs each message as JSON to a webhook, with the idempotency key and an optional HMAC-SHA256 signature in
/// headers. Any 2xx status acknowledges; anything else (or no answer) is a failure that the sync retries.
/// Erasure notices are POSTed the same way (their body's <c>type</c> is <c>erasure</c>).
/// </summary>
public sealed class HttpWebhookDestination : IErasureDestination
{
    private readonly HttpClient _client;
    private readonly HttpWebhookDestinationOptions _options;
    private readonly byte[]? _secret;

    /// <summary>Initializes a new instance of the <see cref="HttpWebhookDestination"/> class.</summary>
    /// <param name="client">The client (through DI: the keyed <see cref="HttpClient"/> <c>EventLink.{name}</c>, else a shared one).</param>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException"><see cref="HttpWebhookDestinationOptions.Url"/> is not an absolute HTTP(S) URL.</exception>
    public HttpWebhookDestination(HttpClient client, HttpWebhookDestinationOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("HttpWebhookDestinationOptions.Url must be an absolute http or https URL.", nameof(options));
        }

        _client = client;
        _options = options;
        _secret = options.SigningSecret is { Length: > 0 } secret ? Encoding.UTF8.GetBytes(secret) : null;
    }

    /// <summary>Computes the signature header value of a body: <c>sha256=</c> and the lower-case hex HMAC-SHA256.</summary>
    /// <param name="secret">The signing secret.</param>
    /// <param name="body">The body.</param>
    /// <returns>The header value.</returns>
    public static string Sign(string secret, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
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
            request.Headers.TryAddWithoutValidation(
                _options.SignatureHeader,
                "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(message.BodyJson))));
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

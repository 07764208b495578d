namespace EventLink;

/// <summary>
/// Privacy settings: where records carry consent, and which fields are restricted. Consent fields hold either an
/// object of booleans per purpose (<c>{"marketing": true, "analytics": false}</c>) or an array of the purposes
/// granted (<c>["analytics"]</c>).
/// </summary>
public sealed class EventLinkPrivacyOptions
{
    /// <summary>Gets the consent field selector of each record type that carries consent, by record type name (such as <c>contact</c> → <c>properties.consent</c>).</summary>
    public Dictionary<string, string> ConsentFields { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Gets the restricted field names, compared case-insensitively at every depth of a payload and against profile
    /// attribute names; a trailing <c>*</c> matches any suffix (<c>health_*</c>). Restricted fields are stripped from
    /// everything sent to a sync that does not set <see cref="SyncDefinition.AllowRestricted"/>.
    /// </summary>
    public List<string> RestrictedFields { get; } = [];

    /// <summary>
    /// Gets or sets the secret that keys erasure tombstones: a tombstone is HMAC-SHA256 of <c>kind:normalised value</c>
    /// under it, so without the secret a tombstone cannot be turned back into an e-mail address by hashing a list of
    /// them. At least <see cref="MinTombstoneSecretLength"/> characters; keep it as any other secret (a vault, user
    /// secrets, an environment variable), the same for every process sharing a store, and never change it: tombstones
    /// made under another secret no longer match.
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: erasure (<c>ForgetAsync</c>) fails with an
    /// <see cref="InvalidOperationException"/> saying so, and so does ingest into a tenant that holds tombstones.
    /// </value>
    public string? TombstoneSecret { get; set; }

    /// <summary>The shortest <see cref="TombstoneSecret"/> accepted, in characters (256 bits of a random base64 secret).</summary>
    public const int MinTombstoneSecretLength = 32;
}

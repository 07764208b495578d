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
}

using System.Text.Json.Serialization;

namespace EventLink;

/// <summary>The names of the identity kinds EventLink knows out of the box.</summary>
public static class IdentityKinds
{
    /// <summary>An e-mail address: trimmed, lower-cased (invariant) and required to look like an address.</summary>
    public const string Email = "email";

    /// <summary>An application user id: trimmed, otherwise compared exactly.</summary>
    public const string UserId = "user_id";

    /// <summary>A phone number, normalised to E.164 (<c>+14155550123</c>).</summary>
    public const string Phone = "phone";

    /// <summary>An anonymous (pre-login) id such as a tracking cookie: trimmed, compared exactly.</summary>
    public const string AnonymousId = "anonymous_id";
}

/// <summary>How the raw value of an identity is turned into the key that is compared.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IdentityNormalization>))]
public enum IdentityNormalization
{
    /// <summary>Trim surrounding whitespace; compare exactly.</summary>
    Exact,

    /// <summary>Trim surrounding whitespace and lower-case (invariant).</summary>
    LowerCase,

    /// <summary>Trim, lower-case (invariant) and require the shape of an e-mail address.</summary>
    Email,

    /// <summary>Strip separators and normalise to E.164; a number without a country code is refused.</summary>
    Phone,
}

using System.Text.Json.Serialization;

namespace EventLink;

/// <summary>The names of the identity kinds EventLink knows out of the box.</summary>
public static class IdentityKinds
{
    /// <summary>
    /// An e-mail address: trimmed, format characters (zero-width, byte-order mark) removed, full-width forms folded,
    /// composed (NFC), lower-cased (invariant, <c>İ</c> as <c>i</c>), the domain in its one Unicode form (IDNA), and
    /// required to look like an address.
    /// </summary>
    public const string Email = "email";

    /// <summary>An application user id: trimmed, otherwise compared exactly.</summary>
    public const string UserId = "user_id";

    /// <summary>A phone number, normalised to E.164 (<c>+14155550123</c>) and validated with libphonenumber's metadata.</summary>
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

    /// <summary>
    /// Trim, remove format characters (zero-width spaces and joiners, the byte-order mark), fold full-width forms,
    /// compose (NFC), lower-case (invariant, <c>İ</c> as <c>i</c>), put an internationalised domain in its one Unicode
    /// form (IDNA: <c>xn--bcher-kva.de</c> is <c>bücher.de</c>) and require the shape of an e-mail address.
    /// </summary>
    Email,

    /// <summary>
    /// Parse with libphonenumber and normalise to E.164; a number without a country code is read in the schema's
    /// default phone region (refused without one), and a number not valid for its country is refused.
    /// </summary>
    Phone,

    /// <summary>A custom <see cref="IIdentityNormalizer"/>, registered with <see cref="SchemaBuilder.IdentityKind(string, IIdentityNormalizer, int?, int?)"/>.</summary>
    Custom,
}

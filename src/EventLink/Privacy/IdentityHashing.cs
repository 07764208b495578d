using System.Security.Cryptography;
using System.Text;

namespace EventLink;

/// <summary>
/// SHA-256 of normalised identities, as ad platforms take them: the schema's normalisation first (e-mail trimmed
/// and lower-cased, phone in E.164), then the lower-case hex digest of its UTF-8 bytes.
/// </summary>
public static class IdentityHashing
{
    /// <summary>Hashes an already normalised value.</summary>
    /// <param name="normalizedValue">The normalised value (such as <see cref="IdentityKey.Value"/>).</param>
    /// <returns>The lower-case hex SHA-256 digest.</returns>
    public static string Sha256(string normalizedValue)
    {
        ArgumentNullException.ThrowIfNull(normalizedValue);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedValue)));
    }

    /// <summary>Normalises a raw value as its kind says, then hashes it.</summary>
    /// <param name="schema">The schema whose identity kinds normalise the value.</param>
    /// <param name="identityKind">The identity kind, such as <see cref="IdentityKinds.Email"/>.</param>
    /// <param name="rawValue">The raw value, such as <c>" Ada@Example.COM "</c>.</param>
    /// <param name="hash">The digest, when the value is a usable identity.</param>
    /// <returns><see langword="true"/> when the value is a usable identity of that kind.</returns>
    public static bool TryHash(EventLinkSchema schema, string identityKind, string? rawValue, out string hash)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(identityKind);
        if (schema.TryNormalize(identityKind, rawValue, out var key))
        {
            hash = Sha256(key.Value);
            return true;
        }

        hash = string.Empty;
        return false;
    }

    /// <summary>The tombstone of an erased identity: HMAC-SHA256 of <c>kind:normalised value</c> under the tombstone key, lower-case hex.</summary>
    internal static string Tombstone(IdentityKey key, byte[] tombstoneKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(tombstoneKey, Encoding.UTF8.GetBytes(key.Kind + ":" + key.Value)));
}

using System.Text;

namespace EventLink.Internal;

/// <summary>
/// The rule for names (tenants, sources, record types): text every store keeps exactly as given, so that two
/// different names are never one. A store writes text as UTF-8 (a lone surrogate becomes U+FFFD, so two names differing
/// only there would merge) and PostgreSQL refuses NUL: a name is well-formed UTF-16 without control characters.
/// </summary>
internal static class Names
{
    /// <summary>The longest tenant name.</summary>
    public const int MaxTenantLength = 100;

    /// <summary>Gets whether <paramref name="name"/> has no control character and no lone surrogate.</summary>
    /// <param name="name">The name.</param>
    /// <returns>Whether every store keeps it as it is.</returns>
    public static bool IsWellFormed(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c < '\u00A0')
            {
                if (char.IsControl(c))
                {
                    return false;
                }
            }
            else if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 >= name.Length || !char.IsLowSurrogate(name[i + 1]))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }

    /// <summary>Checks a tenant name given through the API.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="paramName">The parameter the name came from.</param>
    /// <returns>The tenant.</returns>
    /// <exception cref="ArgumentException">The name is empty, white space, longer than 100 characters, or has a control character or a lone surrogate.</exception>
    public static string Tenant(string? tenant, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant, paramName);
        if (tenant.Length > MaxTenantLength || !IsWellFormed(tenant))
        {
            throw new ArgumentException(
                $"The tenant name '{Printable(tenant.Length > 60 ? tenant[..60] + "…" : tenant)}' is not valid: a tenant name has 1 to {MaxTenantLength} characters, none of them a control character or a lone surrogate (stores keep names as UTF-8, where such names would collide).",
                paramName);
        }

        return tenant;
    }

    /// <summary>Gets <paramref name="text"/> as every store keeps it: control characters and lone surrogates become U+FFFD.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text, or a copy with those characters replaced.</returns>
    public static string Printable(string text)
    {
        if (IsWellFormed(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(char.IsControl(c) || char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Gets <paramref name="text"/> as <see cref="Printable"/> does, cut to <paramref name="maxLength"/> characters (a note's key, not the record).</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxLength">The most characters kept.</param>
    /// <returns>The text to store.</returns>
    public static string Storable(string text, int maxLength)
    {
        if (text.Length > maxLength)
        {
            // Never cut a surrogate pair in two.
            var cut = char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
            text = text[..cut];
        }

        return Printable(text);
    }
}

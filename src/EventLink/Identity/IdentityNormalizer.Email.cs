using System.Globalization;
using System.Text;

namespace EventLink;

/// <summary>
/// The general e-mail rule, for any text. One address has one key whatever form it was typed or stored in:
/// format characters (zero-width spaces and joiners, the byte-order mark, soft hyphens, bidirectional marks) are
/// removed, full-width and half-width forms folded (<c>＠</c> is <c>@</c>; the width mapping of RFC 8265's
/// UsernameCaseMapped profile), the text composed (NFC) and lower-cased (invariant, with <c>İ</c> as <c>i</c>), and
/// an internationalised domain put in its Unicode form through IDNA (UTS #46: <c>xn--bcher-kva.de</c> is
/// <c>bücher.de</c>). The ASCII path of <see cref="NormalizeEmail"/> must agree with it (a test compares them).
/// </summary>
internal static partial class IdentityNormalizer
{
    private const string Forbidden = "contains white space, a control character or one of < > , ; \" ( )";

    // IdnMapping's methods are safe to call concurrently once its settings are fixed; these are the defaults
    // (no unassigned code points, underscores and the like allowed in labels as the ASCII path allows them).
    private static readonly IdnMapping Idn = new();

    /// <inheritdoc cref="NormalizeAnyEmail(ReadOnlySpan{char}, Span{char}, out string?)"/>
    internal static int NormalizeAnyEmail(ReadOnlySpan<char> value, Span<char> destination) => NormalizeAnyEmail(value, destination, out _);

    /// <summary>Normalises an e-mail address written in any form.</summary>
    /// <param name="value">The address, trimmed.</param>
    /// <param name="destination">Receives the key.</param>
    /// <param name="reason">Why the value is not an address, when it is not.</param>
    /// <returns>The length of the key, or -1.</returns>
    internal static int NormalizeAnyEmail(ReadOnlySpan<char> value, Span<char> destination, out string? reason)
    {
        var text = value;
        var prepared = false;
        if (value.ContainsAnyExceptInRange('\0', '\u007F'))
        {
            if (HasLoneSurrogate(value))
            {
                reason = "contains invalid UTF-16 (a lone surrogate)";
                return -1;
            }

            text = PrepareUnicode(value);
            prepared = true;
        }

        var at = text.IndexOf('@');
        reason = at < 0 ? "has no '@'"
            : at != text.LastIndexOf('@') ? "has more than one '@'"
            : at == 0 ? "has nothing before the '@'"
            : at == text.Length - 1 ? "has no domain after the '@'"
            : !IsMailDomain(text[(at + 1)..]) ? "has a domain without a dot inside it, or with an empty label"
            : HasForbidden(text) ? Forbidden
            : text.Length > MaxLength || text.Length > destination.Length ? $"is longer than {MaxLength} characters"
            : null;
        if (reason is not null)
        {
            return -1;
        }

        // Prepared text is lower-cased already; ASCII text is lower-cased here (the same as the ASCII path's copy).
        var written = prepared ? Copy(text, destination) : text.ToLowerInvariant(destination);
        var domain = destination[(at + 1)..written];
        return domain.ContainsAnyExceptInRange('\0', '\u007F') || domain.IndexOf("xn--", StringComparison.Ordinal) >= 0
            ? CanonicalizeDomain(destination, at, written, out reason)
            : written;

        static int Copy(ReadOnlySpan<char> text, Span<char> destination)
        {
            text.CopyTo(destination);
            return text.Length;
        }
    }

    /// <summary>Puts the domain of a lower-cased address (after <paramref name="at"/>) in its one Unicode form.</summary>
    /// <returns>The new length of the address, or -1 when the domain is not a valid internationalised domain name.</returns>
    private static int CanonicalizeDomain(Span<char> address, int at, int written, out string? reason)
    {
        string canonical;
        try
        {
            // To ASCII and back: validates every label (an ACE label must decode to a valid one) and maps the
            // Unicode form the way IDNA does, so bücher.de, BÜCHER.de and xn--bcher-kva.de meet.
            canonical = Idn.GetUnicode(Idn.GetAscii(address[(at + 1)..written].ToString()));
        }
        catch (ArgumentException)
        {
            reason = "has a domain that is not a valid internationalised domain name (IDNA)";
            return -1;
        }

        var length = at + 1 + canonical.Length;
        if (length > MaxLength || length > address.Length)
        {
            reason = $"is longer than {MaxLength} characters";
            return -1;
        }

        canonical.CopyTo(address[(at + 1)..]);
        reason = null;
        return length;
    }

    /// <summary>Format characters out, widths folded, composed (NFC), lower-cased with <c>İ</c> as <c>i</c>, composed again.</summary>
    private static string PrepareUnicode(ReadOnlySpan<char> value)
    {
        var folded = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            var c = rune.Value;
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format)
            {
                continue;
            }

            if (c is >= 0xFF01 and <= 0xFF5E)
            {
                // The full-width forms of ASCII: '＠' is '@', 'Ａ' is 'A'.
                folded.Append((char)(c - 0xFEE0));
            }
            else if (c is 0x3002 or 0xFF61)
            {
                // Ideographic full stops separate domain labels as '.' does (IDNA).
                folded.Append('.');
            }
            else if (c is 0x3000 or (>= 0xFF00 and <= 0xFFEF))
            {
                // The ideographic space and the other half-width and full-width forms: their compatibility mapping.
                folded.Append(rune.ToString().Normalize(NormalizationForm.FormKC));
            }
            else
            {
                Append(folded, rune);
            }
        }

        var composed = folded.ToString().Normalize(NormalizationForm.FormC);
        var lowered = new StringBuilder(composed.Length);
        foreach (var rune in composed.EnumerateRunes())
        {
            if (rune.Value == 0x0130)
            {
                // Invariant lower-casing leaves 'İ' as it is; its lower case outside Turkish is 'i'.
                lowered.Append('i');
            }
            else if (rune.Value == 0x0307 && lowered.Length > 0 && lowered[^1] == 'i')
            {
                // "i" + combining dot above is 'İ' lower-cased in full (SpecialCasing): the dot adds nothing.
                continue;
            }
            else
            {
                Append(lowered, Rune.ToLowerInvariant(rune));
            }
        }

        return lowered.ToString().Normalize(NormalizationForm.FormC);
    }

    private static void Append(StringBuilder builder, Rune rune)
    {
        if (rune.IsBmp)
        {
            builder.Append((char)rune.Value);
        }
        else
        {
            Span<char> pair = stackalloc char[2];
            builder.Append(pair[..rune.EncodeToUtf16(pair)]);
        }
    }

    private static bool HasForbidden(ReadOnlySpan<char> text)
    {
        // Printable ASCII (nearly every address) needs one vectorised scan; anything else takes the full check.
        if (!text.ContainsAnyExcept(PrintableAscii))
        {
            return text.ContainsAny(EmailForbidden);
        }

        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"' or '(' or ')')
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasLoneSurrogate(ReadOnlySpan<char> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }
}

using System.Buffers;

namespace EventLink;

/// <summary>Span-based, allocation-free normalisation of identity values.</summary>
internal static class IdentityNormalizer
{
    /// <summary>The longest normalised identity accepted, in characters.</summary>
    public const int MaxLength = 512;

    private static readonly SearchValues<char> PrintableAscii = SearchValues.Create("!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private static readonly SearchValues<char> EmailForbidden = SearchValues.Create("<>,;\"()");

    /// <summary>Normalises <paramref name="raw"/> into <paramref name="destination"/>.</summary>
    /// <returns>The number of characters written, or -1 when the value is not a valid identity of that normalisation.</returns>
    public static int Normalize(IdentityNormalization normalization, ReadOnlySpan<char> raw, Span<char> destination, string? defaultCountryCode = null)
    {
        var value = raw.Trim();
        if (value.Length == 0 || value.Length > MaxLength || value.Length > destination.Length)
        {
            return -1;
        }

        switch (normalization)
        {
            case IdentityNormalization.Exact:
                value.CopyTo(destination);
                return value.Length;
            case IdentityNormalization.LowerCase:
                return value.ToLowerInvariant(destination);
            case IdentityNormalization.Email:
                return NormalizeEmail(value, destination);
            case IdentityNormalization.Phone:
                return NormalizePhone(value, destination, defaultCountryCode);
            default:
                return -1;
        }
    }

    private static int NormalizeEmail(ReadOnlySpan<char> value, Span<char> destination)
    {
        var at = value.IndexOf('@');
        if (at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1)
        {
            return -1;
        }

        var domain = value[(at + 1)..];
        var dot = domain.LastIndexOf('.');
        if (dot <= 0 || dot == domain.Length - 1 || domain.IndexOf("..", StringComparison.Ordinal) >= 0)
        {
            return -1;
        }

        // Printable ASCII (nearly every address) needs one vectorised scan; anything else takes the full check.
        if (!value.ContainsAnyExcept(PrintableAscii))
        {
            if (value.ContainsAny(EmailForbidden))
            {
                return -1;
            }
        }
        else
        {
            foreach (var c in value)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"' or '(' or ')')
                {
                    return -1;
                }
            }
        }

        return value.ToLowerInvariant(destination);
    }

    private static int NormalizePhone(ReadOnlySpan<char> value, Span<char> destination, string? defaultCountryCode)
    {
        // E.164: '+' then 8 to 15 digits (country code included). Separators people type are dropped.
        Span<char> digits = stackalloc char[32];
        var count = 0;
        var international = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '+' && count == 0 && !international)
            {
                international = true;
            }
            else if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    return -1;
                }

                digits[count++] = c;
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')' or '/'))
            {
                return -1;
            }
        }

        var national = digits[..count];
        if (!international && national.StartsWith("00"))
        {
            international = true;
            national = national[2..];
        }

        destination[0] = '+';
        var written = 1;
        if (!international)
        {
            if (string.IsNullOrEmpty(defaultCountryCode))
            {
                return -1;
            }

            // A national number drops its trunk prefix (0) before the country code goes in front.
            national = national.TrimStart('0');
            defaultCountryCode.AsSpan().TrimStart('+').CopyTo(destination[written..]);
            written += defaultCountryCode.AsSpan().TrimStart('+').Length;
        }

        if (national.Length == 0 || national[0] == '0' && international)
        {
            return -1;
        }

        if (written + national.Length > destination.Length)
        {
            return -1;
        }

        national.CopyTo(destination[written..]);
        written += national.Length;
        var digitCount = written - 1;
        return digitCount is >= 8 and <= 15 ? written : -1;
    }
}

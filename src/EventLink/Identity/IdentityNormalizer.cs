using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace EventLink;

/// <summary>Span-based, allocation-free normalisation of identity values.</summary>
internal static class IdentityNormalizer
{
    /// <summary>The longest normalised identity accepted, in characters.</summary>
    public const int MaxLength = 512;

    private static readonly SearchValues<char> PrintableAscii = SearchValues.Create("!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private static readonly SearchValues<char> EmailForbidden = SearchValues.Create("<>,;\"()");

    // In an ASCII address: the forbidden punctuation, white space and control characters.
    private static readonly SearchValues<char> EmailForbiddenAscii = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        " <>,;\"()\u007F");

    /// <summary>Normalises <paramref name="raw"/> into <paramref name="destination"/>.</summary>
    /// <returns>The number of characters written, or -1 when the value is not a valid identity of that normalisation.</returns>
    public static int Normalize(IdentityNormalization normalization, ReadOnlySpan<char> raw, Span<char> destination, string? defaultCountryCode = null)
    {
        if (TrimmedLength(raw, destination.Length, out var value) < 0)
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

    /// <summary>
    /// The first step of every normalisation, and all of <see cref="IdentityNormalization.Exact"/> but the copy:
    /// <paramref name="value"/> is <paramref name="raw"/> trimmed.
    /// </summary>
    /// <returns>The trimmed length, or -1 when the value is empty or longer than <see cref="MaxLength"/> or <paramref name="capacity"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int TrimmedLength(ReadOnlySpan<char> raw, int capacity, out ReadOnlySpan<char> value)
    {
        value = Trim(raw);
        return value.Length == 0 || value.Length > MaxLength || value.Length > capacity ? -1 : value.Length;
    }

    /// <summary>Trims white space; ASCII ends are decided inline, anything else by <see cref="MemoryExtensions.Trim(ReadOnlySpan{char})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ReadOnlySpan<char> Trim(ReadOnlySpan<char> raw)
    {
        var start = 0;
        var end = raw.Length;
        while (start < end && IsAsciiWhiteSpace(raw[start]))
        {
            start++;
        }

        while (end > start && IsAsciiWhiteSpace(raw[end - 1]))
        {
            end--;
        }

        var value = raw[start..end];
        return value.Length > 0 && (value[0] >= 0x80 || value[^1] >= 0x80) ? value.Trim() : value;
    }

    private static bool IsAsciiWhiteSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    // The domain of an address: a dot inside it (not first, not last) and no empty label.
    private static bool IsMailDomain(ReadOnlySpan<char> domain)
    {
        var dot = domain.LastIndexOf('.');
        return dot > 0 && dot != domain.Length - 1 && domain.IndexOf("..", StringComparison.Ordinal) < 0;
    }

    private static int NormalizeEmail(ReadOnlySpan<char> value, Span<char> destination)
    {
        // Nearly every address is ASCII: lower-case it in one pass (which also proves it ASCII), then check the copy.
        if (Ascii.ToLower(value, destination, out var written) == OperationStatus.Done)
        {
            var email = destination[..written];
            var at = email.IndexOf('@');
            if (at <= 0 || at == email.Length - 1 || email.ContainsAny(EmailForbiddenAscii))
            {
                return -1;
            }

            var domain = email[(at + 1)..];
            return domain.Contains('@') || !IsMailDomain(domain) ? -1 : written;
        }

        return NormalizeAnyEmail(value, destination);
    }

    /// <summary>The general e-mail rule, for any text; the ASCII path above must agree with it (a test compares them).</summary>
    internal static int NormalizeAnyEmail(ReadOnlySpan<char> value, Span<char> destination)
    {
        var at = value.IndexOf('@');
        if (at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1)
        {
            return -1;
        }

        if (!IsMailDomain(value[(at + 1)..]))
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

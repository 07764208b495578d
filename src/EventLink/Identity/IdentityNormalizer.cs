using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace EventLink;

/// <summary>
/// Span-based normalisation of identity values. The common case (an ASCII value) allocates nothing; anything else
/// takes the general Unicode rule (<see cref="NormalizeAnyEmail(ReadOnlySpan{char}, Span{char}, out string?)"/>).
/// </summary>
internal static partial class IdentityNormalizer
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

    /// <summary>Normalises <paramref name="raw"/> with a built-in text normalisation (not phone numbers: they need a region).</summary>
    /// <returns>The number of characters written, or -1 when the value is not a valid identity of that normalisation.</returns>
    public static int Normalize(IdentityNormalization normalization, ReadOnlySpan<char> raw, Span<char> destination)
    {
        if (TrimmedLength(raw, destination.Length, out var value) < 0)
        {
            return -1;
        }

        return NormalizeTrimmed(normalization, value, destination);
    }

    /// <summary>The built-in text normalisations of a value already trimmed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int NormalizeTrimmed(IdentityNormalization normalization, ReadOnlySpan<char> value, Span<char> destination)
    {
        switch (normalization)
        {
            case IdentityNormalization.Exact:
                value.CopyTo(destination);
                return value.Length;
            case IdentityNormalization.LowerCase:
                return value.ToLowerInvariant(destination);
            case IdentityNormalization.Email:
                return NormalizeEmail(value, destination);
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

    /// <summary>Why a trimmed-or-not value fails before any normalisation: empty, or too long.</summary>
    internal static string? DescribeLength(ReadOnlySpan<char> raw)
    {
        var value = Trim(raw);
        return value.Length == 0 ? "is empty" : value.Length > MaxLength ? $"is longer than {MaxLength} characters" : null;
    }

    private static bool IsAsciiWhiteSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    /// <summary>Why <paramref name="value"/> is not an e-mail address (called only after normalisation refused it).</summary>
    internal static string? DescribeInvalidEmail(ReadOnlySpan<char> value)
    {
        Span<char> scratch = stackalloc char[MaxLength];
        return NormalizeAnyEmail(value, scratch, out var reason) < 0 ? reason : null;
    }

    private static int NormalizeEmail(ReadOnlySpan<char> value, Span<char> destination)
    {
        // Nearly every address is ASCII: lower-case it in one pass (which also proves it ASCII), then check the copy.
        // Only an ACE ("xn--") label of an internationalised domain needs more: it goes to its one canonical form.
        if (Ascii.ToLower(value, destination, out var written) == OperationStatus.Done)
        {
            var email = destination[..written];
            var at = email.IndexOf('@');
            if (at <= 0 || at == email.Length - 1 || email.ContainsAny(EmailForbiddenAscii))
            {
                return -1;
            }

            var domain = email[(at + 1)..];
            if (domain.Contains('@') || !IsMailDomain(domain))
            {
                return -1;
            }

            return domain.IndexOf("xn--", StringComparison.Ordinal) < 0 ? written : CanonicalizeDomain(destination, at, written, out _);
        }

        return NormalizeAnyEmail(value, destination, out _);
    }

    // The domain of an address: a dot inside it (not first, not last) and no empty label.
    private static bool IsMailDomain(ReadOnlySpan<char> domain)
    {
        var dot = domain.LastIndexOf('.');
        return dot > 0 && dot != domain.Length - 1 && domain.IndexOf("..", StringComparison.Ordinal) < 0;
    }
}

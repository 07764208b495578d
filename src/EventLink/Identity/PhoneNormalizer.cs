using System.Collections.Concurrent;
using System.Globalization;
using PhoneNumbers;

namespace EventLink;

/// <summary>
/// Phone numbers to E.164 (<c>+442079460958</c>) with Google's libphonenumber metadata: a number written without a
/// country code is read in the default region (its trunk prefix dropped: <c>020 7946 0958</c> in GB is
/// <c>+442079460958</c>, as is <c>+44 (0)20 7946 0958</c>), and only a number valid for its country is an identity
/// (<c>555-1234</c> and <c>+999 1234 5678</c> are not). A number with an extension is refused: E.164 cannot hold the
/// extension, so everyone behind one switchboard would become one identity.
/// </summary>
/// <remarks>
/// Parsing allocates, so the outcome for each raw text (valid or not) is remembered: the match path of a value seen
/// before copies its key and allocates nothing. The memory is bounded (short values only, emptied when full).
/// </remarks>
internal sealed class PhoneNormalizer : IIdentityNormalizer
{
    private const int MemoCapacity = 65_536;

    // Longer texts are not remembered: a phone number with separators is far shorter, and a flood of long garbage
    // must not fill the memory.
    private const int MemoMaxLength = 40;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    private readonly string? _region;
    private readonly ConcurrentDictionary<string, Outcome> _memo = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Outcome>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>Initializes a new instance of the <see cref="PhoneNormalizer"/> class.</summary>
    /// <param name="region">The region (ISO 3166-1 alpha-2, such as <c>GB</c>) of numbers written without a country code; none when <see langword="null"/>.</param>
    public PhoneNormalizer(string? region)
    {
        _region = region;
        _lookup = _memo.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Gets the default region, if any.</summary>
    public string? Region => _region;

    /// <summary>Tells whether libphonenumber knows a region code (<c>GB</c>, <c>US</c>, …).</summary>
    public static bool IsKnownRegion(string region) => Util.GetSupportedRegions().Contains(region);

    /// <summary>The main region of a country calling code (<c>44</c> → <c>GB</c>), or <see langword="null"/> when there is none.</summary>
    public static string? RegionOfCallingCode(string callingCode)
    {
        var digits = callingCode.Trim().TrimStart('+');
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return null;
        }

        var region = Util.GetRegionCodeForCountryCode(code);
        return region == "ZZ" || region == "001" ? null : region;
    }

    /// <inheritdoc />
    public bool TryNormalize(ReadOnlySpan<char> value, Span<char> destination, out int charsWritten)
    {
        if (Resolve(value).E164 is { } e164 && e164.Length <= destination.Length)
        {
            e164.CopyTo(destination);
            charsWritten = e164.Length;
            return true;
        }

        charsWritten = 0;
        return false;
    }

    /// <inheritdoc />
    public string? GetInvalidReason(ReadOnlySpan<char> value) => Resolve(value).Reason;

    private Outcome Resolve(ReadOnlySpan<char> value)
    {
        if (_lookup.TryGetValue(value, out var known))
        {
            return known;
        }

        var text = value.ToString();
        var outcome = Parse(text);
        if (text.Length <= MemoMaxLength)
        {
            if (_memo.Count >= MemoCapacity)
            {
                _memo.Clear();
            }

            _memo.TryAdd(text, outcome);
        }

        return outcome;
    }

    private Outcome Parse(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) || char.IsSurrogate(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                return new(null, "contains a control or format character or invalid UTF-16");
            }
        }

        if (_region is null)
        {
            // Without a default region only an international number is one. "00" is the international prefix the
            // ITU recommends (E.164 Annex) and most of the world dials, so it stands for '+' here.
            if (text.StartsWith("00", StringComparison.Ordinal))
            {
                text = string.Concat("+", text.AsSpan(2));
            }
            else if (!text.StartsWith('+') && !text.StartsWith('\uFF0B'))
            {
                return new(null, "has no country code and no default phone region is configured");
            }
        }

        PhoneNumber number;
        try
        {
            number = Util.Parse(text, _region ?? "ZZ");
        }
        catch (NumberParseException e)
        {
            return new(null, e.ErrorType switch
            {
                ErrorType.INVALID_COUNTRY_CODE => "has an unknown country code",
                ErrorType.TOO_SHORT_AFTER_IDD or ErrorType.TOO_SHORT_NSN => "is too short to be a phone number",
                ErrorType.TOO_LONG => "is too long to be a phone number",
                _ => "is not a phone number",
            });
        }

        if (number.HasExtension)
        {
            return new(null, "has an extension, which E.164 cannot hold");
        }

        if (!Util.IsValidNumber(number))
        {
            return new(null, $"is not a valid phone number of country code +{number.CountryCode}");
        }

        return new(Util.Format(number, PhoneNumberFormat.E164), null);
    }

    private sealed record Outcome(string? E164, string? Reason);
}

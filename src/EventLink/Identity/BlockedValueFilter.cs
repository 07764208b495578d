using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace EventLink;

/// <summary>
/// Decides which values are never identities: placeholders such as <c>null</c>, <c>undefined</c> or
/// <c>0</c> that many records carry and that would glue unrelated people together.
/// </summary>
internal sealed class BlockedValueFilter
{
    /// <summary>The values blocked out of the box (compared case-insensitively, also in quoted form).</summary>
    public static readonly IReadOnlyList<string> DefaultValues =
        ["null", "undefined", "0", "anonymous", "guest", "nan", "[object object]", "-1", "none", "nil"];

    private readonly HashSet<string> _exact;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _exactLookup;
    private readonly Regex[] _patterns;
    private readonly bool _blockZerosAndDashes;

    // Lengths of the exact values: most identities (e-mails, ids) match none, which skips the case-insensitive hash.
    private readonly ulong _exactLengths;
    private readonly bool _hasLongExact;

    public BlockedValueFilter(IEnumerable<string> values, IEnumerable<string> patterns, bool useDefaults)
    {
        _exact = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (useDefaults)
        {
            _exact.UnionWith(DefaultValues);
        }

        foreach (var value in values)
        {
            _exact.Add(value.Trim());
        }

        _exactLookup = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var value in _exact)
        {
            if (value.Length < 64)
            {
                _exactLengths |= 1UL << value.Length;
            }
            else
            {
                _hasLongExact = true;
            }
        }

        _patterns = patterns
            .Select(p => new Regex(p, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1)))
            .ToArray();
        _blockZerosAndDashes = useDefaults;
    }

    /// <summary>Returns whether the (trimmed) value is blocked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsBlocked(ReadOnlySpan<char> value)
    {
        // The match path's case: a value that is not padded or quoted, does not start with 0 or -, and whose length is
        // no blocked value's cannot be blocked when there are no patterns. Decided without a call.
        if (value.Length > 0 && !MayBeExact(value.Length) && _patterns.Length == 0
            && IsPlainStart(value[0]) && IsPrintable(value[^1]))
        {
            return false;
        }

        return IsBlockedSlow(value);
    }

    // Printable ASCII other than quotes, zero and dash: no trimming, unquoting or zeros-and-dashes check applies.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPlainStart(char c) => IsPrintable(c) && c is not ('"' or '\'' or '0' or '-');

    // Printable ASCII, space excluded: never trimmed.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPrintable(char c) => (uint)(c - '!') <= '~' - '!';

    internal bool IsBlockedSlow(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        if (value.Length >= 2 && (value[0] == '"' && value[^1] == '"' || value[0] == '\'' && value[^1] == '\''))
        {
            value = value[1..^1].Trim();
        }

        if (value.Length == 0 || MayBeExact(value.Length) && _exactLookup.Contains(value))
        {
            return true;
        }

        if (_blockZerosAndDashes && value.IndexOfAnyExcept('0', '-') < 0)
        {
            return true;
        }

        foreach (var pattern in _patterns)
        {
            if (pattern.IsMatch(value))
            {
                return true;
            }
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MayBeExact(int length) => length < 64 ? (_exactLengths & (1UL << length)) != 0 : _hasLongExact;
}

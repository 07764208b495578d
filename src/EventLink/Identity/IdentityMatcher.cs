namespace EventLink;

/// <summary>What the match path made of one raw identity value.</summary>
internal enum IdentityMatchStatus
{
    /// <summary>The normalised value belongs to a profile.</summary>
    Matched,

    /// <summary>The value is a usable identity that no profile holds yet.</summary>
    Unmatched,

    /// <summary>The value is not a well-formed identity of its kind.</summary>
    Invalid,

    /// <summary>The value is a placeholder that is never an identity.</summary>
    Blocked,
}

/// <summary>
/// The match path of append-only records: normalise a raw relation value, refuse blocked values, look the
/// result up in the tenant's index. The engine, the allocation test and the benchmarks all call this one
/// method, so what is measured is what runs. It allocates nothing.
/// </summary>
internal static class IdentityMatcher
{
    /// <summary>The size of the <c>normalized</c> buffer <see cref="Match"/> needs.</summary>
    public const int BufferLength = IdentityNormalizer.MaxLength + 16;

    /// <summary>Normalises <paramref name="raw"/> and finds the profile holding it.</summary>
    /// <param name="schema">The schema (blocked values).</param>
    /// <param name="index">The tenant's identity index.</param>
    /// <param name="kind">The identity kind of the value.</param>
    /// <param name="raw">The value as it appeared in the record.</param>
    /// <param name="normalized">
    /// At least <see cref="BufferLength"/> characters; holds the normalised value (<paramref name="written"/> long)
    /// when the outcome is <see cref="IdentityMatchStatus.Unmatched"/>, the one case where callers need it.
    /// </param>
    /// <param name="written">The length of the normalised value, or -1 when it is invalid.</param>
    /// <param name="profileId">The matching profile, when <see cref="IdentityMatchStatus.Matched"/>.</param>
    /// <returns>The outcome.</returns>
    /// <remarks>
    /// Runs once per append-only event, so it is kept short: every instruction between two lookups delays the next
    /// lookup's cache misses. An exact-normalised value (user ids, anonymous ids) is looked up in place, trimmed,
    /// and copied out only when no profile holds it.
    /// </remarks>
    public static IdentityMatchStatus Match(
        EventLinkSchema schema,
        IdentityIndex index,
        IdentityKindDefinition kind,
        ReadOnlySpan<char> raw,
        Span<char> normalized,
        out int written,
        out Guid profileId)
    {
        ReadOnlySpan<char> value;
        if (kind.Normalization == IdentityNormalization.Exact)
        {
            written = IdentityNormalizer.TrimmedLength(raw, normalized.Length, out value);
        }
        else
        {
            written = kind.Normalize(raw, normalized);
            value = written < 0 ? default : normalized[..written];
        }

        if (written < 0)
        {
            // A placeholder such as "undefined" is usually malformed too; saying it is blocked is the better reason.
            profileId = Guid.Empty;
            return schema.Blocked.IsBlocked(raw) ? IdentityMatchStatus.Blocked : IdentityMatchStatus.Invalid;
        }

        if (schema.Blocked.IsBlocked(value))
        {
            profileId = Guid.Empty;
            return IdentityMatchStatus.Blocked;
        }

        if (index.TryGet(kind.Name, value, out profileId))
        {
            return IdentityMatchStatus.Matched;
        }

        if (kind.Normalization == IdentityNormalization.Exact)
        {
            value.CopyTo(normalized);
        }

        return IdentityMatchStatus.Unmatched;
    }
}

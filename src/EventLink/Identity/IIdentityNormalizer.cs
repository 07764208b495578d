namespace EventLink;

/// <summary>
/// A custom normalisation of one identity kind: turns a raw value into the key that is compared, stored and looked
/// up. Register one per kind with <see cref="SchemaBuilder.IdentityKind(string, IIdentityNormalizer, int?, int?)"/>.
/// </summary>
/// <remarks>
/// <para>
/// The engine trims surrounding white space first and refuses empty values and values longer than
/// <see cref="IdentityKindLimits.MaxLength"/>; blocked values are refused before and after normalisation. The
/// normaliser runs on every identity value of every record (on the match path of every event), from many threads at
/// once: it must be thread-safe and deterministic (the same value always gives the same key, whatever the order of
/// arrival), and should allocate nothing for the common case.
/// </para>
/// <para>
/// Changing what a normaliser answers for values already stored changes which profiles they match: stored keys are
/// not rewritten.
/// </para>
/// </remarks>
public interface IIdentityNormalizer
{
    /// <summary>Normalises a value of the kind.</summary>
    /// <param name="value">The raw value, trimmed of surrounding white space; never empty.</param>
    /// <param name="destination">
    /// Where to write the normalised key: at least <see cref="IdentityKindLimits.MaxLength"/> characters.
    /// </param>
    /// <param name="charsWritten">The length of the key written, from 1 to <see cref="IdentityKindLimits.MaxLength"/>.</param>
    /// <returns>
    /// <see langword="true"/> when the value is an identity of the kind; <see langword="false"/> when it is not (the
    /// record is then treated as carrying no usable value in that field, with the reason of <see cref="GetInvalidReason"/>).
    /// </returns>
    bool TryNormalize(ReadOnlySpan<char> value, Span<char> destination, out int charsWritten);

    /// <summary>Says why a value is not an identity of the kind. Called only after <see cref="TryNormalize"/> refused it.</summary>
    /// <param name="value">The refused value, trimmed.</param>
    /// <returns>A short reason without the value itself (such as <c>has an unknown country code</c>), or <see langword="null"/> for none.</returns>
    string? GetInvalidReason(ReadOnlySpan<char> value) => null;
}

/// <summary>The limits every identity value is held to, whatever its normalisation.</summary>
public static class IdentityKindLimits
{
    /// <summary>The longest identity value accepted, and the longest normalised key, in characters.</summary>
    public const int MaxLength = IdentityNormalizer.MaxLength;
}

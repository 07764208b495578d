namespace EventLink;

/// <summary>A normalised identity: its kind (<c>email</c>, <c>user_id</c>, …) and normalised value.</summary>
/// <param name="Kind">The identity kind.</param>
/// <param name="Value">The normalised value.</param>
public readonly record struct IdentityKey(string Kind, string Value) : IComparable<IdentityKey>
{
    /// <inheritdoc />
    public int CompareTo(IdentityKey other)
    {
        var byKind = string.CompareOrdinal(Kind, other.Kind);
        return byKind != 0 ? byKind : string.CompareOrdinal(Value, other.Value);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind}:{Value}";
}

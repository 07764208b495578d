
namespace EventLink;

/// <summary>A compiled record type.</summary>
public sealed class RecordType
{
    private RecordType(string name, RecordTypeOptions options, FieldPath recordId, FieldPath occurredAt)
    {
        Name = name;
        Kind = options.Kind;
        Entity = options.Entity.Trim();
        RecordId = recordId;
        OccurredAt = occurredAt;
        OccurredAtFormat = options.OccurredAtFormat;
        IncludeAllFields = options.IncludeAllFields;
        OnUnmatched = options.OnUnmatched;
        TiesIdentities = options.TieIdentities;
    }

    /// <summary>Gets the type's name.</summary>
    public string Name { get; }

    /// <summary>Gets whether the type is merged or append-only.</summary>
    public RecordKind Kind { get; }

    /// <summary>Gets the entity (kind of profile) a merged type describes.</summary>
    public string Entity { get; }

    /// <summary>Gets the selector of the source's record id.</summary>
    public FieldPath RecordId { get; }

    /// <summary>Gets the selector of the occurred-at time.</summary>
    public FieldPath OccurredAt { get; }

    /// <summary>Gets how the occurred-at time is read.</summary>
    public TimestampFormat OccurredAtFormat { get; }

    /// <summary>Gets the selector of the event's name, if any.</summary>
    public FieldPath? EventName { get; private set; }

    /// <summary>Gets the identity fields of a merged type.</summary>
    public IReadOnlyList<IdentityField> Identities { get; private set; } = [];

    /// <summary>Gets the declared attributes of a merged type.</summary>
    public IReadOnlyList<AttributeField> Attributes { get; private set; } = [];

    /// <summary>Gets whether every top-level field of a merged record is also an attribute.</summary>
    public bool IncludeAllFields { get; }

    /// <summary>Gets the relation fields of an append-only type, in the order they are tried.</summary>
    public IReadOnlyList<RelationField> Relations { get; private set; } = [];

    /// <summary>Gets what happens to an append-only record that matches no profile.</summary>
    public UnmatchedPolicy OnUnmatched { get; }

    /// <summary>Gets whether an append-only type's relation values are also identities of its profile, tying them together.</summary>
    public bool TiesIdentities { get; }

    /// <summary>Gets the account memberships of a merged (person) type.</summary>
    public IReadOnlyList<MembershipField> Memberships { get; private set; } = [];

    /// <summary>Gets the member fields of a merged (account) type.</summary>
    public IReadOnlyList<MembershipField> Members { get; private set; } = [];

    /// <summary>Gets selectors of objects whose fields all become attributes.</summary>
    public IReadOnlyList<FieldPath> AttributeObjects { get; private set; } = [];

    /// <summary>Gets whether records of this append-only type assert identities (they tie identities, or may create a profile).</summary>
    internal bool MakesClaims => Kind == RecordKind.AppendOnly && (TiesIdentities || OnUnmatched == UnmatchedPolicy.CreateProfile);

    /// <summary>Gets the single-pass reader of this type's selectors (record id, occurred-at, event name, relations).</summary>
    internal PayloadExtractor Extractor => field ??= PayloadExtractor.Create(this);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Kind})";

    internal static RecordType? Compile(string name, RecordTypeOptions options, Dictionary<string, IdentityKindDefinition> kinds, List<string> errors)
    {
        var before = errors.Count;
        if (!Enum.IsDefined(options.Kind))
        {
            errors.Add($"Record type '{name}': kind '{options.Kind}' is neither Merged nor AppendOnly.");
        }

        if (!EventLinkSchema.IsName(options.Entity))
        {
            errors.Add($"Record type '{name}': entity '{options.Entity}' must be a non-empty name.");
        }

        var recordId = Path(name, "record id", options.RecordId, errors);
        var occurredAt = Path(name, "occurred-at", options.OccurredAt, errors);
        FieldPath? eventName = options.EventName is null ? null : Path(name, "event name", options.EventName, errors);

        var identities = new List<IdentityField>();
        var attributes = new List<AttributeField>();
        var relations = new List<RelationField>();

        if (options.Kind == RecordKind.Merged)
        {
            if (options.Identities.Count == 0)
            {
                errors.Add($"Record type '{name}' is merged but declares no identity field; declare at least one (such as 'email').");
            }

            if (options.Relations.Count > 0)
            {
                errors.Add($"Record type '{name}' is merged; relation fields ('{options.Relations[0].Field}') belong to append-only types.");
            }
        }
        else if (options.Identities.Count > 0)
        {
            errors.Add($"Record type '{name}' is append-only; identity fields ('{options.Identities[0].Field}') belong to merged types — use a relation field.");
        }
        else if (options.Relations.Count == 0)
        {
            errors.Add($"Record type '{name}' is append-only but declares no relation field; declare one (such as 'customer_email' → 'customer').");
        }

        foreach (var identity in options.Identities)
        {
            var path = Path(name, "identity", identity.Field, errors);
            if (!kinds.TryGetValue(identity.Kind ?? string.Empty, out var kind))
            {
                errors.Add($"Record type '{name}': identity field '{identity.Field}' has unknown identity kind '{identity.Kind}'.");
                continue;
            }

            if (path is not null)
            {
                if (identities.Any(i => i.Field.Equals(path) && i.Kind == kind))
                {
                    errors.Add($"Record type '{name}': identity field '{identity.Field}' is declared twice.");
                    continue;
                }

                identities.Add(new IdentityField(path, kind));
            }
        }

        var attributeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in options.Attributes)
        {
            if (string.IsNullOrWhiteSpace(attribute.Name))
            {
                errors.Add($"Record type '{name}': an attribute has no name.");
                continue;
            }

            if (!attributeNames.Add(attribute.Name))
            {
                errors.Add($"Record type '{name}': attribute '{attribute.Name}' is declared twice.");
                continue;
            }

            if (Path(name, $"attribute '{attribute.Name}'", attribute.Field ?? attribute.Name, errors) is { } path)
            {
                attributes.Add(new AttributeField(attribute.Name, path));
            }
        }

        var memberships = new List<MembershipField>();
        if (options.TieIdentities && options.Kind != RecordKind.AppendOnly)
        {
            errors.Add($"Record type '{name}' is merged; TieIdentities applies to append-only types (a merged record's identities always belong together).");
        }

        var members = new List<MembershipField>();
        foreach (var (list, target, what) in new[] { (options.Memberships, memberships, "membership"), (options.Members, members, "member") })
        {
            if (list.Count > 0 && options.Kind != RecordKind.Merged)
            {
                errors.Add($"Record type '{name}' is append-only; {what} fields ('{list[0].Field}') belong to merged types.");
                continue;
            }

            foreach (var membership in list)
            {
                var path = Path(name, what, membership.Field, errors);
                if (!kinds.TryGetValue(membership.IdentityKind ?? string.Empty, out var kind))
                {
                    errors.Add($"Record type '{name}': {what} field '{membership.Field}' has unknown identity kind '{membership.IdentityKind}'.");
                    continue;
                }

                if (string.IsNullOrWhiteSpace(membership.Target))
                {
                    errors.Add($"Record type '{name}': {what} field '{membership.Field}' names no target record type.");
                    continue;
                }

                if (path is not null)
                {
                    target.Add(new MembershipField(path, membership.Target.Trim(), kind));
                }
            }
        }

        var attributeObjects = new List<FieldPath>();
        foreach (var selector in options.AttributeObjects)
        {
            if (Path(name, "attribute object", selector, errors) is { } path)
            {
                attributeObjects.Add(path);
            }
        }

        var relationFields = new HashSet<string>(StringComparer.Ordinal);
        foreach (var relation in options.Relations)
        {
            var path = Path(name, "relation", relation.Field, errors);
            if (!kinds.TryGetValue(relation.IdentityKind ?? string.Empty, out var kind))
            {
                errors.Add($"Record type '{name}': relation field '{relation.Field}' has unknown identity kind '{relation.IdentityKind}'.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(relation.Target))
            {
                errors.Add($"Record type '{name}': relation field '{relation.Field}' names no target record type.");
                continue;
            }

            if (path is not null)
            {
                if (!relationFields.Add(relation.Field + "→" + relation.Target + ":" + kind.Name))
                {
                    errors.Add($"Record type '{name}': relation field '{relation.Field}' is declared twice.");
                    continue;
                }

                relations.Add(new RelationField(relations.Count, path, relation.Target.Trim(), kind));
            }
        }

        if (errors.Count > before || recordId is null || occurredAt is null)
        {
            return null;
        }

        return new RecordType(name, options, recordId, occurredAt)
        {
            EventName = eventName,
            Identities = identities,
            Attributes = attributes,
            Relations = relations,
            Memberships = memberships,
            Members = members,
            AttributeObjects = attributeObjects,
        };
    }

    private static FieldPath? Path(string type, string what, string? selector, List<string> errors)
    {
        if (FieldPath.TryParse(selector, out var path, out var error))
        {
            return path;
        }

        errors.Add($"Record type '{type}': the {what} selector is invalid: {error}");
        return null;
    }
}

/// <summary>An identity field of a merged type.</summary>
/// <param name="Field">The selector.</param>
/// <param name="Kind">The identity kind.</param>
public sealed record IdentityField(FieldPath Field, IdentityKindDefinition Kind);

/// <summary>A declared attribute of a merged type.</summary>
/// <param name="Name">The attribute's name on the profile.</param>
/// <param name="Field">The selector.</param>
public sealed record AttributeField(string Name, FieldPath Field);

/// <summary>A relation field of an append-only type.</summary>
public sealed class RelationField
{
    internal RelationField(int index, FieldPath field, string targetName, IdentityKindDefinition identityKind)
    {
        Index = index;
        Field = field;
        TargetName = targetName;
        IdentityKind = identityKind;
    }

    /// <summary>Gets the position of the relation among its type's relations (0 is tried first).</summary>
    public int Index { get; }

    /// <summary>Gets the selector.</summary>
    public FieldPath Field { get; }

    /// <summary>Gets the name of the merged record type it points at.</summary>
    public string TargetName { get; }

    /// <summary>Gets the merged record type it points at (set once the schema is validated).</summary>
    public RecordType? Target { get; internal set; }

    /// <summary>Gets the identity kind of the value.</summary>
    public IdentityKindDefinition IdentityKind { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Field} → {TargetName} ({IdentityKind.Name})";
}

/// <summary>A membership field of a merged (person) type: the account the person belongs to.</summary>
public sealed class MembershipField
{
    internal MembershipField(FieldPath field, string targetName, IdentityKindDefinition identityKind)
    {
        Field = field;
        TargetName = targetName;
        IdentityKind = identityKind;
    }

    /// <summary>Gets the selector.</summary>
    public FieldPath Field { get; }

    /// <summary>Gets the name of the account record type.</summary>
    public string TargetName { get; }

    /// <summary>Gets the account record type (set once the schema is validated).</summary>
    public RecordType? Target { get; internal set; }

    /// <summary>Gets the identity kind of the value.</summary>
    public IdentityKindDefinition IdentityKind { get; }
}

/// <summary>A compiled identity kind.</summary>
public sealed class IdentityKindDefinition
{
    private readonly IIdentityNormalizer? _normalizer;

    internal IdentityKindDefinition(string name, IdentityNormalization normalization, int priority = 10, int maxPerProfile = int.MaxValue, IIdentityNormalizer? normalizer = null)
    {
        Name = name;
        Normalization = normalization;
        Priority = priority;
        MaxPerProfile = maxPerProfile;
        _normalizer = normalizer;
    }

    /// <summary>Gets the kind's name.</summary>
    public string Name { get; }

    /// <summary>Gets how values are normalised (<see cref="IdentityNormalization.Custom"/> for a registered <see cref="IIdentityNormalizer"/>).</summary>
    public IdentityNormalization Normalization { get; }

    /// <summary>Gets the kind's priority (1 is highest).</summary>
    public int Priority { get; }

    /// <summary>Gets the most identities of this kind one profile may hold (<see cref="int.MaxValue"/>: no limit).</summary>
    public int MaxPerProfile { get; }

    /// <summary>Normalises a raw value: trimmed, then the kind's rule.</summary>
    /// <returns>The length of the key written to <paramref name="destination"/>, or -1 when the value is not an identity of the kind.</returns>
    internal int Normalize(ReadOnlySpan<char> raw, Span<char> destination)
    {
        if (IdentityNormalizer.TrimmedLength(raw, destination.Length, out var value) < 0)
        {
            return -1;
        }

        // The text rules are called directly (the match path of nearly every event); phone numbers and custom rules
        // go through their normaliser.
        if (_normalizer is null)
        {
            return IdentityNormalizer.NormalizeTrimmed(Normalization, value, destination);
        }

        return _normalizer.TryNormalize(value, destination, out var written) && written is > 0 and <= IdentityNormalizer.MaxLength && written <= destination.Length
            ? written
            : -1;
    }

    /// <summary>Says why a raw value is not an identity of the kind (after <see cref="Normalize"/> refused it), when the rule can tell.</summary>
    internal string? DescribeInvalid(ReadOnlySpan<char> raw)
    {
        if (IdentityNormalizer.DescribeLength(raw) is { } length)
        {
            return length;
        }

        var value = IdentityNormalizer.Trim(raw);
        return _normalizer is not null
            ? _normalizer.GetInvalidReason(value)
            : Normalization == IdentityNormalization.Email ? IdentityNormalizer.DescribeInvalidEmail(value) : null;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>A compiled merge rule.</summary>
public sealed class MergeRule
{
    internal MergeRule(MergeRuleKind kind, IReadOnlyList<string> sources)
    {
        Kind = kind;
        Sources = sources;
    }

    /// <summary>Gets the most-recent-wins rule.</summary>
    public static MergeRule MostRecent { get; } = new(MergeRuleKind.MostRecent, []);

    /// <summary>Gets the rule.</summary>
    public MergeRuleKind Kind { get; }

    /// <summary>Gets the source priority, for <see cref="MergeRuleKind.SourcePriority"/>.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <inheritdoc />
    public override string ToString() => Kind == MergeRuleKind.SourcePriority ? $"SourcePriority({string.Join(", ", Sources)})" : Kind.ToString();
}

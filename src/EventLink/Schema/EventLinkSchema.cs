using System.Collections.Frozen;

namespace EventLink;

/// <summary>A validated, compiled schema: the record types, identity kinds, merge rules and blocked values.</summary>
public sealed class EventLinkSchema
{
    private readonly FrozenDictionary<string, RecordType> _recordTypes;
    private readonly FrozenDictionary<string, IdentityKindDefinition> _identityKinds;
    private readonly FrozenDictionary<string, MergeRule> _mergeRules;

    private EventLinkSchema(
        FrozenDictionary<string, RecordType> recordTypes,
        FrozenDictionary<string, IdentityKindDefinition> identityKinds,
        FrozenDictionary<string, MergeRule> mergeRules,
        MergeRule defaultMergeRule,
        BlockedValueFilter blocked)
    {
        _recordTypes = recordTypes;
        _identityKinds = identityKinds;
        _mergeRules = mergeRules;
        DefaultMergeRule = defaultMergeRule;
        Blocked = blocked;
    }

    /// <summary>Gets the record types, by name.</summary>
    public IReadOnlyDictionary<string, RecordType> RecordTypes => _recordTypes;

    /// <summary>Gets the identity kinds, by name.</summary>
    public IReadOnlyDictionary<string, IdentityKindDefinition> IdentityKinds => _identityKinds;

    /// <summary>Gets the merge rule of attributes that have none of their own.</summary>
    public MergeRule DefaultMergeRule { get; }

    internal BlockedValueFilter Blocked { get; }

    /// <summary>Gets a copy of the options the schema was made from.</summary>
    internal EventLinkSchemaOptions SourceOptions { get; private init; } = new();

    /// <summary>Copies schema options deeply (custom normalisers, which are code, are shared).</summary>
    internal static EventLinkSchemaOptions Clone(EventLinkSchemaOptions options)
    {
        var clone = System.Text.Json.JsonSerializer.Deserialize(
            System.Text.Json.JsonSerializer.Serialize(options, Internal.EventLinkJsonContext.Default.EventLinkSchemaOptions),
            Internal.EventLinkJsonContext.Default.EventLinkSchemaOptions)!;
        foreach (var (name, kind) in options.IdentityKinds)
        {
            if (kind?.Normalizer is { } normalizer && clone.IdentityKinds.TryGetValue(name, out var copy))
            {
                copy.Normalizer = normalizer;
            }
        }

        return clone;
    }

    /// <summary>Gets the most merges that may form one profile.</summary>
    public int MaxMergesPerProfile { get; private init; } = 100;

    /// <summary>Creates a schema with the fluent builder.</summary>
    /// <param name="configure">Defines the schema.</param>
    /// <returns>The validated schema.</returns>
    /// <exception cref="SchemaValidationException">The schema is invalid.</exception>
    public static EventLinkSchema Create(Action<SchemaBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new SchemaBuilder();
        configure(builder);
        return builder.Build();
    }

    /// <summary>Validates and compiles schema options.</summary>
    /// <param name="options">The options, written by <see cref="SchemaBuilder"/> or bound from configuration.</param>
    /// <returns>The validated schema.</returns>
    /// <exception cref="SchemaValidationException">The schema is invalid; every problem is listed.</exception>
    public static EventLinkSchema Create(EventLinkSchemaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        var phones = PhoneNormalizerOf(options, errors);
        var builtIn = new Dictionary<string, (IdentityNormalization Normalization, int Priority, int Max)>(StringComparer.Ordinal)
        {
            [EventLink.IdentityKinds.UserId] = (IdentityNormalization.Exact, 1, 1),
            [EventLink.IdentityKinds.Email] = (IdentityNormalization.Email, 2, 5),
            [EventLink.IdentityKinds.Phone] = (IdentityNormalization.Phone, 3, 5),
            [EventLink.IdentityKinds.AnonymousId] = (IdentityNormalization.Exact, 4, 100),
        };
        IdentityKindDefinition Kind(string name, IdentityNormalization normalization, int priority, int max, IIdentityNormalizer? custom) =>
            new(name, normalization, priority, max, custom ?? (normalization == IdentityNormalization.Phone ? phones : null));

        var kinds = builtIn.ToDictionary(p => p.Key, p => Kind(p.Key, p.Value.Normalization, p.Value.Priority, p.Value.Max, null), StringComparer.Ordinal);
        foreach (var (name, kind) in options.IdentityKinds)
        {
            if (!IsName(name))
            {
                errors.Add($"Identity kind '{name}' must be a non-empty name of letters, digits, '_', '-' or '.'.");
                continue;
            }

            if (kind is null)
            {
                errors.Add($"Identity kind '{name}' has no definition.");
                continue;
            }

            var defaults = builtIn.TryGetValue(name, out var b) ? b : (IdentityNormalization.Exact, 10, int.MaxValue);
            if (kind.Normalization is { } n && !Enum.IsDefined(n))
            {
                errors.Add($"Identity kind '{name}' has unknown normalization '{n}'.");
                continue;
            }

            if (kind.Normalizer is null && kind.Normalization == IdentityNormalization.Custom)
            {
                errors.Add($"Identity kind '{name}' has normalization Custom but no normalizer; register one with SchemaBuilder.IdentityKind(name, normalizer).");
                continue;
            }

            if (kind.Normalizer is not null && kind.Normalization is { } other && other != IdentityNormalization.Custom)
            {
                errors.Add($"Identity kind '{name}' has both a custom normalizer and normalization {other}; set one.");
                continue;
            }

            if (kind.Priority is < 1)
            {
                errors.Add($"Identity kind '{name}' has priority {kind.Priority}; priorities start at 1 (highest).");
                continue;
            }

            var max = kind.MaxPerProfile is { } m ? (m <= 0 ? int.MaxValue : m) : defaults.Item3;
            var normalization = kind.Normalizer is not null ? IdentityNormalization.Custom : kind.Normalization ?? defaults.Item1;
            kinds[name] = Kind(name, normalization, kind.Priority ?? defaults.Item2, max, kind.Normalizer);
        }

        var mergeRules = new Dictionary<string, MergeRule>(StringComparer.Ordinal);
        foreach (var (attribute, rule) in options.MergeRules)
        {
            if (CompileRule(rule, $"The merge rule of attribute '{attribute}'", errors) is { } compiled)
            {
                mergeRules[attribute] = compiled;
            }
        }

        var defaultRule = CompileRule(options.DefaultMergeRule ?? new MergeRuleOptions(), "The default merge rule", errors) ?? MergeRule.MostRecent;

        if (options.RecordTypes.Count == 0)
        {
            errors.Add("The schema declares no record types.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var types = new Dictionary<string, RecordType>(StringComparer.Ordinal);
        var kindEntity = new Dictionary<string, (string Entity, string Type)>(StringComparer.Ordinal);
        foreach (var (name, type) in options.RecordTypes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!IsName(name))
            {
                errors.Add($"Record type '{name}' must be a non-empty name of letters, digits, '_', '-' or '.'.");
                continue;
            }

            if (!names.Add(name))
            {
                errors.Add($"Record type '{name}' is declared twice (names are compared case-insensitively).");
                continue;
            }

            if (type is null)
            {
                errors.Add($"Record type '{name}' has no definition.");
                continue;
            }

            var compiled = RecordType.Compile(name, type, kinds, errors);
            if (compiled is null)
            {
                continue;
            }

            types[name] = compiled;
            foreach (var identity in compiled.Identities)
            {
                if (kindEntity.TryGetValue(identity.Kind.Name, out var owner) && owner.Entity != compiled.Entity)
                {
                    errors.Add($"Record type '{name}' uses identity kind '{identity.Kind.Name}' for entity '{compiled.Entity}', but record type '{owner.Type}' uses it for entity '{owner.Entity}'; give each entity its own identity kind.");
                }
                else
                {
                    kindEntity.TryAdd(identity.Kind.Name, (compiled.Entity, name));
                }
            }
        }

        foreach (var type in types.Values)
        {
            foreach (var relation in type.Relations)
            {
                if (!types.TryGetValue(relation.TargetName, out var target))
                {
                    errors.Add($"Record type '{type.Name}': relation field '{relation.Field}' points at unknown record type '{relation.TargetName}'.");
                    continue;
                }

                if (target.Kind != RecordKind.Merged)
                {
                    errors.Add($"Record type '{type.Name}': relation field '{relation.Field}' points at '{target.Name}', which is append-only; relations point at merged record types.");
                    continue;
                }

                if (!target.Identities.Any(i => i.Kind.Name == relation.IdentityKind.Name))
                {
                    errors.Add($"Record type '{type.Name}': relation field '{relation.Field}' matches '{target.Name}' by identity kind '{relation.IdentityKind.Name}', but '{target.Name}' declares no identity of that kind.");
                    continue;
                }

                relation.Target = target;
            }

            foreach (var (membership, what) in type.Memberships.Select(m => (m, "membership")).Concat(type.Members.Select(m => (m, "member"))))
            {
                if (!types.TryGetValue(membership.TargetName, out var target) || target.Kind != RecordKind.Merged)
                {
                    errors.Add($"Record type '{type.Name}': {what} field '{membership.Field}' points at '{membership.TargetName}', which is not a merged record type.");
                    continue;
                }

                if (target.Entity == type.Entity)
                {
                    errors.Add($"Record type '{type.Name}': {what} field '{membership.Field}' points at '{target.Name}' of the same entity '{type.Entity}'; a membership ties a person to an account of another entity.");
                    continue;
                }

                if (!target.Identities.Any(i => i.Kind.Name == membership.IdentityKind.Name))
                {
                    errors.Add($"Record type '{type.Name}': {what} field '{membership.Field}' matches '{target.Name}' by identity kind '{membership.IdentityKind.Name}', but '{target.Name}' declares no identity of that kind.");
                    continue;
                }

                membership.Target = target;
            }

            var entities = type.Relations.Where(r => r.Target is not null).Select(r => r.Target!.Entity).Distinct(StringComparer.Ordinal).ToList();
            if (entities.Count > 1)
            {
                errors.Add($"Record type '{type.Name}': its relation fields point at different entities ({string.Join(", ", entities)}); an append-only record links to one profile, so its relations must all point at one entity.");
            }
        }

        if (errors.Count > 0)
        {
            throw new SchemaValidationException(errors);
        }

        if (options.MaxMergesPerProfile < 1)
        {
            throw new SchemaValidationException([$"MaxMergesPerProfile must be at least 1 (was {options.MaxMergesPerProfile})."]);
        }

        var blocked = new BlockedValueFilter(options.BlockedValues, options.BlockedPatterns, options.UseDefaultBlockedValues);
        return new EventLinkSchema(
            types.ToFrozenDictionary(StringComparer.Ordinal),
            kinds.ToFrozenDictionary(StringComparer.Ordinal),
            mergeRules.ToFrozenDictionary(StringComparer.Ordinal),
            defaultRule,
            blocked)
        {
            MaxMergesPerProfile = options.MaxMergesPerProfile,
            SourceOptions = Clone(options),
        };
    }

    /// <summary>Gets a record type by name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="recordType">The record type, when found.</param>
    /// <returns><see langword="true"/> when the schema has the type.</returns>
    public bool TryGetRecordType(string name, out RecordType recordType) => _recordTypes.TryGetValue(name, out recordType!);

    /// <summary>Gets the merge rule of an attribute.</summary>
    /// <param name="attribute">The attribute's name.</param>
    /// <returns>Its rule, or <see cref="DefaultMergeRule"/>.</returns>
    public MergeRule GetMergeRule(string attribute) => _mergeRules.TryGetValue(attribute, out var rule) ? rule : DefaultMergeRule;

    /// <summary>Normalises an identity value of a kind.</summary>
    /// <param name="kind">The identity kind.</param>
    /// <param name="raw">The raw value.</param>
    /// <param name="key">The normalised key when the value is a usable identity.</param>
    /// <returns><see langword="true"/> when the value is a usable identity: well formed and not blocked.</returns>
    public bool TryNormalize(string kind, string? raw, out IdentityKey key)
    {
        key = default;
        if (raw is null || !_identityKinds.TryGetValue(kind, out var definition))
        {
            return false;
        }

        if (Blocked.IsBlocked(raw))
        {
            return false;
        }

        Span<char> buffer = stackalloc char[IdentityNormalizer.MaxLength + 16];
        var written = definition.Normalize(raw, buffer);
        if (written < 0 || Blocked.IsBlocked(buffer[..written]))
        {
            return false;
        }

        key = new IdentityKey(kind, new string(buffer[..written]));
        return true;
    }

    /// <summary>Says why a raw value is not a usable identity of a kind (after <see cref="TryNormalize"/> refused it).</summary>
    /// <returns>A short reason, such as <c>blocked</c> or <c>has an unknown country code</c>.</returns>
    internal string DescribeUnusable(IdentityKindDefinition kind, ReadOnlySpan<char> raw)
    {
        if (Blocked.IsBlocked(raw))
        {
            return "blocked";
        }

        Span<char> buffer = stackalloc char[IdentityNormalizer.MaxLength + 16];
        return kind.Normalize(raw, buffer) < 0 ? kind.DescribeInvalid(raw) ?? "malformed" : "blocked";
    }

    /// <summary>The phone normaliser of the schema: its default region from the options, checked.</summary>
    private static PhoneNormalizer PhoneNormalizerOf(EventLinkSchemaOptions options, List<string> errors)
    {
        if (!string.IsNullOrWhiteSpace(options.DefaultPhoneRegion))
        {
            var region = options.DefaultPhoneRegion.Trim().ToUpperInvariant();
            if (PhoneNormalizer.IsKnownRegion(region))
            {
                return new PhoneNormalizer(region);
            }

            errors.Add($"DefaultPhoneRegion '{options.DefaultPhoneRegion}' is not a region code libphonenumber knows (ISO 3166-1 alpha-2, such as GB or US).");
        }
        else if (!string.IsNullOrWhiteSpace(options.DefaultPhoneCountryCode))
        {
            if (PhoneNormalizer.RegionOfCallingCode(options.DefaultPhoneCountryCode) is { } region)
            {
                return new PhoneNormalizer(region);
            }

            errors.Add($"DefaultPhoneCountryCode '{options.DefaultPhoneCountryCode}' is not a country calling code (such as 1 or 44).");
        }

        return new PhoneNormalizer(null);
    }

    internal static bool IsName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private static MergeRule? CompileRule(MergeRuleOptions rule, string what, List<string> errors)
    {
        if (!Enum.IsDefined(rule.Rule))
        {
            errors.Add($"{what} is not a known rule ('{rule.Rule}').");
            return null;
        }

        if (rule.Rule == MergeRuleKind.SourcePriority && rule.Sources.Count == 0)
        {
            errors.Add($"{what} is SourcePriority but lists no sources.");
            return null;
        }

        return new MergeRule(rule.Rule, rule.Sources.Select(s => s.Trim()).ToArray());
    }
}


namespace EventLink;

/// <summary>Fluent definition of a schema in C#; it writes the same <see cref="EventLinkSchemaOptions"/> that configuration binds.</summary>
public sealed class SchemaBuilder
{
    /// <summary>Initializes a new instance of the <see cref="SchemaBuilder"/> class.</summary>
    /// <param name="options">The options to write into; a new instance when <see langword="null"/>.</param>
    public SchemaBuilder(EventLinkSchemaOptions? options = null) => Options = options ?? new EventLinkSchemaOptions();

    /// <summary>Gets the options being written.</summary>
    public EventLinkSchemaOptions Options { get; }

    /// <summary>Adds (or extends) a merged record type: state such as a customer, contact or company.</summary>
    /// <param name="name">The record type's name.</param>
    /// <param name="configure">Configures the type.</param>
    /// <returns>This builder.</returns>
    public SchemaBuilder Merged(string name, Action<MergedRecordTypeBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(new MergedRecordTypeBuilder(GetOrAdd(name, RecordKind.Merged)));
        return this;
    }

    /// <summary>Adds (or extends) an append-only record type: occurrences such as a charge, ticket or page view.</summary>
    /// <param name="name">The record type's name.</param>
    /// <param name="configure">Configures the type.</param>
    /// <returns>This builder.</returns>
    public SchemaBuilder AppendOnly(string name, Action<AppendOnlyRecordTypeBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(new AppendOnlyRecordTypeBuilder(GetOrAdd(name, RecordKind.AppendOnly)));
        return this;
    }

    /// <summary>Sets the merge rule of one attribute.</summary>
    /// <param name="attribute">The attribute's name.</param>
    /// <param name="rule">The rule.</param>
    /// <param name="sources">The source priority, for <see cref="MergeRuleKind.SourcePriority"/>.</param>
    /// <returns>This builder.</returns>
    public SchemaBuilder MergeRule(string attribute, MergeRuleKind rule, params string[] sources)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(attribute);
        var options = new MergeRuleOptions { Rule = rule };
        options.Sources.AddRange(sources);
        Options.MergeRules[attribute] = options;
        return this;
    }

    /// <summary>Sets the merge rule of attributes that have none of their own.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="sources">The source priority, for <see cref="MergeRuleKind.SourcePriority"/>.</param>
    /// <returns>This builder.</returns>
    public SchemaBuilder DefaultMergeRule(MergeRuleKind rule, params string[] sources)
    {
        var options = new MergeRuleOptions { Rule = rule };
        options.Sources.AddRange(sources);
        Options.DefaultMergeRule = options;
        return this;
    }

    /// <summary>Declares (or overrides) an identity kind.</summary>
    /// <param name="name">The kind's name.</param>
    /// <param name="normalization">How its values are normalised.</param>
    /// <param name="priority">Its priority (1 is highest); the built-in or default one when <see langword="null"/>.</param>
    /// <param name="maxPerProfile">The most identities of the kind one profile may hold (0: no limit); the default when <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    public SchemaBuilder IdentityKind(string name, IdentityNormalization? normalization = null, int? priority = null, int? maxPerProfile = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Options.IdentityKinds[name] = new IdentityKindOptions { Normalization = normalization, Priority = priority, MaxPerProfile = maxPerProfile };
        return this;
    }

    /// <summary>Declares (or overrides) an identity kind whose values a custom normaliser turns into keys.</summary>
    /// <param name="name">The kind's name (a built-in one, such as <c>email</c>, is replaced).</param>
    /// <param name="normalizer">The normaliser: thread-safe and deterministic.</param>
    /// <param name="priority">Its priority (1 is highest); the built-in or default one when <see langword="null"/>.</param>
    /// <param name="maxPerProfile">The most identities of the kind one profile may hold (0: no limit); the default when <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in a required parameter (IdentityNormalization? or IIdentityNormalizer), so no call can bind to two of them.")]
    public SchemaBuilder IdentityKind(string name, IIdentityNormalizer normalizer, int? priority = null, int? maxPerProfile = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(normalizer);
        Options.IdentityKinds[name] = new IdentityKindOptions { Normalizer = normalizer, Priority = priority, MaxPerProfile = maxPerProfile };
        return this;
    }

    /// <summary>Sets the region in which phone numbers written without a country code are read.</summary>
    /// <param name="region">An ISO 3166-1 alpha-2 region code, such as <c>GB</c> or <c>US</c>.</param>
    /// <returns>This builder.</returns>
    public SchemaBuilder DefaultPhoneRegion(string region)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        Options.DefaultPhoneRegion = region;
        return this;
    }

    /// <summary>Sets the most merges that may form one profile.</summary>
    /// <param name="max">The limit (at least 1).</param>
    /// <returns>This builder.</returns>
    public SchemaBuilder MaxMergesPerProfile(int max)
    {
        Options.MaxMergesPerProfile = max;
        return this;
    }

    /// <summary>Adds values that are never identities.</summary>
    /// <param name="values">The values, compared case-insensitively.</param>
    /// <returns>This builder.</returns>
    public SchemaBuilder BlockValues(params string[] values)
    {
        Options.BlockedValues.AddRange(values);
        return this;
    }

    /// <summary>Adds a regular expression whose matching values are never identities.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>This builder.</returns>
    public SchemaBuilder BlockPattern(string pattern)
    {
        Options.BlockedPatterns.Add(pattern);
        return this;
    }

    /// <summary>Validates and compiles the schema.</summary>
    /// <returns>The schema.</returns>
    /// <exception cref="SchemaValidationException">The schema is invalid.</exception>
    public EventLinkSchema Build() => EventLinkSchema.Create(Options);

    private RecordTypeOptions GetOrAdd(string name, RecordKind kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!Options.RecordTypes.TryGetValue(name, out var type))
        {
            type = new RecordTypeOptions { Kind = kind };
            Options.RecordTypes[name] = type;
        }
        else if (type.Kind != kind)
        {
            throw new SchemaValidationException($"Record type '{name}' is declared both as {type.Kind} and as {kind}.");
        }

        return type;
    }
}

/// <summary>Shared configuration of a record type.</summary>
/// <typeparam name="TSelf">The concrete builder.</typeparam>
public abstract class RecordTypeBuilder<TSelf>
    where TSelf : RecordTypeBuilder<TSelf>
{
    private protected RecordTypeBuilder(RecordTypeOptions options) => Options = options;

    /// <summary>Gets the options being written.</summary>
    public RecordTypeOptions Options { get; }

    /// <summary>Sets the selector of the source's record id.</summary>
    /// <param name="selector">The selector, such as <c>id</c> or <c>data.object.id</c>.</param>
    /// <returns>This builder.</returns>
    public TSelf RecordId(string selector)
    {
        Options.RecordId = selector;
        return (TSelf)this;
    }

    /// <summary>Sets the selector of when the record happened and how it is written.</summary>
    /// <param name="selector">The selector, such as <c>created</c>.</param>
    /// <param name="format">How the value is read.</param>
    /// <returns>This builder.</returns>
    public TSelf OccurredAt(string selector, TimestampFormat format = TimestampFormat.Auto)
    {
        Options.OccurredAt = selector;
        Options.OccurredAtFormat = format;
        return (TSelf)this;
    }

    /// <summary>Sets the selector of the event's name shown on timelines.</summary>
    /// <param name="selector">The selector, such as <c>type</c>.</param>
    /// <returns>This builder.</returns>
    public TSelf EventName(string selector)
    {
        Options.EventName = selector;
        return (TSelf)this;
    }
}

/// <summary>Configures a merged record type.</summary>
public sealed class MergedRecordTypeBuilder : RecordTypeBuilder<MergedRecordTypeBuilder>
{
    internal MergedRecordTypeBuilder(RecordTypeOptions options)
        : base(options)
    {
    }

    /// <summary>Sets the kind of profile this type describes; types of the same entity unify.</summary>
    /// <param name="entity">The entity, such as <c>person</c> (the default) or <c>account</c>.</param>
    /// <returns>This builder.</returns>
    public MergedRecordTypeBuilder Entity(string entity)
    {
        Options.Entity = entity;
        return this;
    }

    /// <summary>Declares a field that identifies the profile.</summary>
    /// <param name="selector">The field's selector.</param>
    /// <param name="kind">The identity kind, such as <see cref="IdentityKinds.Email"/>.</param>
    /// <returns>This builder.</returns>
    public MergedRecordTypeBuilder Identity(string selector, string kind = IdentityKinds.Email)
    {
        Options.Identities.Add(new IdentityFieldOptions { Field = selector, Kind = kind });
        return this;
    }

    /// <summary>Declares an attribute taken from a selector.</summary>
    /// <param name="name">The attribute's name on the profile.</param>
    /// <param name="selector">The selector; the top-level field <paramref name="name"/> when <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    public MergedRecordTypeBuilder Attribute(string name, string? selector = null)
    {
        Options.Attributes.Add(new AttributeOptions { Name = name, Field = selector });
        return this;
    }

    /// <summary>Declares that the person belongs to an account (company) named by a field.</summary>
    /// <param name="selector">The field's selector, such as <c>company_id</c>.</param>
    /// <param name="accountType">The merged account record type, such as <c>company</c>.</param>
    /// <param name="identityKind">The identity kind of the value; the account type must declare it.</param>
    /// <returns>This builder.</returns>
    public MergedRecordTypeBuilder MemberOf(string selector, string accountType, string identityKind)
    {
        Options.Memberships.Add(new MembershipOptions { Field = selector, Target = accountType, IdentityKind = identityKind });
        return this;
    }

    /// <summary>Declares a member of this account type: a field holding the identity of a person who belongs to it.</summary>
    /// <param name="selector">The field's selector, such as <c>userId</c>.</param>
    /// <param name="personType">A merged person record type declaring that identity kind.</param>
    /// <param name="identityKind">The identity kind of the value.</param>
    /// <returns>This builder.</returns>
    public MergedRecordTypeBuilder HasMember(string selector, string personType, string identityKind)
    {
        Options.Members.Add(new MembershipOptions { Field = selector, Target = personType, IdentityKind = identityKind });
        return this;
    }

    /// <summary>Makes every field of an object an attribute of the same name (such as Segment's <c>traits</c>).</summary>
    /// <param name="selector">The object's selector.</param>
    /// <returns>This builder.</returns>
    public MergedRecordTypeBuilder AttributesFrom(string selector)
    {
        Options.AttributeObjects.Add(selector);
        return this;
    }

    /// <summary>Sets whether every top-level field also becomes an attribute (on by default).</summary>
    /// <param name="include">Whether to include them.</param>
    /// <returns>This builder.</returns>
    public MergedRecordTypeBuilder IncludeAllFields(bool include = true)
    {
        Options.IncludeAllFields = include;
        return this;
    }
}

/// <summary>Configures an append-only record type.</summary>
public sealed class AppendOnlyRecordTypeBuilder : RecordTypeBuilder<AppendOnlyRecordTypeBuilder>
{
    internal AppendOnlyRecordTypeBuilder(RecordTypeOptions options)
        : base(options)
    {
    }

    /// <summary>Adds a relation field; relations are tried in the order they are added.</summary>
    /// <param name="selector">The field's selector, such as <c>customer_email</c>.</param>
    /// <param name="target">The merged record type it points at, such as <c>customer</c>.</param>
    /// <param name="identityKind">The identity kind of the value.</param>
    /// <returns>This builder.</returns>
    public AppendOnlyRecordTypeBuilder RelatesTo(string selector, string target, string identityKind = IdentityKinds.Email)
    {
        Options.Relations.Add(new RelationOptions { Field = selector, Target = target, IdentityKind = identityKind });
        return this;
    }

    /// <summary>Makes the record's relation values identities of the profile it links to, tying them together (anonymous id and user id on one tracked event).</summary>
    /// <param name="tie">Whether to tie them.</param>
    /// <returns>This builder.</returns>
    public AppendOnlyRecordTypeBuilder TiesIdentities(bool tie = true)
    {
        Options.TieIdentities = tie;
        return this;
    }

    /// <summary>Sets what happens when no relation matches a profile.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    public AppendOnlyRecordTypeBuilder WhenUnmatched(UnmatchedPolicy policy)
    {
        Options.OnUnmatched = policy;
        return this;
    }
}

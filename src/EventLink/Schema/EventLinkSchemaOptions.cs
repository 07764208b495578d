using System.ComponentModel.DataAnnotations;

namespace EventLink;

/// <summary>
/// The schema as plain, mutable options: what the fluent <see cref="SchemaBuilder"/> writes and what
/// <c>appsettings.json</c> binds to (section <c>EventLink:Schema</c> by convention).
/// </summary>
public sealed class EventLinkSchemaOptions
{
    /// <summary>Gets the record types by name.</summary>
    public Dictionary<string, RecordTypeOptions> RecordTypes { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the merge rules by attribute name; attributes without one use <see cref="DefaultMergeRule"/>.</summary>
    public Dictionary<string, MergeRuleOptions> MergeRules { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the merge rule of attributes that have none of their own.</summary>
    /// <value>The default value is <see cref="MergeRuleKind.MostRecent"/>.</value>
    public MergeRuleOptions DefaultMergeRule { get; set; } = new();

    /// <summary>Gets the identity kinds beyond the built-in ones, or overrides of them, by name.</summary>
    public Dictionary<string, IdentityKindOptions> IdentityKinds { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets values that are never identities, compared case-insensitively after trimming.</summary>
    public List<string> BlockedValues { get; } = [];

    /// <summary>Gets regular expressions whose matching values are never identities.</summary>
    public List<string> BlockedPatterns { get; } = [];

    /// <summary>Gets or sets whether the built-in blocked values apply (empty, <c>null</c>, <c>undefined</c>, <c>0</c>, <c>anonymous</c>, <c>guest</c>, <c>NaN</c>, <c>[object Object]</c>, <c>-1</c>, zeros and dashes only, and their quoted forms).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseDefaultBlockedValues { get; set; } = true;

    /// <summary>Gets or sets the most merges that may form one profile; a merge beyond it is refused and recorded as a conflict.</summary>
    /// <value>The default value is 100.</value>
    [Range(1, int.MaxValue)]
    public int MaxMergesPerProfile { get; set; } = 100;

    /// <summary>
    /// Gets or sets the country calling code (such as <c>1</c> or <c>44</c>) of phone numbers written without one: they
    /// are read in that code's main region (<c>44</c> is <c>GB</c>). <see cref="DefaultPhoneRegion"/> wins when both are set.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: such numbers are not identities.</value>
    public string? DefaultPhoneCountryCode { get; set; }

    /// <summary>
    /// Gets or sets the region (ISO 3166-1 alpha-2, such as <c>GB</c> or <c>US</c>) in which phone numbers written
    /// without a country code are read: <c>020 7946 0958</c> in <c>GB</c> is <c>+442079460958</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: <see cref="DefaultPhoneCountryCode"/>'s region, or none (such numbers are then not identities).</value>
    public string? DefaultPhoneRegion { get; set; }
}

/// <summary>One record type: how to read its records and how they link.</summary>
public sealed class RecordTypeOptions
{
    /// <summary>Gets or sets whether the type is merged (state) or append-only (occurrences).</summary>
    /// <value>The default value is <see cref="RecordKind.AppendOnly"/>.</value>
    public RecordKind Kind { get; set; } = RecordKind.AppendOnly;

    /// <summary>Gets or sets the kind of profile a merged type describes; merged types of the same entity unify into the same profiles.</summary>
    /// <value>The default value is <c>person</c>.</value>
    public string Entity { get; set; } = "person";

    /// <summary>Gets or sets the selector of the source's id of the record.</summary>
    /// <value>The default value is <c>id</c>.</value>
    [Required]
    public string RecordId { get; set; } = "id";

    /// <summary>Gets or sets the selector of when the record happened (or was last changed, for merged types).</summary>
    /// <value>The default value is <c>created</c>.</value>
    [Required]
    public string OccurredAt { get; set; } = "created";

    /// <summary>Gets or sets how <see cref="OccurredAt"/> is read.</summary>
    /// <value>The default value is <see cref="TimestampFormat.Auto"/>.</value>
    public TimestampFormat OccurredAtFormat { get; set; } = TimestampFormat.Auto;

    /// <summary>Gets or sets an optional selector of the event's name (such as Stripe's <c>type</c>) shown on timelines.</summary>
    /// <value>The default value is <see langword="null"/>: the record type's name is used.</value>
    public string? EventName { get; set; }

    /// <summary>Gets the identity fields of a merged type.</summary>
    public List<IdentityFieldOptions> Identities { get; } = [];

    /// <summary>Gets the attributes a merged type contributes, each from a selector.</summary>
    public List<AttributeOptions> Attributes { get; } = [];

    /// <summary>Gets selectors of objects whose fields all become attributes of the same names (such as Segment's <c>traits</c>).</summary>
    public List<string> AttributeObjects { get; } = [];

    /// <summary>Gets or sets whether every top-level field of a merged record also becomes an attribute of the same name.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool IncludeAllFields { get; set; } = true;

    /// <summary>Gets the relation fields of an append-only type, tried in order: the first that matches a profile links the record.</summary>
    public List<RelationOptions> Relations { get; } = [];

    /// <summary>
    /// Gets or sets whether the usable values of an append-only type's relation fields are also identities of the
    /// profile it links to, tying them together (as a tracked event carrying both a user id and an anonymous id does).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool TieIdentities { get; set; }

    /// <summary>Gets the account memberships a merged (person) type declares: fields naming the account the person belongs to.</summary>
    public List<MembershipOptions> Memberships { get; } = [];

    /// <summary>Gets the members an account (merged) type names: fields holding the identity of a person that belongs to the account (as a Segment <c>group</c> call's <c>userId</c>).</summary>
    public List<MembershipOptions> Members { get; } = [];

    /// <summary>Gets or sets what happens to an append-only record that matches no profile.</summary>
    /// <value>The default value is <see cref="UnmatchedPolicy.Quarantine"/>.</value>
    public UnmatchedPolicy OnUnmatched { get; set; } = UnmatchedPolicy.Quarantine;
}

/// <summary>A field of a merged record that identifies the profile.</summary>
public sealed class IdentityFieldOptions
{
    /// <summary>Gets or sets the selector of the field.</summary>
    [Required]
    public string Field { get; set; } = string.Empty;

    /// <summary>Gets or sets the identity kind the field holds.</summary>
    /// <value>The default value is <c>email</c>.</value>
    [Required]
    public string Kind { get; set; } = EventLink.IdentityKinds.Email;
}

/// <summary>An attribute taken from a selector.</summary>
public sealed class AttributeOptions
{
    /// <summary>Gets or sets the attribute's name on the profile.</summary>
    [Required]
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the selector of the value.</summary>
    /// <value>The default value is <see langword="null"/>: the top-level field named <see cref="Name"/>.</value>
    public string? Field { get; set; }
}

/// <summary>A relation field: the field of an append-only record that points at a profile.</summary>
public sealed class RelationOptions
{
    /// <summary>Gets or sets the selector of the field (such as <c>customer_email</c>).</summary>
    [Required]
    public string Field { get; set; } = string.Empty;

    /// <summary>Gets or sets the merged record type the field points at (such as <c>customer</c>).</summary>
    [Required]
    public string Target { get; set; } = string.Empty;

    /// <summary>Gets or sets the identity kind of the field's value.</summary>
    /// <value>The default value is <c>email</c>.</value>
    [Required]
    public string IdentityKind { get; set; } = EventLink.IdentityKinds.Email;
}

/// <summary>A membership field: the field of a person's merged record naming the account (company) it belongs to, or of an account's record naming a member.</summary>
public sealed class MembershipOptions
{
    /// <summary>Gets or sets the selector of the field (such as <c>company_id</c> or <c>properties.company_domain</c>).</summary>
    [Required]
    public string Field { get; set; } = string.Empty;

    /// <summary>Gets or sets the merged record type at the other end: the account type (in <see cref="RecordTypeOptions.Memberships"/>) or the person type (in <see cref="RecordTypeOptions.Members"/>).</summary>
    [Required]
    public string Target { get; set; } = string.Empty;

    /// <summary>Gets or sets the identity kind of the value; the target must declare it.</summary>
    [Required]
    public string IdentityKind { get; set; } = string.Empty;
}

/// <summary>A merge rule.</summary>
public sealed class MergeRuleOptions
{
    /// <summary>Gets or sets the rule.</summary>
    /// <value>The default value is <see cref="MergeRuleKind.MostRecent"/>.</value>
    public MergeRuleKind Rule { get; set; } = MergeRuleKind.MostRecent;

    /// <summary>Gets the sources in priority order, for <see cref="MergeRuleKind.SourcePriority"/>.</summary>
    public List<string> Sources { get; } = [];
}

/// <summary>An identity kind, or the override of a built-in one.</summary>
public sealed class IdentityKindOptions
{
    /// <summary>Gets or sets how values of this kind are normalised.</summary>
    /// <value>The default value is <see langword="null"/>: the built-in kind's normalisation, or <see cref="IdentityNormalization.Exact"/> for a new kind.</value>
    public IdentityNormalization? Normalization { get; set; }

    /// <summary>Gets or sets a custom normaliser of the kind's values (code only: configuration cannot bind it).</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="Normalization"/> applies.</value>
    [System.Text.Json.Serialization.JsonIgnore]
    public IIdentityNormalizer? Normalizer { get; set; }

    /// <summary>Gets or sets the kind's priority (1 is highest): when a record's identities cannot all join one profile, the lower-priority ones are left out.</summary>
    /// <value>The default value is <see langword="null"/>: <c>user_id</c> 1, <c>email</c> 2, <c>phone</c> 3, <c>anonymous_id</c> 4, other kinds 10.</value>
    public int? Priority { get; set; }

    /// <summary>Gets or sets the most identities of this kind one profile may hold (0 or less: no limit).</summary>
    /// <value>The default value is <see langword="null"/>: <c>user_id</c> 1, <c>email</c> 5, <c>phone</c> 5, <c>anonymous_id</c> 100, other kinds unlimited.</value>
    public int? MaxPerProfile { get; set; }
}

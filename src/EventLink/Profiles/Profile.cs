using System.Text.Json;
using System.Text.Json.Serialization;
using EventLink.Serialization;

namespace EventLink;

/// <summary>A unified profile: the merged attributes (each with the record it came from), its identities and how it was formed.</summary>
public sealed class Profile
{
    /// <summary>Initializes a new instance of the <see cref="Profile"/> class.</summary>
    /// <param name="id">The profile id.</param>
    /// <param name="entity">The entity (kind of profile).</param>
    /// <param name="createdAt">When the profile was created.</param>
    /// <param name="attributes">The merged attributes.</param>
    /// <param name="identities">The identities.</param>
    /// <param name="records">The merged source records it is built from.</param>
    /// <param name="merges">The merges that formed it, oldest first.</param>
    public Profile(
        Guid id,
        string entity,
        DateTimeOffset createdAt,
        IReadOnlyList<ProfileAttribute> attributes,
        IReadOnlyList<ProfileIdentity> identities,
        IReadOnlyList<ProfileRecord> records,
        IReadOnlyList<ProfileMerge> merges)
        : this(id, entity, createdAt, attributes, identities, records, merges, [], [])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="Profile"/> class with its computed traits and audiences.</summary>
    /// <param name="id">The profile id.</param>
    /// <param name="entity">The entity (kind of profile).</param>
    /// <param name="createdAt">When the profile was created.</param>
    /// <param name="attributes">The merged attributes.</param>
    /// <param name="identities">The identities.</param>
    /// <param name="records">The merged source records it is built from.</param>
    /// <param name="merges">The merges that formed it, oldest first.</param>
    /// <param name="traits">The computed traits, ordered as defined.</param>
    /// <param name="audiences">The audiences it belongs to, ordered by name.</param>
    public Profile(
        Guid id,
        string entity,
        DateTimeOffset createdAt,
        IReadOnlyList<ProfileAttribute> attributes,
        IReadOnlyList<ProfileIdentity> identities,
        IReadOnlyList<ProfileRecord> records,
        IReadOnlyList<ProfileMerge> merges,
        IReadOnlyList<ComputedTrait> traits,
        IReadOnlyList<AudienceMembership> audiences)
    {
        Id = id;
        Entity = entity;
        CreatedAt = createdAt;
        Attributes = attributes;
        Identities = identities;
        Records = records;
        Merges = merges;
        Traits = traits;
        Audiences = audiences;
    }

    /// <summary>Gets the profile id (stable: a merged-away id still finds this profile).</summary>
    public Guid Id { get; }

    /// <summary>Gets the entity (kind of profile), such as <c>person</c> or <c>account</c>.</summary>
    public string Entity { get; }

    /// <summary>Gets when the profile was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets the merged attributes, ordered by name.</summary>
    public IReadOnlyList<ProfileAttribute> Attributes { get; }

    /// <summary>Gets the identities, ordered by kind then value.</summary>
    public IReadOnlyList<ProfileIdentity> Identities { get; }

    /// <summary>Gets the merged source records the profile is built from, ordered by source then record id.</summary>
    public IReadOnlyList<ProfileRecord> Records { get; }

    /// <summary>Gets the merges that formed the profile, oldest first.</summary>
    public IReadOnlyList<ProfileMerge> Merges { get; }

    /// <summary>
    /// Gets the computed traits (name, value and definition), ordered as defined, at the time the profile was read;
    /// empty when no traits are configured.
    /// </summary>
    public IReadOnlyList<ComputedTrait> Traits { get; }

    /// <summary>Gets the audiences the profile belongs to, ordered by name; empty when no audiences are configured.</summary>
    public IReadOnlyList<AudienceMembership> Audiences { get; }

    /// <summary>Gets a computed trait by name.</summary>
    /// <param name="name">The trait's name.</param>
    /// <returns>The trait, or <see langword="null"/>.</returns>
    public ComputedTrait? GetTrait(string name)
    {
        foreach (var trait in Traits)
        {
            if (string.Equals(trait.Name, name, StringComparison.Ordinal))
            {
                return trait;
            }
        }

        return null;
    }

    /// <summary>Gets whether the profile belongs to an audience.</summary>
    /// <param name="audience">The audience's name.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool IsIn(string audience)
    {
        foreach (var membership in Audiences)
        {
            if (string.Equals(membership.Audience, audience, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets an attribute by name.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <returns>The attribute, or <see langword="null"/>.</returns>
    public ProfileAttribute? GetAttribute(string name)
    {
        foreach (var attribute in Attributes)
        {
            if (string.Equals(attribute.Name, name, StringComparison.Ordinal))
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>Gets an attribute's value as a string (the raw JSON text for non-strings).</summary>
    /// <param name="name">The attribute's name.</param>
    /// <returns>The value, or <see langword="null"/> when the profile has no such attribute.</returns>
    public string? this[string name] => GetAttribute(name)?.AsString();

    /// <inheritdoc />
    public override string ToString() => $"{Entity} {Id} ({string.Join(", ", Identities.Select(i => i.Key))})";
}

/// <summary>A merged attribute and its provenance.</summary>
/// <param name="Name">The attribute's name.</param>
/// <param name="ValueJson">The value as JSON text.</param>
/// <param name="Source">The source whose record won.</param>
/// <param name="RecordType">The record type of the winning record.</param>
/// <param name="RecordId">The source record id of the winning record.</param>
/// <param name="ObservedAt">When the winning record occurred.</param>
public sealed record ProfileAttribute(string Name, [property: JsonPropertyName("value"), JsonConverter(typeof(RawJsonConverter))] string ValueJson, string Source, string RecordType, string RecordId, DateTimeOffset ObservedAt)
{
    /// <summary>Gets the value as a JSON element.</summary>
    /// <remarks>Not serialised: <see cref="ValueJson"/> carries the value, once, as the JSON value <c>value</c>.</remarks>
    [JsonIgnore]
    public JsonElement Value => JsonElement.Parse(ValueJson);

    /// <summary>Gets the value as a string: the string itself, or the raw JSON text of other values.</summary>
    /// <returns>The value.</returns>
    public string AsString()
    {
        using var document = JsonDocument.Parse(ValueJson);
        return document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString()! : ValueJson;
    }
}

/// <summary>An identity of a profile and where it was first seen.</summary>
/// <param name="Key">The normalised identity.</param>
/// <param name="Source">The source of the record that brought it.</param>
/// <param name="RecordType">The record type that brought it.</param>
/// <param name="RecordId">The source record id that brought it.</param>
/// <param name="FirstSeenAt">When that record occurred.</param>
public sealed record ProfileIdentity(IdentityKey Key, string Source, string RecordType, string RecordId, DateTimeOffset FirstSeenAt)
{
    /// <summary>Gets the identity kind.</summary>
    /// <remarks>Not serialised: <see cref="Key"/> carries it.</remarks>
    [JsonIgnore]
    public string Kind => Key.Kind;

    /// <summary>Gets the normalised value.</summary>
    /// <remarks>Not serialised: <see cref="Key"/> carries it.</remarks>
    [JsonIgnore]
    public string Value => Key.Value;
}

/// <summary>A merged source record a profile is built from.</summary>
/// <param name="Source">The source.</param>
/// <param name="RecordType">The record type.</param>
/// <param name="RecordId">The source record id.</param>
/// <param name="OccurredAt">When the stored version occurred.</param>
public sealed record ProfileRecord(string Source, string RecordType, string RecordId, DateTimeOffset OccurredAt);

/// <summary>One merge: a profile unified into another because a record tied them together.</summary>
/// <param name="SurvivorId">The profile that remained.</param>
/// <param name="MergedId">The profile that was merged into it.</param>
/// <param name="Identity">The identity that tied them.</param>
/// <param name="Source">The source of the record that tied them.</param>
/// <param name="RecordType">The record type of that record.</param>
/// <param name="RecordId">That record's source id.</param>
/// <param name="MergedAt">When the merge was applied.</param>
/// <param name="Kind">A merge, or a split (<paramref name="MergedId"/> was split off <paramref name="SurvivorId"/>).</param>
public sealed record ProfileMerge(Guid SurvivorId, Guid MergedId, IdentityKey Identity, string Source, string RecordType, string RecordId, DateTimeOffset MergedAt, Storage.MergeKind Kind = Storage.MergeKind.Merge);

namespace EventLink.Presets;

/// <summary>
/// Overrides of a <see cref="SourcePreset"/>: the source name its records are ingested under, the names of its record
/// types, and any selector, relation, identity or attribute of one of them.
/// </summary>
public sealed class PresetOptions
{
    private readonly SourcePreset _preset;
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Action<RecordTypeOptions>>> _customizations = new(StringComparer.Ordinal);

    internal PresetOptions(SourcePreset preset)
    {
        _preset = preset;
        Source = preset.Name;
    }

    /// <summary>Gets or sets the source name records of this preset are ingested under.</summary>
    /// <value>The default value is the preset's name, such as <c>stripe</c>.</value>
    public string Source { get; set; }

    /// <summary>
    /// Gets or sets whether the tool's <c>external_id</c> (Zendesk users, Intercom contacts) holds the application's own
    /// user id, so that it is an identity of the global <see cref="IdentityKinds.UserId"/> kind and joins the profiles of
    /// every other tool that carries that id. Set it only when the application writes its user id there: many teams
    /// put a CRM id (such as Salesforce's <c>SF12345</c>) in it instead, and a <c>user_id</c> is the highest-priority,
    /// one-per-profile kind, so a foreign value would split one person into two profiles.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: external ids are of the tool's own kind (<c>zendesk_external_id</c>, <c>intercom_external_id</c>), which links the tool's records together and nothing else.</value>
    public bool ExternalIdIsUserId { get; set; }

    /// <summary>Gives one of the preset's record types another name (relations pointing at it follow).</summary>
    /// <param name="recordType">The preset's name of the record type, such as <c>stripe_customer</c>.</param>
    /// <param name="name">The name to use instead.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException">The preset has no such record type, or the name is empty.</exception>
    public PresetOptions RenameRecordType(string recordType, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _names[Known(recordType)] = name.Trim();
        return this;
    }

    /// <summary>
    /// Changes one of the preset's record types after the preset has defined it: replace a selector, add an attribute,
    /// insert or remove a relation, or set <see cref="RecordTypeOptions.OnUnmatched"/>.
    /// </summary>
    /// <param name="recordType">The preset's name of the record type.</param>
    /// <param name="configure">Changes the record type's options.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException">The preset has no such record type.</exception>
    public PresetOptions ConfigureRecordType(string recordType, Action<RecordTypeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var key = Known(recordType);
        if (!_customizations.TryGetValue(key, out var list))
        {
            list = [];
            _customizations[key] = list;
        }

        list.Add(configure);
        return this;
    }

    /// <summary>Gets the name a record type of the preset has in the schema.</summary>
    /// <param name="recordType">The preset's name of the record type.</param>
    /// <returns>The name in use.</returns>
    /// <exception cref="ArgumentException">The preset has no such record type.</exception>
    public string GetRecordTypeName(string recordType) => _names.TryGetValue(Known(recordType), out var name) ? name : recordType;

    /// <summary>Gets the source name records of one of the preset's record types are ingested under.</summary>
    /// <param name="recordType">The preset's name of the record type.</param>
    /// <returns>The source name.</returns>
    /// <exception cref="ArgumentException">The preset has no such record type.</exception>
    public string GetSource(string recordType) => _preset.Find(Known(recordType))!.SourceSuffix is { } suffix ? Source + suffix : Source;

    /// <summary>The identity kind of the tool's <c>external_id</c>: the tool's own kind, or <c>user_id</c> when <see cref="ExternalIdIsUserId"/> says so.</summary>
    internal string ExternalIdKind(string toolKind) => ExternalIdIsUserId ? IdentityKinds.UserId : toolKind;

    internal IReadOnlyList<Action<RecordTypeOptions>> CustomizationsOf(string recordType) =>
        _customizations.TryGetValue(recordType, out var list) ? list : [];

    private string Known(string recordType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recordType);
        if (_preset.Find(recordType) is null)
        {
            throw new ArgumentException($"The {_preset.DisplayName} preset has no record type '{recordType}' (it has: {string.Join(", ", _preset.RecordTypes)}).", nameof(recordType));
        }

        return recordType;
    }
}

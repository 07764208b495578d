using System.Text;
using System.Text.Json.Serialization;
using EventLink.Storage;

namespace EventLink;

/// <summary>An identity a record asserted but that was left out of its profile, because applying it would break a rule.</summary>
/// <param name="Identity">The identity left out.</param>
/// <param name="Reason">The rule that refused it.</param>
/// <param name="Source">The source of the record that asserted it.</param>
/// <param name="RecordType">That record's type.</param>
/// <param name="RecordId">That record's id.</param>
/// <param name="ProfileId">The profile the record belongs to.</param>
/// <param name="OtherProfileId">The profile holding the identity (the one that was not merged), if any.</param>
public sealed record IdentityConflict(IdentityKey Identity, ConflictReason Reason, string Source, string RecordType, string RecordId, Guid? ProfileId, Guid? OtherProfileId)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Source}/{RecordType}/{RecordId} asserted {Identity}, left out ({Reason})" + (OtherProfileId is { } other ? $"; it stays on profile {other}" : string.Empty);
}

/// <summary>Why a record is where it is.</summary>
/// <param name="Source">The record's source.</param>
/// <param name="RecordType">Its record type.</param>
/// <param name="RecordId">Its source record id.</param>
/// <param name="Kind">Merged or append-only.</param>
/// <param name="ProfileId">The profile it belongs to, or <see langword="null"/> while quarantined.</param>
/// <param name="QuarantineMessage">Why it is quarantined, if it is.</param>
/// <param name="LinkedBy">For an event: the relation field that linked it.</param>
/// <param name="Via">The identity that put it on its profile: the relation value (events) or the record's first held identity (merged records).</param>
/// <param name="ViaOrigin">The record that brought <paramref name="Via"/> to the profile.</param>
/// <param name="Asserted">The identities the record asserts (merged records and identity-tying events).</param>
/// <param name="Conflicts">The identities it asserted that were left out, and why.</param>
/// <param name="Merges">The merges and splits that formed its profile, oldest first.</param>
public sealed record RecordExplanation(
    string Source,
    string RecordType,
    string RecordId,
    RecordKind Kind,
    Guid? ProfileId,
    string? QuarantineMessage,
    string? LinkedBy,
    IdentityKey? Via,
    string? ViaOrigin,
    IReadOnlyList<IdentityKey> Asserted,
    IReadOnlyList<IdentityConflict> Conflicts,
    IReadOnlyList<ProfileMerge> Merges)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder($"{Source}/{RecordType}/{RecordId} ({Kind})").AppendLine();
        if (ProfileId is null)
        {
            text.AppendLine($"  quarantined: {QuarantineMessage}");
        }
        else
        {
            text.AppendLine($"  on profile {ProfileId}" + (LinkedBy is null ? string.Empty : $", linked by relation field '{LinkedBy}'"));
            if (Via is { } via)
            {
                text.AppendLine($"  through identity {via}" + (ViaOrigin is null ? string.Empty : $", which {ViaOrigin} brought to the profile"));
            }
        }

        foreach (var identity in Asserted)
        {
            text.AppendLine($"  asserts {identity}");
        }

        foreach (var conflict in Conflicts)
        {
            text.AppendLine($"  left out {conflict.Identity}: {conflict.Reason}" + (conflict.OtherProfileId is { } other ? $" (held by profile {other})" : string.Empty));
        }

        foreach (var merge in Merges)
        {
            text.AppendLine(merge.Kind == MergeKind.Split
                ? $"  {merge.MergedAt:O}: profile {merge.MergedId} split off {merge.SurvivorId} ({merge.Identity})"
                : $"  {merge.MergedAt:O}: profile {merge.MergedId} merged into {merge.SurvivorId} through {merge.Identity} ({merge.Source}/{merge.RecordType}/{merge.RecordId})");
        }

        return text.ToString();
    }
}

/// <summary>The result of an unmerge.</summary>
/// <param name="Identity">The identity split off.</param>
/// <param name="ProfileBefore">The profile that held it before.</param>
/// <param name="ProfileAfter">The profile that holds it now.</param>
public sealed record UnmergeResult(IdentityKey Identity, Guid? ProfileBefore, Guid? ProfileAfter);

/// <summary>What changed identity rules would do to the profiles, without doing it.</summary>
/// <param name="Changes">One entry per profile or group of profiles that would change.</param>
public sealed record IdentityRulesPreview(IReadOnlyList<ProfileRuleChange> Changes)
{
    /// <summary>Gets whether the rules would change nothing.</summary>
    public bool IsEmpty => Changes.Count == 0;
}

/// <summary>How a rule change would affect profiles.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProfileChangeKind>))]
public enum ProfileChangeKind
{
    /// <summary>Profiles would merge into one.</summary>
    Merge,

    /// <summary>A profile would split into several.</summary>
    Split,

    /// <summary>A profile would keep its records but hold other identities.</summary>
    IdentitiesChanged,
}

/// <summary>One change a rule change would make.</summary>
/// <param name="Kind">Merge, split, or changed identities.</param>
/// <param name="Profiles">The current profiles involved.</param>
/// <param name="IdentitiesBefore">The identities they hold now.</param>
/// <param name="IdentitiesAfter">The identities of each resulting profile.</param>
public sealed record ProfileRuleChange(ProfileChangeKind Kind, IReadOnlyList<Guid> Profiles, IReadOnlyList<IdentityKey> IdentitiesBefore, IReadOnlyList<IReadOnlyList<IdentityKey>> IdentitiesAfter);

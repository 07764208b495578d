using EventLink.Storage;

namespace EventLink.IdentityGraph.Internal;

/// <summary>
/// Partitions a connected set of claims into profiles. The result is a pure function of the claims (and the
/// rules): claims are taken in a canonical order that does not depend on arrival, so every arrival order gives the
/// same profiles and the same conflicts.
/// </summary>
/// <remarks>
/// Each claim joins the profile holding its highest-priority identity (or a new one when that identity is unheld). Its other identities join
/// that profile, merging the profiles holding them, unless that would break a limit (identities per kind per
/// profile, merges per profile) or an unmerge rule; then the identity is left out — it stays where it is, or stays
/// unheld — and the refusal is a conflict.
/// </remarks>
internal static class ClaimPartitioner
{
    public static Partition Compute(EventLinkSchema schema, IReadOnlyCollection<ClaimState> claims, IReadOnlySet<IdentityKey> unmergeRules)
    {
        var ordered = claims
            .OrderBy(c => c.FirstOccurredAt)
            .ThenBy(c => c.Key)
            .ToList();

        // An identity under an unmerge rule keeps the claims carrying it apart; identities those claims share with
        // other claims stay with the others.
        var sealedClaims = new Dictionary<ClaimKey, IdentityKey>();
        var shared = new HashSet<IdentityKey>();
        if (unmergeRules.Count > 0)
        {
            foreach (var claim in ordered)
            {
                foreach (var identity in claim.Identities)
                {
                    if (unmergeRules.Contains(identity) && !sealedClaims.ContainsKey(claim.Key))
                    {
                        sealedClaims[claim.Key] = identity;
                    }
                }
            }

            foreach (var claim in ordered)
            {
                sealedClaims.TryGetValue(claim.Key, out var seal);
                foreach (var identity in claim.Identities)
                {
                    if (!unmergeRules.Contains(identity) && ordered.Any(other => other.Key != claim.Key &&
                        (sealedClaims.TryGetValue(other.Key, out var otherSeal) ? otherSeal : default) != seal &&
                        other.Identities.Contains(identity)))
                    {
                        shared.Add(identity);
                    }
                }
            }
        }

        var holders = new Dictionary<IdentityKey, Group>();
        var groups = new List<Group>();
        var conflicts = new List<ConflictRow>();
        foreach (var claim in ordered)
        {
            var identities = claim.Identities
                .Distinct()
                .OrderBy(i => Priority(schema, i))
                .ThenBy(i => i)
                .ToList();
            var isSealed = sealedClaims.TryGetValue(claim.Key, out var seal);

            Group? anchor = null;
            if (isSealed)
            {
                holders.TryGetValue(seal, out anchor);
            }
            else if (identities.Count > 0)
            {
                // The claim's profile is the one of its highest-priority identity: a record naming a new user id
                // starts a new person even when its e-mail belongs to someone else.
                holders.TryGetValue(identities[0], out anchor);
            }

            if (anchor is null)
            {
                anchor = new Group(isSealed ? seal : null);
                groups.Add(anchor);
            }

            foreach (var identity in identities)
            {
                holders.TryGetValue(identity, out var holder);
                if (holder == anchor)
                {
                    continue;
                }

                if (isSealed && identity != seal && shared.Contains(identity))
                {
                    conflicts.Add(new ConflictRow(claim.Key, claim.RecordType, identity, ConflictReason.Unmerged, holder?.Claims[0].Key));
                    continue;
                }

                if (holder is null)
                {
                    if (anchor.Count(identity.Kind) >= Max(schema, identity))
                    {
                        conflicts.Add(new ConflictRow(claim.Key, claim.RecordType, identity, ConflictReason.IdentityLimit, null));
                        continue;
                    }

                    anchor.Identities.Add(identity);
                    holders[identity] = anchor;
                    continue;
                }

                var refusal = WhyNotMerge(schema, anchor, holder);
                if (refusal is { } reason)
                {
                    conflicts.Add(new ConflictRow(claim.Key, claim.RecordType, identity, reason, holder.Claims.Count > 0 ? holder.Claims[0].Key : null));
                    continue;
                }

                anchor.Absorb(holder);
                foreach (var moved in holder.Identities)
                {
                    holders[moved] = anchor;
                }

                groups.Remove(holder);
            }

            anchor.Claims.Add(claim);
        }

        return new Partition(groups, conflicts);
    }

    private static ConflictReason? WhyNotMerge(EventLinkSchema schema, Group a, Group b)
    {
        if (a.Seal != b.Seal)
        {
            return ConflictReason.Unmerged;
        }

        if (a.Merges + b.Merges + 1 > schema.MaxMergesPerProfile)
        {
            return ConflictReason.MergeLimit;
        }

        foreach (var kind in b.Identities.Select(i => i.Kind).Distinct())
        {
            if (a.Count(kind) + b.Count(kind) > Max(schema, new IdentityKey(kind, string.Empty)))
            {
                return ConflictReason.MergeWouldExceedIdentityLimit;
            }
        }

        return null;
    }

    private static int Priority(EventLinkSchema schema, IdentityKey identity) =>
        schema.IdentityKinds.TryGetValue(identity.Kind, out var kind) ? kind.Priority : int.MaxValue;

    private static int Max(EventLinkSchema schema, IdentityKey identity) =>
        schema.IdentityKinds.TryGetValue(identity.Kind, out var kind) ? kind.MaxPerProfile : int.MaxValue;

    /// <summary>The profiles of a component and the identities left out.</summary>
    public sealed record Partition(IReadOnlyList<Group> Groups, IReadOnlyList<ConflictRow> Conflicts);

    /// <summary>One profile of a partition: its claims (in canonical order) and identities.</summary>
    public sealed class Group(IdentityKey? seal)
    {
        public IdentityKey? Seal { get; } = seal;

        public List<ClaimState> Claims { get; } = [];

        public SortedSet<IdentityKey> Identities { get; } = [];

        public int Merges { get; private set; }

        public int Count(string kind) => Identities.Count(i => i.Kind == kind);

        public void Absorb(Group other)
        {
            Claims.AddRange(other.Claims);
            Identities.UnionWith(other.Identities);
            Merges += other.Merges + 1;
        }
    }
}

using System.Runtime.CompilerServices;
using System.Text.Json;
using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.IdentityGraph.Internal;

/// <summary>Conflicts, explanations, unmerge, rule previews and account timelines.</summary>
internal sealed class GraphQueries(EventLinkCore core)
{
    public async IAsyncEnumerable<IdentityConflict> GetConflictsAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var profiles = new Dictionary<ClaimKey, Guid?>();
        await foreach (var row in core.Store.ReadConflictsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            yield return new IdentityConflict(
                row.Identity,
                row.Reason,
                row.Claim.Source,
                row.RecordType,
                row.Claim.RecordId,
                await ProfileOfClaimAsync(tenant, row.Claim, profiles, cancellationToken).ConfigureAwait(false),
                row.Other is { } other ? await ProfileOfClaimAsync(tenant, other, profiles, cancellationToken).ConfigureAwait(false) : null);
        }
    }

    public async ValueTask<RecordExplanation?> ExplainAsync(string tenant, string source, string recordId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(recordId);
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var conflicts = new List<IdentityConflict>();
        await foreach (var conflict in GetConflictsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            if (conflict.Source == source && conflict.RecordId == recordId)
            {
                conflicts.Add(conflict);
            }
        }

        if (await core.Store.GetEventAsync(tenant, source, recordId, cancellationToken).ConfigureAwait(false) is { } row)
        {
            var claim = await core.Store.GetClaimAsync(tenant, new ClaimKey(ClaimKind.Event, source, recordId), cancellationToken).ConfigureAwait(false);
            string? linkedBy = null;
            IdentityKey? via = null;
            if (row.ProfileId is not null && core.Schema.TryGetRecordType(row.RecordType, out var type) && row.LinkIndex >= 0 && row.LinkIndex < type.Relations.Count)
            {
                var relation = type.Relations[row.LinkIndex];
                linkedBy = relation.Field.Text;
                using var document = JsonDocument.Parse(row.Utf8Payload);
                if (RecordParser.TryReadScalar(relation.Field, document.RootElement, out var raw) && core.Schema.TryNormalize(relation.IdentityKind.Name, raw, out var key))
                {
                    via = key;
                }
            }

            return new RecordExplanation(
                row.Source, row.RecordType, row.RecordId, RecordKind.AppendOnly, row.ProfileId, row.QuarantineMessage, linkedBy, via,
                await OriginAsync(tenant, via, cancellationToken).ConfigureAwait(false),
                claim?.Identities ?? [],
                conflicts,
                await HistoryAsync(tenant, row.ProfileId, cancellationToken).ConfigureAwait(false));
        }

        if (await core.Store.GetSourceRecordAsync(tenant, source, recordId, cancellationToken).ConfigureAwait(false) is { } record)
        {
            var claim = await core.Store.GetClaimAsync(tenant, new ClaimKey(ClaimKind.Record, source, recordId), cancellationToken).ConfigureAwait(false);
            IdentityKey? via = null;
            foreach (var identity in claim?.Identities ?? [])
            {
                if (record.ProfileId is { } profileId && await core.Store.GetIdentityAsync(tenant, identity, cancellationToken).ConfigureAwait(false) is { } held && held.ProfileId == profileId)
                {
                    via = identity;
                    break;
                }
            }

            return new RecordExplanation(
                record.Source, record.RecordType, record.RecordId, RecordKind.Merged, record.ProfileId, record.QuarantineMessage, null, via,
                await OriginAsync(tenant, via, cancellationToken).ConfigureAwait(false),
                claim?.Identities ?? [],
                conflicts,
                await HistoryAsync(tenant, record.ProfileId, cancellationToken).ConfigureAwait(false));
        }

        return null;
    }

    public async ValueTask<UnmergeResult> UnmergeAsync(string tenant, string identityKind, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identityKind);
        if (!core.Schema.IdentityKinds.ContainsKey(identityKind))
        {
            throw new ArgumentException($"Identity kind '{identityKind}' is not in the schema.", nameof(identityKind));
        }

        if (!core.Schema.TryNormalize(identityKind, value, out var key))
        {
            throw new ArgumentException($"'{value}' is not a usable {identityKind} (malformed or blocked).", nameof(value));
        }

        return await core.WriteAsync(tenant, async batch =>
        {
            var before = batch.Index.TryGet(key, out var holder) ? holder : (Guid?)null;
            await batch.Session.AddUnmergeRuleAsync(key, batch.Now, cancellationToken).ConfigureAwait(false);
            batch.UnmergeRulesChanged();
            var claims = await batch.Session.GetClaimsByIdentityAsync(key, cancellationToken).ConfigureAwait(false);
            if (claims.Count > 0)
            {
                await core.Graph.RecomputeAsync(batch, claims[0], refreshSeed: false, cancellationToken).ConfigureAwait(false);
            }

            var after = batch.Index.TryGet(key, out var now) ? now : (Guid?)null;
            return new UnmergeResult(key, before, after);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IdentityRulesPreview> PreviewIdentityRulesAsync(string tenant, Action<EventLinkSchemaOptions> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var options = EventLinkSchema.Clone(core.Schema.SourceOptions);
        change(options);
        var proposed = EventLinkSchema.Create(options);

        // What each profile holds now (read first: a store may serialise its readers with its writers).
        var held = new Dictionary<Guid, IReadOnlyList<IdentityKey>>();
        await foreach (var profile in core.Store.ReadProfilesAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            held[profile.Profile.Id] = profile.Identities.Select(i => i.Key).Order().ToList();
        }

        // Read the claims in a session that is never committed: the rules are only tried, not applied.
        return await core.WriteAsync(tenant, async batch =>
        {
            var session = batch.Session;
            var rules = await batch.GetUnmergeRulesAsync(cancellationToken).ConfigureAwait(false);
            var seen = new HashSet<ClaimKey>();
            var changes = new List<ProfileRuleChange>();
            foreach (var start in held.Values.SelectMany(k => k).Order())
            {
                var seeds = await session.GetClaimsByIdentityAsync(start, cancellationToken).ConfigureAwait(false);
                if (seeds.All(seen.Contains))
                {
                    continue;
                }

                var (component, _) = await GraphRecomputer.ReadComponentAsync(session, seeds, cancellationToken, seen).ConfigureAwait(false);

                // Under the proposed rules some identities may be blocked now.
                var filtered = component.Values
                    .Select(c => c with { Identities = c.Identities.Where(i => proposed.TryNormalize(i.Kind, i.Value, out var k) && k == i).ToList() })
                    .ToList();
                changes.AddRange(Compare(component.Values, ClaimPartitioner.Compute(proposed, filtered, rules), held));
            }

            return new IdentityRulesPreview(changes);
        }, cancellationToken, commit: false).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<TimelineEvent> GetAccountTimelineAsync(string tenant, Guid accountId, TimelineQuery? query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var profiles = await AccountProfilesAsync(tenant, accountId, cancellationToken).ConfigureAwait(false);
        var filter = new TimelineQuery { From = query?.From, To = query?.To, RecordTypes = query?.RecordTypes, Sources = query?.Sources, After = query?.After };
        var events = new List<EventRow>();
        foreach (var profileId in profiles)
        {
            await foreach (var row in core.Store.ReadTimelineAsync(tenant, profileId, filter, cancellationToken).ConfigureAwait(false))
            {
                events.Add(row);
            }
        }

        IEnumerable<EventRow> ordered = events
            .OrderBy(e => e.OccurredAt)
            .ThenBy(e => e.Source, StringComparer.Ordinal)
            .ThenBy(e => e.RecordId, StringComparer.Ordinal);
        if (query?.Limit is { } limit)
        {
            ordered = ordered.Take(limit);
        }

        foreach (var row in ordered)
        {
            yield return core.Timeline.ToTimelineEvent(row);
        }
    }

    public async IAsyncEnumerable<Profile> GetAccountMembersAsync(string tenant, Guid accountId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var profiles = await AccountProfilesAsync(tenant, accountId, cancellationToken).ConfigureAwait(false);
        foreach (var profileId in profiles.Skip(1).Order())
        {
            if (await core.Store.GetProfileAsync(tenant, profileId, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                yield return await core.Profiles.ToProfileAsync(tenant, stored, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The account's (surviving) profile id first, then its members' distinct profile ids.</summary>
    private async ValueTask<List<Guid>> AccountProfilesAsync(string tenant, Guid accountId, CancellationToken cancellationToken)
    {
        var account = await core.Store.GetProfileAsync(tenant, accountId, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return [];
        }

        var result = new List<Guid> { account.Profile.Id };
        var members = await core.Store.GetMembersAsync(tenant, account.Identities.Select(i => i.Key).ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var member in members)
        {
            if (await core.Store.FindProfileIdAsync(tenant, member, cancellationToken).ConfigureAwait(false) is { } profileId &&
                await core.Store.GetProfileAsync(tenant, profileId, cancellationToken).ConfigureAwait(false) is { } profile &&
                !result.Contains(profile.Profile.Id))
            {
                result.Add(profile.Profile.Id);
            }
        }

        return result;
    }

    private static IEnumerable<ProfileRuleChange> Compare(IEnumerable<ClaimState> claims, ClaimPartitioner.Partition partition, Dictionary<Guid, IReadOnlyList<IdentityKey>> held)
    {
        var current = claims.Where(c => c.ProfileId is not null).GroupBy(c => c.ProfileId!.Value).ToDictionary(g => g.Key, g => g.Select(c => c.Key).ToHashSet());
        var groupOf = new Dictionary<ClaimKey, int>();
        for (var i = 0; i < partition.Groups.Count; i++)
        {
            foreach (var claim in partition.Groups[i].Claims)
            {
                groupOf[claim.Key] = i;
            }
        }

        IReadOnlyList<IdentityKey> HeldBy(IEnumerable<Guid> profiles) =>
            profiles.SelectMany(p => held.TryGetValue(p, out var keys) ? keys : []).Order().ToList();

        foreach (var group in partition.Groups)
        {
            var profiles = group.Claims.Select(c => c.ProfileId).OfType<Guid>().Distinct().Order().ToList();
            if (profiles.Count > 1)
            {
                yield return new ProfileRuleChange(ProfileChangeKind.Merge, profiles, HeldBy(profiles), [group.Identities.ToList()]);
            }
        }

        foreach (var (profileId, keys) in current.OrderBy(p => p.Key))
        {
            var groups = keys.Select(k => groupOf[k]).Distinct().Order().ToList();
            if (groups.Count > 1)
            {
                yield return new ProfileRuleChange(ProfileChangeKind.Split, [profileId], HeldBy([profileId]), groups.Select(g => (IReadOnlyList<IdentityKey>)partition.Groups[g].Identities.ToList()).ToList());
            }
            else if (groups.Count == 1 && partition.Groups[groups[0]].Claims.Select(c => c.ProfileId).OfType<Guid>().Distinct().Count() == 1)
            {
                var before = HeldBy([profileId]);
                var after = partition.Groups[groups[0]].Identities.ToList();
                if (!before.SequenceEqual(after))
                {
                    yield return new ProfileRuleChange(ProfileChangeKind.IdentitiesChanged, [profileId], before, [after]);
                }
            }
        }
    }

    private async ValueTask<Guid?> ProfileOfClaimAsync(string tenant, ClaimKey key, Dictionary<ClaimKey, Guid?> cache, CancellationToken cancellationToken)
    {
        if (!cache.TryGetValue(key, out var profile))
        {
            profile = (await core.Store.GetClaimAsync(tenant, key, cancellationToken).ConfigureAwait(false))?.ProfileId;
            cache[key] = profile;
        }

        return profile;
    }

    private async ValueTask<string?> OriginAsync(string tenant, IdentityKey? via, CancellationToken cancellationToken) =>
        via is { } key && await core.Store.GetIdentityAsync(tenant, key, cancellationToken).ConfigureAwait(false) is { } row
            ? $"{row.Source}/{row.RecordType}/{row.RecordId}"
            : null;

    private async ValueTask<IReadOnlyList<ProfileMerge>> HistoryAsync(string tenant, Guid? profileId, CancellationToken cancellationToken) =>
        profileId is { } id && await core.Profiles.GetProfileAsync(tenant, id, cancellationToken).ConfigureAwait(false) is { } profile ? profile.Merges : [];
}

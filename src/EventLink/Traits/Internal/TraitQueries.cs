using System.Runtime.CompilerServices;
using EventLink.IdentityGraph.Internal;
using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.Traits.Internal;

/// <summary>Reading computed traits, audiences and the trigger log; the time-driven refresh; recomputation on demand.</summary>
internal sealed class TraitQueries(EventLinkCore core)
{
    private const int TriggerPage = 500;

    public async ValueTask<ComputedProfile?> GetComputedAsync(string tenant, Guid profileId, CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        if (await core.Store.GetProfileAsync(tenant, profileId, cancellationToken).ConfigureAwait(false) is not { } profile)
        {
            return null;
        }

        return await ComputedOfAsync(tenant, profile.Profile.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The computed side of a (surviving) profile, read at the current time.</summary>
    public async ValueTask<ComputedProfile> ComputedOfAsync(string tenant, Guid id, CancellationToken cancellationToken)
    {
        var stored = await core.Store.ReadComputedStateAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        var now = TimestampReader.Normalize(core.Time.GetUtcNow());

        // Values read now: windows are applied at the current time even before the refresh stores them.
        var states = core.Traits.ReadStates(stored) ?? core.Traits.ComputeFromHistory(await ReadHistoryAsync(tenant, id, cancellationToken).ConfigureAwait(false), now, null, out _);
        var traits = new List<ComputedTrait>();
        for (var i = 0; i < states.Length; i++)
        {
            var trait = core.Traits.Runtime.Traits[i];
            if (!trait.Hidden)
            {
                states[i].Expire(trait, now);
                traits.Add(new ComputedTrait(trait.Name, states[i].ValueJson(trait), trait.Definition));
            }
        }

        var audiences = stored.Audiences.Select(a => new AudienceMembership(a.Audience, id, a.EnteredAt)).OrderBy(a => a.Audience, StringComparer.Ordinal).ToList();
        return new ComputedProfile(id, traits, audiences);
    }

    public async ValueTask<IReadOnlyList<ComputedTrait>?> ComputeTraitsFromHistoryAsync(string tenant, Guid profileId, CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        if (await core.Store.GetProfileAsync(tenant, profileId, cancellationToken).ConfigureAwait(false) is not { } profile)
        {
            return null;
        }

        var now = TimestampReader.Normalize(core.Time.GetUtcNow());
        var states = core.Traits.ComputeFromHistory(await ReadHistoryAsync(tenant, profile.Profile.Id, cancellationToken).ConfigureAwait(false), now, null, out _);
        return [.. states.Zip(core.Traits.Runtime.Traits).Where(p => !p.Second.Hidden).Select(p => new ComputedTrait(p.Second.Name, p.First.ValueJson(p.Second), p.Second.Definition))];
    }

    public async ValueTask<ComputedProfile?> RecomputeTraitsAsync(string tenant, Guid profileId, CancellationToken cancellationToken)
    {
        var found = await core.WriteAsync(tenant, async batch =>
        {
            var root = await MergeChain.SurvivorAsync(batch.Session, profileId, [], cancellationToken).ConfigureAwait(false);
            if (await batch.Session.GetProfileAsync(root, cancellationToken).ConfigureAwait(false) is null)
            {
                return (Guid?)null;
            }

            if (!core.Traits.IsEmpty)
            {
                await core.Traits.EvaluateProfileAsync(batch, null, root, null, cancellationToken).ConfigureAwait(false);
            }

            return root;
        }, cancellationToken).ConfigureAwait(false);
        return found is { } id ? await GetComputedAsync(tenant, id, cancellationToken).ConfigureAwait(false) : null;
    }

    public async ValueTask<TraitsRefreshResult> RefreshTraitsAsync(string tenant, CancellationToken cancellationToken)
    {
        if (core.Traits.IsEmpty)
        {
            return new TraitsRefreshResult(0, 0);
        }

        var evaluated = 0;
        var transitions = 0;
        var seen = new HashSet<Guid>();
        while (true)
        {
            var (count, made, more) = await core.WriteAsync(tenant, async batch =>
            {
                var changes = new TraitsBatch();
                var due = await batch.Session.GetDueProfilesAsync(batch.Now, core.Traits.Runtime.Options.RefreshBatchSize, cancellationToken).ConfigureAwait(false);
                var done = 0;
                foreach (var profileId in due)
                {
                    // A due time that did not move forward would be read again: each profile is evaluated once per refresh.
                    if (seen.Add(profileId))
                    {
                        await core.Traits.EvaluateProfileAsync(batch, changes, profileId, [], cancellationToken).ConfigureAwait(false);
                        done++;
                    }
                }

                return (done, changes.Transitions, due.Count == core.Traits.Runtime.Options.RefreshBatchSize && done > 0);
            }, cancellationToken).ConfigureAwait(false);
            evaluated += count;
            transitions += made;
            if (!more)
            {
                return new TraitsRefreshResult(evaluated, transitions);
            }
        }
    }

    public async IAsyncEnumerable<AudienceMembership> GetAudienceMembersAsync(string tenant, string audience, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audience);
        if (!core.Traits.Runtime.Audiences.Any(a => a.Name == audience))
        {
            throw new ArgumentException($"No audience is named '{audience}'; define it with AddTraits.", nameof(audience));
        }

        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in core.Store.ReadAudienceMembersAsync(tenant, audience, cancellationToken).ConfigureAwait(false))
        {
            yield return new AudienceMembership(row.Audience, row.ProfileId, row.EnteredAt);
        }
    }

    public async IAsyncEnumerable<TriggerNotification> ReadTriggersAsync(string tenant, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var cursor = afterSequence;
        while (true)
        {
            var page = await core.Store.ReadTriggersAsync(tenant, cursor, TriggerPage, cancellationToken).ConfigureAwait(false);
            foreach (var row in page)
            {
                yield return new TriggerNotification(row.Sequence, row.Kind, row.Name, row.ProfileId, row.EventId, row.At);
                cursor = row.Sequence;
            }

            if (page.Count < TriggerPage)
            {
                yield break;
            }
        }
    }

    private async ValueTask<List<EventRow>> ReadHistoryAsync(string tenant, Guid profileId, CancellationToken cancellationToken)
    {
        var events = new List<EventRow>();
        await foreach (var row in core.Store.ReadTimelineAsync(tenant, profileId, new TimelineQuery(), cancellationToken).ConfigureAwait(false))
        {
            events.Add(row);
        }

        return events;
    }
}

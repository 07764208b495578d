using EventLink.Storage;

namespace EventLink.IdentityGraph.Internal;

/// <summary>Follows merges: a profile merged away answers for the profile that survived it.</summary>
internal static class MergeChain
{
    /// <summary>The surviving profile of <paramref name="profileId"/>, remembered in <paramref name="cache"/> for the unit of work.</summary>
    public static async ValueTask<Guid> SurvivorAsync(EventLinkStoreSession session, Guid profileId, Dictionary<Guid, Guid> cache, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(profileId, out var known))
        {
            return known;
        }

        var current = profileId;
        for (var hops = 0; hops < 10_000; hops++)
        {
            var row = await session.GetProfileAsync(current, cancellationToken).ConfigureAwait(false);
            if (row?.MergedInto is not { } next)
            {
                break;
            }

            current = next;
        }

        cache[profileId] = current;
        return current;
    }
}

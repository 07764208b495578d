using System.Runtime.CompilerServices;
using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.Profiles.Internal;

/// <summary>Profile reads: by id (merges followed), by identity, all of them; with computed traits when any are configured.</summary>
internal sealed class ProfileQueries(EventLinkCore core)
{
    public async ValueTask<Profile?> GetProfileAsync(string tenant, Guid profileId, CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var stored = await core.Store.GetProfileAsync(tenant, profileId, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : await ToProfileAsync(tenant, stored, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<Profile?> FindProfileAsync(string tenant, string identityKind, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identityKind);
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        if (!core.Schema.IdentityKinds.ContainsKey(identityKind))
        {
            throw new ArgumentException($"Identity kind '{identityKind}' is not in the schema.", nameof(identityKind));
        }

        if (!core.Schema.TryNormalize(identityKind, value, out var key))
        {
            return null;
        }

        var id = await core.Store.FindProfileIdAsync(tenant, key, cancellationToken).ConfigureAwait(false);
        return id is { } profileId ? await GetProfileAsync(tenant, profileId, cancellationToken).ConfigureAwait(false) : null;
    }

    public async IAsyncEnumerable<Profile> GetProfilesAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var stored in core.Store.ReadProfilesAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            yield return await ToProfileAsync(tenant, stored, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The profile with its computed traits and audiences when any are configured (nothing more is read otherwise).</summary>
    public async ValueTask<Profile> ToProfileAsync(string tenant, StoredProfile stored, CancellationToken cancellationToken)
    {
        if (core.Traits.IsEmpty)
        {
            return ToProfile(stored);
        }

        var computed = await core.TraitQueries.ComputedOfAsync(tenant, stored.Profile.Id, cancellationToken).ConfigureAwait(false);
        return ToProfile(stored, computed.Traits, computed.Audiences);
    }

    public static Profile ToProfile(StoredProfile stored) => ToProfile(stored, [], []);

    public static Profile ToProfile(StoredProfile stored, IReadOnlyList<ComputedTrait> traits, IReadOnlyList<AudienceMembership> audiences) => new(
        stored.Profile.Id,
        stored.Profile.Entity,
        stored.Profile.CreatedAt,
        stored.Attributes.OrderBy(a => a.Name, StringComparer.Ordinal)
            .Select(a => new ProfileAttribute(a.Name, a.ValueJson, a.Source, a.RecordType, a.RecordId, a.ObservedAt))
            .ToList(),
        stored.Identities.OrderBy(i => i.Key)
            .Select(i => new ProfileIdentity(i.Key, i.Source, i.RecordType, i.RecordId, i.FirstSeenAt))
            .ToList(),
        stored.Records,
        stored.Merges.Select(m => new ProfileMerge(m.SurvivorId, m.MergedId, m.Identity, m.Source, m.RecordType, m.RecordId, m.MergedAt, m.Kind)).ToList(),
        traits,
        audiences);
}

using System.Text.Json;
using EventLink.Destinations.Internal;
using EventLink.Storage;

namespace EventLink.Internal;

/// <summary>Erasure: delete everything of a person in one session, keep hashed identities as tombstones, queue a notice.</summary>
internal sealed partial class EventLinkCore
{
    public ValueTask<ErasureResult> ForgetProfileAsync(string tenant, Guid profileId, CancellationToken cancellationToken) =>
        WriteAsync(tenant, async batch =>
        {
            var root = await SurvivorAsync(batch.Session, profileId, [], cancellationToken).ConfigureAwait(false);
            if (await batch.Session.GetProfileAsync(root, cancellationToken).ConfigureAwait(false) is null)
            {
                return new ErasureResult(null, 0, 0, 0, 0, 0, 0, 0);
            }

            var identities = await batch.Session.GetIdentitiesAsync(root, cancellationToken).ConfigureAwait(false);
            return await ForgetCoreAsync(batch, root, [.. identities.Select(i => i.Key)], cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public async ValueTask<ErasureResult> ForgetIdentityAsync(string tenant, string identityKind, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identityKind);
        if (!Schema.IdentityKinds.ContainsKey(identityKind))
        {
            throw new ArgumentException($"Identity kind '{identityKind}' is not in the schema.", nameof(identityKind));
        }

        if (!Schema.TryNormalize(identityKind, value, out var key))
        {
            return new ErasureResult(null, 0, 0, 0, 0, 0, 0, 0);
        }

        return await WriteAsync(tenant, async batch =>
        {
            var keys = new List<IdentityKey>();
            Guid? root = null;
            if (batch.Index.TryGet(key, out var holder))
            {
                root = await SurvivorAsync(batch.Session, holder, [], cancellationToken).ConfigureAwait(false);
                keys.AddRange((await batch.Session.GetIdentitiesAsync(root.Value, cancellationToken).ConfigureAwait(false)).Select(i => i.Key));
            }

            if (!keys.Contains(key))
            {
                keys.Add(key);
            }

            return await ForgetCoreAsync(batch, root, keys, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<ErasureResult> ForgetCoreAsync(Batch batch, Guid? root, IReadOnlyList<IdentityKey> identities, CancellationToken cancellationToken)
    {
        var tombstones = identities.Select(IdentityHashing.Tombstone).Distinct(StringComparer.Ordinal).ToList();
        ChangeRow? notice = null;
        if (Sync.RecordsChanges)
        {
            // The notice names the person only by hashed identities: nothing in clear outlives the erasure.
            var hashed = identities.Select(k => new Dictionary<string, string> { ["kind"] = k.Kind, ["sha256"] = IdentityHashing.Sha256(k.Value) }).ToList();
            notice = new ChangeRow(0, ChangeKind.Erased, root ?? Guid.Empty, null, JsonSerializer.Serialize(new { identities = hashed }), batch.Now);
        }

        await ForgetTraitsAsync(batch, root, cancellationToken).ConfigureAwait(false); // Traits hook.
        var counts = await batch.Session.ForgetAsync(root, identities, tombstones, notice, cancellationToken).ConfigureAwait(false);
        foreach (var key in identities)
        {
            batch.Index.Remove(key);
        }

        return new ErasureResult(root, counts.Profiles, counts.Identities, counts.Records, counts.Events, counts.QuarantinedEvents, counts.OutboxItems, tombstones.Count);
    }
}

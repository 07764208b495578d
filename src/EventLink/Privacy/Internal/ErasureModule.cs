using System.Text.Json;
using EventLink.IdentityGraph.Internal;
using EventLink.Ingestion.Internal;
using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.Privacy.Internal;

/// <summary>
/// Erasure: delete everything of a person in one session, keep hashed identities as tombstones, queue a notice; and
/// at ingest, the records of an erased person are suppressed, not stored.
/// </summary>
internal sealed class ErasureModule(EventLinkCore core)
{
    private const string NoSecret =
        "configure EventLinkPrivacyOptions.TombstoneSecret (ConfigurePrivacy(p => p.TombstoneSecret = …), or the " +
        "EventLink:Privacy:TombstoneSecret setting): erasure tombstones are HMAC-SHA256 keyed with it, so that they cannot be " +
        "reversed by hashing a list of e-mail addresses. Use the same secret in every process sharing the store.";

    private byte[] TombstoneKey => core.Sync.TombstoneKey ?? throw new InvalidOperationException($"Erasure needs a tombstone secret: {NoSecret}");

    private string Tombstone(IdentityKey key) => IdentityHashing.Tombstone(key, TombstoneKey);

    public ValueTask<ErasureResult> ForgetProfileAsync(string tenant, Guid profileId, CancellationToken cancellationToken) =>
        core.WriteAsync(tenant, async batch =>
        {
            var root = await MergeChain.SurvivorAsync(batch.Session, profileId, [], cancellationToken).ConfigureAwait(false);
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
        if (!core.Schema.IdentityKinds.ContainsKey(identityKind))
        {
            throw new ArgumentException($"Identity kind '{identityKind}' is not in the schema.", nameof(identityKind));
        }

        if (!core.Schema.TryNormalize(identityKind, value, out var key))
        {
            return new ErasureResult(null, 0, 0, 0, 0, 0, 0, 0);
        }

        return await core.WriteAsync(tenant, async batch =>
        {
            var keys = new List<IdentityKey>();
            Guid? root = null;
            if (batch.Index.TryGet(key, out var holder))
            {
                root = await MergeChain.SurvivorAsync(batch.Session, holder, [], cancellationToken).ConfigureAwait(false);
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
        var tombstones = identities.Select(Tombstone).Distinct(StringComparer.Ordinal).ToList();
        ChangeRow? notice = null;
        if (core.Sync.RecordsChanges)
        {
            // The notice names the person only by hashed identities: nothing in clear outlives the erasure.
            var hashed = new System.Text.Json.Nodes.JsonArray();
            foreach (var k in identities)
            {
                hashed.Add((System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject { ["kind"] = k.Kind, ["sha256"] = IdentityHashing.Sha256(k.Value) });
            }

            var data = new System.Text.Json.Nodes.JsonObject { ["identities"] = hashed };
            notice = new ChangeRow(0, ChangeKind.Erased, root ?? Guid.Empty, null, JsonSerializer.Serialize(data, EventLinkJsonContext.Default.JsonObject), batch.Now);
        }

        if (root is { } erased)
        {
            // What was computed about the person goes too, even when no trait is configured now.
            await batch.Session.ForgetComputedAsync(erased, cancellationToken).ConfigureAwait(false);
            core.Observers.OnProfileErased(batch, erased);
        }

        var counts = await batch.Session.ForgetAsync(root, identities, tombstones, notice, cancellationToken).ConfigureAwait(false);
        foreach (var key in identities)
        {
            batch.Index.Remove(key);
        }

        return new ErasureResult(root, counts.Profiles, counts.Identities, counts.Records, counts.Events, counts.QuarantinedEvents, counts.OutboxItems, tombstones.Count);
    }

    /// <summary>Reads the tenant's tombstones, once per batch.</summary>
    public async ValueTask<IReadOnlySet<string>> ReadTombstonesAsync(Batch batch, CancellationToken cancellationToken)
    {
        var holder = batch.GetState<ErasureBatch>();
        if (holder.Tombstones is null)
        {
            var tombstones = await batch.Session.ReadTombstonesAsync(cancellationToken).ConfigureAwait(false);
            if (tombstones.Count > 0 && core.Sync.TombstoneKey is null)
            {
                // Ingesting without the key would let erased people back in: refuse, as a configuration error.
                throw new InvalidOperationException($"Tenant '{batch.Tenant}' holds erasure tombstones, which ingest must check: {NoSecret}");
            }

            holder.Tombstones = tombstones;
        }

        return holder.Tombstones;
    }

    /// <summary>Whether a record carries an identity (merged types) or relation value (append-only types) of an erased person.</summary>
    public bool IsSuppressed(IReadOnlySet<string> tombstones, ParsedRecord record)
    {
        if (tombstones.Count == 0)
        {
            return false;
        }

        if (record.Type.Kind == RecordKind.Merged)
        {
            return RecordIdentities.Read(core.Schema, record, out _).Exists(key => tombstones.Contains(Tombstone(key)));
        }

        foreach (var relation in record.Type.Relations)
        {
            if (record.RelationValue(relation.Index) is { } raw
                && core.Schema.TryNormalize(relation.IdentityKind.Name, raw, out var key)
                && tombstones.Contains(Tombstone(key)))
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask<IngestResult> SuppressAsync(Batch batch, ParsedRecord record, CancellationToken cancellationToken)
    {
        await batch.Session.AddSuppressionAsync(new SuppressionRow(record.Source, record.Type.Name, record.RecordId, batch.Now), cancellationToken).ConfigureAwait(false);
        return IngestResults.Of(IngestOutcome.Suppressed, record, null, IngestReason.Erased, "the record belongs to an erased person");
    }

    /// <summary>Adds the suppressed counts to a coverage report.</summary>
    public async ValueTask<List<RecordTypeCoverage>> AddSuppressedAsync(string tenant, List<RecordTypeCoverage> rows, CancellationToken cancellationToken)
    {
        var suppressed = await core.Store.GetSuppressionCountsAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (suppressed.Count == 0)
        {
            return rows;
        }

        var byType = rows.ToDictionary(r => r.RecordType, StringComparer.Ordinal);
        foreach (var (type, count) in suppressed)
        {
            byType[type] = (byType.TryGetValue(type, out var row) ? row : new RecordTypeCoverage(type, 0, 0, 0, 0, 0)) with { Suppressed = count };
        }

        return [.. byType.Values.OrderBy(r => r.RecordType, StringComparer.Ordinal)];
    }

    /// <summary>What a unit of work keeps for erasure: the tenant's tombstones, once read.</summary>
    private sealed class ErasureBatch
    {
        public IReadOnlySet<string>? Tombstones { get; set; }
    }
}

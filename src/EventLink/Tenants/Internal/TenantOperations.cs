using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text;
using EventLink.Internal;
using EventLink.Storage;

namespace EventLink.Tenants.Internal;

/// <summary>Per-tenant operations: erase a whole tenant, export a tenant as JSON Lines.</summary>
internal sealed class TenantOperations(EventLinkCore core)
{
    /// <summary>The version of the export's line format, written in its header line.</summary>
    public const int ExportFormatVersion = 1;

    public ValueTask<TenantErasureResult> EraseTenantAsync(string tenant, CancellationToken cancellationToken) =>
        core.WriteAsync(tenant, async batch =>
        {
            // The cached index must forget the tenant's identities with the store (it stays current at the new version).
            var keys = new List<IdentityKey>();
            await foreach (var (key, _) in batch.Session.ReadIdentityIndexAsync(cancellationToken).ConfigureAwait(false))
            {
                keys.Add(key);
            }

            var counts = await batch.Session.EraseTenantAsync(cancellationToken).ConfigureAwait(false);
            foreach (var key in keys)
            {
                batch.Index.Remove(key);
            }

            return new TenantErasureResult(tenant, counts.Profiles, counts.Events, counts.Rows);
        }, cancellationToken);

    public async IAsyncEnumerable<string> ExportTenantAsync(string tenant, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await core.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var json = new Utf8JsonWriter(buffer);

        yield return Line(buffer, json, w =>
        {
            w.WriteString("type", "tenant");
            w.WriteString("tenant", tenant);
            w.WriteNumber("format", ExportFormatVersion);
            w.WriteString("exportedAt", core.Time.GetUtcNow());
        });

        await foreach (var profile in core.Profiles.GetProfilesAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            yield return Line(buffer, json, w => WriteProfile(w, profile));
        }

        await foreach (var e in core.Store.ReadEventsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            yield return Line(buffer, json, w =>
            {
                w.WriteString("type", "event");
                w.WriteString("source", e.Source);
                w.WriteString("recordType", e.RecordType);
                w.WriteString("recordId", e.RecordId);
                w.WriteString("eventName", e.EventName);
                w.WriteString("occurredAt", e.OccurredAt);
                w.WriteString("ingestedAt", e.IngestedAt);
                WriteNullableGuid(w, "profileId", e.ProfileId);
                w.WritePropertyName("payload");
                w.WriteRawValue(e.PayloadJson);
            });
        }

        await foreach (var q in core.Quarantine.GetQuarantineAsync(tenant, null, cancellationToken).ConfigureAwait(false))
        {
            yield return Line(buffer, json, w =>
            {
                w.WriteString("type", "quarantine");
                w.WriteString("source", q.Source);
                w.WriteString("recordType", q.RecordType);
                w.WriteString("recordId", q.RecordId);
                w.WriteString("occurredAt", q.OccurredAt);
                w.WriteString("ingestedAt", q.IngestedAt);
                w.WriteString("reason", q.Reason.ToString());
                w.WriteString("message", q.Message);
                w.WritePropertyName("payload");
                w.WriteRawValue(q.PayloadJson);
            });
        }

        await foreach (var r in core.Quarantine.GetRejectionsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            yield return Line(buffer, json, w =>
            {
                w.WriteString("type", "rejection");
                w.WriteString("source", r.Source);
                w.WriteString("recordType", r.RecordType);
                w.WriteString("key", r.Key);
                w.WriteString("reason", r.Reason.ToString());
                w.WriteString("message", r.Message);
                w.WriteString("rejectedAt", r.RejectedAt);
            });
        }

        await foreach (var c in core.GraphQueries.GetConflictsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            yield return Line(buffer, json, w =>
            {
                w.WriteString("type", "conflict");
                WriteIdentity(w, "identity", c.Identity);
                w.WriteString("reason", c.Reason.ToString());
                w.WriteString("source", c.Source);
                w.WriteString("recordType", c.RecordType);
                w.WriteString("recordId", c.RecordId);
                WriteNullableGuid(w, "profileId", c.ProfileId);
                WriteNullableGuid(w, "otherProfileId", c.OtherProfileId);
            });
        }
    }

    private static void WriteProfile(Utf8JsonWriter w, Profile profile)
    {
        w.WriteString("type", "profile");
        w.WriteString("id", profile.Id);
        w.WriteString("entity", profile.Entity);
        w.WriteString("createdAt", profile.CreatedAt);
        w.WriteStartArray("identities");
        foreach (var identity in profile.Identities)
        {
            w.WriteStartObject();
            w.WriteString("kind", identity.Kind);
            w.WriteString("value", identity.Value);
            WriteOrigin(w, identity.Source, identity.RecordType, identity.RecordId);
            w.WriteString("firstSeenAt", identity.FirstSeenAt);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("attributes");
        foreach (var attribute in profile.Attributes)
        {
            w.WriteStartObject();
            w.WriteString("name", attribute.Name);
            w.WritePropertyName("value");
            w.WriteRawValue(attribute.ValueJson);
            WriteOrigin(w, attribute.Source, attribute.RecordType, attribute.RecordId);
            w.WriteString("observedAt", attribute.ObservedAt);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("records");
        foreach (var record in profile.Records)
        {
            w.WriteStartObject();
            WriteOrigin(w, record.Source, record.RecordType, record.RecordId);
            w.WriteString("occurredAt", record.OccurredAt);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("merges");
        foreach (var merge in profile.Merges)
        {
            w.WriteStartObject();
            w.WriteString("kind", merge.Kind == MergeKind.Merge ? "merge" : "split");
            w.WriteString("survivorId", merge.SurvivorId);
            w.WriteString("mergedId", merge.MergedId);
            WriteIdentity(w, "identity", merge.Identity);
            WriteOrigin(w, merge.Source, merge.RecordType, merge.RecordId);
            w.WriteString("mergedAt", merge.MergedAt);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteOrigin(Utf8JsonWriter w, string source, string recordType, string recordId)
    {
        w.WriteString("source", source);
        w.WriteString("recordType", recordType);
        w.WriteString("recordId", recordId);
    }

    private static void WriteIdentity(Utf8JsonWriter w, string name, IdentityKey key)
    {
        w.WriteStartObject(name);
        w.WriteString("kind", key.Kind);
        w.WriteString("value", key.Value);
        w.WriteEndObject();
    }

    private static void WriteNullableGuid(Utf8JsonWriter w, string name, Guid? value)
    {
        if (value is { } id)
        {
            w.WriteString(name, id);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Line(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, Action<Utf8JsonWriter> write)
    {
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartObject();
        write(json);
        json.WriteEndObject();
        json.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

using EventLink.Sqlite.Internal;
using EventLink.Storage;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Privacy.Internal;

/// <summary>Tombstones, suppressions and erasure, in the session's transaction.</summary>
internal sealed class SqlitePrivacyWrites(SqliteSessionContext context)
{
    public ValueTask<IReadOnlySet<string>> ReadTombstonesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        using var reader = context.Command(PrivacySql.ReadTombstones).ExecuteReader();
        while (reader.Read())
        {
            hashes.Add(reader.GetString(0));
        }

        return ValueTask.FromResult<IReadOnlySet<string>>(hashes);
    }

    public ValueTask AddSuppressionAsync(SuppressionRow suppression, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suppression);
        cancellationToken.ThrowIfCancellationRequested();
        var command = context.Command(PrivacySql.AddSuppression, "$source", "$record", "$type", "$at");
        var p = command.Parameters;
        p[1].Value = suppression.Source;
        p[2].Value = suppression.RecordId;
        p[3].Value = suppression.RecordType;
        p[4].Value = ToMicros(suppression.SuppressedAt);
        context.Write(command);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<ErasureCounts> ForgetAsync(Guid? profileId, IReadOnlyList<IdentityKey> identities, IReadOnlyList<string> tombstones, ChangeRow? notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(tombstones);
        cancellationToken.ThrowIfCancellationRequested();
        long profiles = 0, identityCount = 0, records = 0, events = 0, quarantined = 0, outbox = 0;
        var closure = new List<byte[]>();
        if (profileId is { } root && await context.Session.GetProfileAsync(root, cancellationToken).ConfigureAwait(false) is not null)
        {
            closure.Add(ToBlob(root));
            context.AddMergedProfiles(closure);
        }

        foreach (var id in closure)
        {
            identityCount += context.Delete(PrivacySql.DeleteIdentities, id);
            records += context.Delete(PrivacySql.DeleteSourceRecords, id);
            context.Delete(PrivacySql.DeleteAttributes, id);
            context.Delete(PrivacySql.DeleteProfileWaits, id);
            events += context.Delete(PrivacySql.DeleteEvents, id) + context.Delete(PrivacySql.DeleteLateLinkedEvents, id);
            context.Delete(PrivacySql.DeleteLateLinks, id);
            context.Delete(PrivacySql.DeleteMerges, id);
            profiles += context.Delete(PrivacySql.DeleteProfile, id);
            outbox += context.Delete(PrivacySql.DeleteChanges, id) + context.Delete(PrivacySql.DeleteDeadLetters, id);
        }

        foreach (var key in identities)
        {
            var waiting = context.Command(PrivacySql.QuarantinedWaiting, "$kind", "$value");
            waiting.Parameters[1].Value = key.Kind;
            waiting.Parameters[2].Value = key.Value;
            var ids = new List<long>();
            using (var reader = waiting.ExecuteReader())
            {
                while (reader.Read())
                {
                    ids.Add(reader.GetInt64(0));
                }
            }

            foreach (var eventId in ids)
            {
                var waits = context.Command(SqliteSessionSql.DeleteWaits, "$event");
                waits.Parameters[1].Value = eventId;
                waits.ExecuteNonQuery();
                var delete = context.Command(PrivacySql.DeleteEvent, "$event");
                delete.Parameters[1].Value = eventId;
                quarantined += delete.ExecuteNonQuery();
            }

            var rest = context.Command(PrivacySql.DeleteIdentityWaits, "$kind", "$value");
            rest.Parameters[1].Value = key.Kind;
            rest.Parameters[2].Value = key.Value;
            rest.ExecuteNonQuery();
        }

        var tombstone = context.Command(PrivacySql.AddTombstone, "$hash");
        foreach (var hash in tombstones)
        {
            tombstone.Parameters[1].Value = hash;
            tombstone.ExecuteNonQuery();
        }

        // Erased identities are not logged as removals: that would keep them. Other processes reload instead.
        context.IdentityLog.Reset();
        context.MarkDirty();
        if (notice is not null)
        {
            await context.Session.AppendChangeAsync(notice, cancellationToken).ConfigureAwait(false);
        }

        return new ErasureCounts(profiles, identityCount, records, events, quarantined, outbox);
    }

    private static class PrivacySql
    {
        public const string ReadTombstones = "SELECT hash FROM tombstones WHERE tenant_key = $t;";
        public const string AddTombstone = "INSERT INTO tombstones (tenant_key, hash) VALUES ($t, $hash) ON CONFLICT DO NOTHING;";
        public const string AddSuppression = """
            INSERT INTO suppressions (tenant_key, source, record_id, record_type, suppressed_at) VALUES ($t, $source, $record, $type, $at)
            ON CONFLICT (tenant_key, source, record_id) DO NOTHING;
            """;

        public const string DeleteIdentities = "DELETE FROM identities INDEXED BY ix_identities_profile WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteSourceRecords = "DELETE FROM source_records WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteAttributes = "DELETE FROM attributes WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteProfileWaits = """
            DELETE FROM waits WHERE tenant_key = $t AND event_id IN (
                SELECT id FROM events WHERE tenant_key = $t AND profile_id = $profile
                UNION ALL SELECT event_id FROM event_links INDEXED BY ix_event_links_profile WHERE tenant_key = $t AND profile_id = $profile);
            """;

        public const string DeleteEvents = "DELETE FROM events WHERE tenant_key = $t AND profile_id = $profile;";

        // "+tenant_key": by rowid, not by ix_events_profile (see SqliteDeferredWrites).
        public const string DeleteLateLinkedEvents = "DELETE FROM events WHERE +tenant_key = $t AND id IN (SELECT event_id FROM event_links INDEXED BY ix_event_links_profile WHERE tenant_key = $t AND profile_id = $profile);";
        public const string DeleteLateLinks = "DELETE FROM event_links INDEXED BY ix_event_links_profile WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteMerges = "DELETE FROM merges WHERE tenant_key = $t AND (root = $profile OR survivor_id = $profile OR merged_id = $profile);";
        public const string DeleteProfile = "DELETE FROM profiles WHERE tenant_key = $t AND id = $profile;";
        public const string DeleteChanges = "DELETE FROM changes WHERE tenant_key = $t AND profile_id = $profile;";
        public const string DeleteDeadLetters = "DELETE FROM dead_letters WHERE tenant_key = $t AND profile_id = $profile;";
        public const string QuarantinedWaiting = """
            SELECT DISTINCT w.event_id FROM waits w JOIN events e ON e.id = w.event_id
            WHERE w.tenant_key = $t AND w.kind = $kind AND w.value = $value AND e.profile_id IS NULL
                AND NOT EXISTS (SELECT 1 FROM event_links l WHERE l.tenant_key = $t AND l.event_id = e.id);
            """;

        public const string DeleteEvent = "DELETE FROM events WHERE tenant_key = $t AND id = $event;";
        public const string DeleteIdentityWaits = "DELETE FROM waits WHERE tenant_key = $t AND kind = $kind AND value = $value;";
    }
}

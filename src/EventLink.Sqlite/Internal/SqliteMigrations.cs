using Microsoft.Data.Sqlite;

namespace EventLink.Sqlite.Internal;

/// <summary>
/// The versioned schema. Each migration runs once, in order, inside the same write transaction that records the
/// new version in <c>meta</c>, so concurrent openers (threads or processes) apply it exactly once.
/// </summary>
internal static class SqliteMigrations
{
    /// <summary>The migrations, index + 1 being the schema version each one produces.</summary>
    private static readonly string[] Steps =
    [
        // 1: the initial schema. Times are unix microseconds; profile ids are big-endian 16-byte blobs, so v7 ids
        // sort (and insert) in creation order and byte order matches Guid.CompareTo. The per-profile indexes carry
        // the columns reads sort by: otherwise SQLite prefers walking the whole tenant in sort order to sorting.
        """
        CREATE TABLE IF NOT EXISTS tenants (
            tenant_key INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL DEFAULT 0);

        CREATE TABLE IF NOT EXISTS profiles (
            tenant_key INTEGER NOT NULL,
            id BLOB NOT NULL,
            entity TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            merged_into BLOB,
            PRIMARY KEY (tenant_key, id)) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS identities (
            tenant_key INTEGER NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            profile_id BLOB NOT NULL,
            source TEXT NOT NULL,
            record_type TEXT NOT NULL,
            record_id TEXT NOT NULL,
            first_seen_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_key, kind, value)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_identities_profile ON identities (tenant_key, profile_id, kind, value);

        CREATE TABLE IF NOT EXISTS source_records (
            id INTEGER PRIMARY KEY,
            tenant_key INTEGER NOT NULL,
            source TEXT NOT NULL,
            record_id TEXT NOT NULL,
            record_type TEXT NOT NULL,
            profile_id BLOB,
            occurred_at INTEGER NOT NULL,
            ingested_at INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            payload TEXT NOT NULL,
            quarantine_reason INTEGER NOT NULL,
            quarantine_message TEXT,
            UNIQUE (tenant_key, source, record_id));
        CREATE INDEX IF NOT EXISTS ix_source_records_profile ON source_records (tenant_key, profile_id, source, record_id);

        CREATE TABLE IF NOT EXISTS attributes (
            tenant_key INTEGER NOT NULL,
            profile_id BLOB NOT NULL,
            ordinal INTEGER NOT NULL,
            name TEXT NOT NULL,
            value_json TEXT NOT NULL,
            source TEXT NOT NULL,
            record_type TEXT NOT NULL,
            record_id TEXT NOT NULL,
            observed_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_key, profile_id, ordinal)) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS events (
            id INTEGER PRIMARY KEY,
            tenant_key INTEGER NOT NULL,
            source TEXT NOT NULL,
            record_id TEXT NOT NULL,
            record_type TEXT NOT NULL,
            event_name TEXT NOT NULL,
            occurred_at INTEGER NOT NULL,
            ingested_at INTEGER NOT NULL,
            profile_id BLOB,
            link_index INTEGER NOT NULL,
            quarantine_reason INTEGER NOT NULL,
            quarantine_message TEXT,
            payload TEXT NOT NULL,
            UNIQUE (tenant_key, source, record_id));
        CREATE INDEX IF NOT EXISTS ix_events_profile ON events (tenant_key, profile_id, occurred_at);

        CREATE TABLE IF NOT EXISTS waits (
            tenant_key INTEGER NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            event_id INTEGER NOT NULL,
            relation_index INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_waits_identity ON waits (tenant_key, kind, value, event_id);
        CREATE INDEX IF NOT EXISTS ix_waits_event ON waits (tenant_key, event_id);

        CREATE TABLE IF NOT EXISTS merges (
            seq INTEGER PRIMARY KEY,
            tenant_key INTEGER NOT NULL,
            root BLOB NOT NULL,
            survivor_id BLOB NOT NULL,
            merged_id BLOB NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            source TEXT NOT NULL,
            record_type TEXT NOT NULL,
            record_id TEXT NOT NULL,
            merged_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_merges_root ON merges (tenant_key, root, merged_at);

        CREATE TABLE IF NOT EXISTS rejections (
            tenant_key INTEGER NOT NULL,
            source TEXT NOT NULL,
            record_type TEXT NOT NULL,
            key TEXT NOT NULL,
            reason INTEGER NOT NULL,
            message TEXT NOT NULL,
            rejected_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_key, source, record_type, key, reason)) WITHOUT ROWID;
        """,

        // 2: the identity graph. A claim is a record (kind 0) or event (kind 1) and the identities it asserts,
        // keyed compactly by its row id; conflicts keep their claims' keys (a conflict may outlive nothing but its
        // claim, and reads need them). History entries get their kind (0 = merge, 1 = split); the merges table's
        // `kind` column is the identity's kind already, hence `merge_kind`.
        """
        ALTER TABLE merges ADD COLUMN merge_kind INTEGER NOT NULL DEFAULT 0;

        CREATE TABLE IF NOT EXISTS claims (
            id INTEGER PRIMARY KEY,
            tenant_key INTEGER NOT NULL,
            source TEXT NOT NULL,
            record_id TEXT NOT NULL,
            kind INTEGER NOT NULL,
            record_type TEXT NOT NULL,
            first_occurred_at INTEGER NOT NULL,
            UNIQUE (tenant_key, source, record_id, kind));

        CREATE TABLE IF NOT EXISTS claim_identities (
            tenant_key INTEGER NOT NULL,
            claim_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (tenant_key, claim_id, kind, value)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_claim_identities_identity ON claim_identities (tenant_key, kind, value, claim_id);

        CREATE TABLE IF NOT EXISTS conflicts (
            seq INTEGER PRIMARY KEY,
            tenant_key INTEGER NOT NULL,
            source TEXT NOT NULL,
            record_id TEXT NOT NULL,
            claim_kind INTEGER NOT NULL,
            record_type TEXT NOT NULL,
            identity_kind TEXT NOT NULL,
            identity_value TEXT NOT NULL,
            reason INTEGER NOT NULL,
            other_kind INTEGER,
            other_source TEXT,
            other_record_id TEXT);
        CREATE INDEX IF NOT EXISTS ix_conflicts_claim ON conflicts (tenant_key, source, record_id, claim_kind);

        CREATE TABLE IF NOT EXISTS unmerge_rules (
            tenant_key INTEGER NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_key, kind, value)) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS memberships (
            tenant_key INTEGER NOT NULL,
            member_kind TEXT NOT NULL,
            member_value TEXT NOT NULL,
            account_kind TEXT NOT NULL,
            account_value TEXT NOT NULL,
            source TEXT NOT NULL,
            record_id TEXT NOT NULL,
            PRIMARY KEY (tenant_key, member_kind, member_value, account_kind, account_value, source, record_id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_memberships_account ON memberships (tenant_key, account_kind, account_value, member_kind, member_value);
        """,

        // 3: destinations, syncs and privacy: the change log (outbox; AUTOINCREMENT so a sequence is never reused after
        // an erasure deletes entries), sync progress, dead letters, erasure tombstones and suppressed records.
        """
        CREATE TABLE IF NOT EXISTS changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant_key INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            profile_id BLOB NOT NULL,
            event_id INTEGER,
            data TEXT,
            at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_changes_tenant ON changes (tenant_key, seq);
        CREATE INDEX IF NOT EXISTS ix_changes_profile ON changes (tenant_key, profile_id);

        CREATE TABLE IF NOT EXISTS sync_state (
            tenant_key INTEGER NOT NULL,
            sync TEXT NOT NULL,
            cursor INTEGER NOT NULL,
            retry_seq INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at INTEGER,
            last_error TEXT,
            PRIMARY KEY (tenant_key, sync)) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS dead_letters (
            tenant_key INTEGER NOT NULL,
            sync TEXT NOT NULL,
            seq INTEGER NOT NULL,
            profile_id BLOB NOT NULL,
            idempotency_key TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            last_error TEXT NOT NULL,
            dead_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_key, sync, seq)) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS tombstones (
            tenant_key INTEGER NOT NULL,
            hash TEXT NOT NULL,
            PRIMARY KEY (tenant_key, hash)) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS suppressions (
            tenant_key INTEGER NOT NULL,
            source TEXT NOT NULL,
            record_id TEXT NOT NULL,
            record_type TEXT NOT NULL,
            suppressed_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_key, source, record_id)) WITHOUT ROWID;
        """,

        // 4: data quality — notes (filtered records, contract violations; one per record and rule), payload shapes
        // for the schema-drift report, and hourly arrival counts for the anomaly check.
        """
        CREATE TABLE IF NOT EXISTS quality_notes (
            tenant_key INTEGER NOT NULL,
            source TEXT NOT NULL,
            record_type TEXT NOT NULL,
            key TEXT NOT NULL,
            kind INTEGER NOT NULL,
            rule TEXT NOT NULL,
            message TEXT NOT NULL,
            noted_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_key, source, record_type, key, kind, rule)) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS field_shapes (
            tenant_key INTEGER NOT NULL,
            source TEXT NOT NULL,
            record_type TEXT NOT NULL,
            path TEXT NOT NULL,
            json_type TEXT NOT NULL,
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (tenant_key, source, record_type, path, json_type)) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS hourly_counts (
            tenant_key INTEGER NOT NULL,
            source TEXT NOT NULL,
            record_type TEXT NOT NULL,
            hour INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (tenant_key, source, record_type, hour)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_hourly_counts_hour ON hourly_counts (tenant_key, hour);
        """,

        // 5: computed traits, audiences and triggers — per-profile trait states, audience memberships, the time a
        // profile next falls due (so a refresh reads only those), and the trigger log (exactly-once transitions).
        """
        CREATE TABLE IF NOT EXISTS trait_states (
            tenant_key INTEGER NOT NULL,
            profile_id BLOB NOT NULL,
            ordinal INTEGER NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            state TEXT NOT NULL,
            PRIMARY KEY (tenant_key, profile_id, ordinal)) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS audience_members (
            tenant_key INTEGER NOT NULL,
            audience TEXT NOT NULL,
            profile_id BLOB NOT NULL,
            entered_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_key, audience, profile_id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_audience_members_profile ON audience_members (tenant_key, profile_id);

        CREATE TABLE IF NOT EXISTS computed_due (
            tenant_key INTEGER NOT NULL,
            profile_id BLOB NOT NULL,
            due_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_key, profile_id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_computed_due_at ON computed_due (tenant_key, due_at, profile_id);

        CREATE TABLE IF NOT EXISTS triggers (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant_key INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            name TEXT NOT NULL,
            profile_id BLOB NOT NULL,
            event_id INTEGER,
            at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_triggers_tenant ON triggers (tenant_key, seq);
        CREATE INDEX IF NOT EXISTS ix_triggers_profile ON triggers (tenant_key, profile_id);
        """,

        // 6: identity changes, so that a process brings its identity index up to date from what changed since the
        // version it reflects: the version of the commit that last wrote each identity (existing rows: 0), the
        // removed identities with the version that removed them, and per tenant the oldest version the log answers
        // from and the version of the last commit that kept the log (a commit by an older library, which does not,
        // moves the first up to its version).
        """
        ALTER TABLE tenants ADD COLUMN identity_log_from INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE tenants ADD COLUMN identity_log_version INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE identities ADD COLUMN changed_version INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX IF NOT EXISTS ix_identities_changed ON identities (tenant_key, changed_version);

        CREATE TABLE IF NOT EXISTS identity_removals (
            tenant_key INTEGER NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (tenant_key, kind, value)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_identity_removals_version ON identity_removals (tenant_key, version);
        """,

        // 7: computed state packed per profile: one row holds every trait state (opaque to the store) and the due
        // time, written once per update instead of a row per trait. The due times move over; trait rows written
        // before stay in trait_states, read until the profile's next update replaces them.
        """
        CREATE TABLE IF NOT EXISTS computed (
            tenant_key INTEGER NOT NULL,
            profile_id BLOB NOT NULL,
            state BLOB,
            due_at INTEGER,
            PRIMARY KEY (tenant_key, profile_id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_computed_due ON computed (tenant_key, due_at, profile_id) WHERE due_at IS NOT NULL;
        INSERT INTO computed (tenant_key, profile_id, state, due_at) SELECT tenant_key, profile_id, NULL, due_at FROM computed_due;
        DROP TABLE computed_due;
        """,

        // 8: audience memberships move into the profile's computed row (a JSON array of [audience, entered_at], ordered
        // by audience), so that an update writes one row and not also a row and an index entry per membership that
        // changed; the trigger log's new entries go in as one row per session (trigger_batches, encoded by
        // SqliteTriggerBatches, sequences from meta.trigger_seq, which continues the triggers table's), instead of a
        // row and two index entries each, one at a random place (its per-profile index, which only an erasure read:
        // an erasure now reads the tenant's log). Rows of the triggers table stay and are read first.
        """
        ALTER TABLE computed ADD COLUMN audiences TEXT;
        -- (A file without the table, which step 5 made, migrates as one without memberships.)
        CREATE TABLE IF NOT EXISTS audience_members (tenant_key INTEGER NOT NULL, audience TEXT NOT NULL, profile_id BLOB NOT NULL, entered_at INTEGER NOT NULL);
        INSERT INTO computed (tenant_key, profile_id, state, due_at, audiences)
            SELECT tenant_key, profile_id, NULL, NULL, json_group_array(json_array(audience, entered_at))
            FROM (SELECT tenant_key, profile_id, audience, entered_at FROM audience_members ORDER BY tenant_key, profile_id, audience)
            WHERE true
            GROUP BY tenant_key, profile_id
            ON CONFLICT (tenant_key, profile_id) DO UPDATE SET audiences = excluded.audiences;
        DROP TABLE audience_members;
        DROP INDEX IF EXISTS ix_triggers_profile;
        CREATE TABLE IF NOT EXISTS trigger_batches (
            last_seq INTEGER PRIMARY KEY,
            tenant_key INTEGER NOT NULL,
            entries BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_trigger_batches_tenant ON trigger_batches (tenant_key, last_seq);
        INSERT INTO meta (key, value) VALUES ('trigger_seq', coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'triggers'), 0))
            ON CONFLICT (key) DO NOTHING;
        """,

        // 9: late links. An event stored quarantined (no profile) by an earlier commit, then linked, keeps its row as
        // stored and gets a row here instead: rewriting the event row would rewrite its page (a few events' payloads)
        // and its index entry, pages an earlier commit wrote, for every such event. Invariant: an event has a row
        // here only while its own row holds no profile; reads take the profile, link index and an empty quarantine
        // from here (see SqliteEventLinks). Existing files have no such events, so nothing moves.
        """
        CREATE TABLE IF NOT EXISTS event_links (
            tenant_key INTEGER NOT NULL,
            event_id INTEGER NOT NULL,
            profile_id BLOB NOT NULL,
            link_index INTEGER NOT NULL,
            PRIMARY KEY (tenant_key, event_id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_event_links_profile ON event_links (tenant_key, profile_id);
        """,
    ];

    /// <summary>Gets the newest schema version this library knows.</summary>
    public static long LatestVersion => Steps.Length;

    /// <summary>Brings the database to <see cref="LatestVersion"/>; does nothing when it is there already.</summary>
    /// <exception cref="SqliteSchemaVersionException">The file was written by a newer version.</exception>
    public static void Apply(SqliteConnection connection)
    {
        using (var journal = connection.CreateCommand())
        {
            // Persistent in the file; it cannot change inside a transaction, so it is set before the migration.
            journal.CommandText = "PRAGMA journal_mode = WAL;";
            journal.ExecuteNonQuery();
        }

        Execute(connection, "BEGIN IMMEDIATE;");
        try
        {
            Execute(connection, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;");
            long current;
            using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT value FROM meta WHERE key = 'schema_version';";
                current = read.ExecuteScalar() is long v ? v : 0;
            }

            if (current > LatestVersion)
            {
                throw new SqliteSchemaVersionException(current, LatestVersion);
            }

            for (var version = current + 1; version <= LatestVersion; version++)
            {
                Execute(connection, Steps[version - 1]);
                using var write = connection.CreateCommand();
                write.CommandText = "INSERT INTO meta (key, value) VALUES ('schema_version', $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value;";
                write.Parameters.AddWithValue("$v", version);
                write.ExecuteNonQuery();
            }

            Execute(connection, "COMMIT;");
        }
        catch
        {
            if (SqliteValues.InTransaction(connection))
            {
                Execute(connection, "ROLLBACK;");
            }

            throw;
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

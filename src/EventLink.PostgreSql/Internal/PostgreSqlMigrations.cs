using Npgsql;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// The versioned schema of the store. Each migration runs once, in order, inside one transaction that holds an
/// advisory lock on the schema, so several processes starting together neither race nor apply a step twice.
/// </summary>
internal static partial class PostgreSqlMigrations
{
    /// <summary>The migrations in order; the schema's version is the number applied.</summary>
    private static readonly Func<string, string>[] Steps = [Version1, Version2, DestinationsVersion, QualityVersion, TraitsVersion, PostgreSqlRowSecurity.Enable, IdentityChangesVersion, PayloadIndexVersion, PackedTraitsVersion];

    public static int LatestVersion => Steps.Length;

    public static async ValueTask MigrateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        var s = PostgreSqlSql.Quote(schema);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // Fast path without a lock (and without needing CREATE rights) once the schema is current.
        var current = await ReadVersionAsync(connection, null, schema, s, cancellationToken).ConfigureAwait(false);
        if (current == LatestVersion)
        {
            return;
        }

        ThrowIfNewer(current, schema);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('eventlink.migrate:' || $1, 0))", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Another process may have migrated while we waited for the lock.
        current = await ReadVersionAsync(connection, transaction, schema, s, cancellationToken).ConfigureAwait(false);
        ThrowIfNewer(current, schema);
        if (current < 0)
        {
            await ExecuteAsync(connection, transaction, $"""
                CREATE SCHEMA IF NOT EXISTS {s};
                CREATE TABLE IF NOT EXISTS {s}.schema_version (
                    id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
                    version integer NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now());
                INSERT INTO {s}.schema_version (version) VALUES (0) ON CONFLICT (id) DO NOTHING;
                """, cancellationToken).ConfigureAwait(false);

            // Read it again: this session's catalog cache may have missed a schema another process just created
            // (taking an advisory lock does not refresh it), in which case the table holds that process's version.
            current = await ReadVersionAsync(connection, transaction, schema, s, cancellationToken).ConfigureAwait(false);
            ThrowIfNewer(current, schema);
        }

        for (var version = current + 1; version <= LatestVersion; version++)
        {
            await ExecuteAsync(connection, transaction, Steps[version - 1](s), cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, $"UPDATE {s}.schema_version SET version = {version}, applied_at = now()", cancellationToken).ConfigureAwait(false);
        }

        // Tenant isolation: row-level security on every tenant table, including tables of steps after the one that
        // introduced it. Only when this process migrated: ALTER TABLE would otherwise lock tables others are writing.
        if (current < LatestVersion)
        {
            await ExecuteAsync(connection, transaction, PostgreSqlRowSecurity.Enable(s), cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the schema's version: -1 when the schema or its version table does not exist yet.</summary>
    private static async ValueTask<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, string quoted, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection, transaction))
        {
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = quoted + ".schema_version" });
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                return -1;
            }
        }

        await using var command = new NpgsqlCommand($"SELECT version FROM {quoted}.schema_version", connection, transaction);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int version
            ? version
            : throw new InvalidOperationException($"The EventLink schema '{schema}' has an empty schema_version table; it was not created by EventLink or was damaged.");
    }

    private static void ThrowIfNewer(int version, string schema)
    {
        if (version > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The EventLink schema '{schema}' is at version {version}, but this version of EventLink.PostgreSql knows versions up to {LatestVersion}. " +
                "A newer EventLink has migrated this database: upgrade the EventLink.PostgreSql package (or point this application at another schema).");
        }
    }

    private static async ValueTask ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first schema. Every table leads with <c>tenant</c> (the distribution column on Citus); keys and
    /// ordering columns use the "C" collation so that ORDER BY matches the engine's ordinal string order.
    /// </summary>
    private static string Version1(string s) => $"""
        CREATE TABLE {s}.tenants (
            tenant text COLLATE "C" PRIMARY KEY,
            version bigint NOT NULL DEFAULT 0);

        CREATE TABLE {s}.profiles (
            tenant text COLLATE "C" NOT NULL,
            id uuid NOT NULL,
            entity text NOT NULL,
            created_at timestamptz NOT NULL,
            merged_into uuid,
            PRIMARY KEY (tenant, id));

        CREATE TABLE {s}.identities (
            tenant text COLLATE "C" NOT NULL,
            kind text COLLATE "C" NOT NULL,
            value text COLLATE "C" NOT NULL,
            profile_id uuid NOT NULL,
            source text NOT NULL,
            record_type text NOT NULL,
            record_id text NOT NULL,
            first_seen_at timestamptz NOT NULL,
            PRIMARY KEY (tenant, kind, value));
        CREATE INDEX identities_profile ON {s}.identities (tenant, profile_id);

        CREATE TABLE {s}.source_records (
            tenant text COLLATE "C" NOT NULL,
            source text COLLATE "C" NOT NULL,
            record_id text COLLATE "C" NOT NULL,
            record_type text COLLATE "C" NOT NULL,
            profile_id uuid,
            occurred_at timestamptz NOT NULL,
            ingested_at timestamptz NOT NULL,
            content_hash text NOT NULL,
            quarantine_reason smallint NOT NULL DEFAULT 0,
            quarantine_message text,
            payload_text text NOT NULL,
            payload jsonb GENERATED ALWAYS AS (payload_text::jsonb) STORED,
            PRIMARY KEY (tenant, source, record_id));
        CREATE INDEX source_records_profile ON {s}.source_records (tenant, profile_id);
        CREATE INDEX source_records_quarantine ON {s}.source_records (tenant, record_type, source, record_id) WHERE profile_id IS NULL;

        CREATE TABLE {s}.attributes (
            tenant text COLLATE "C" NOT NULL,
            profile_id uuid NOT NULL,
            name text COLLATE "C" NOT NULL,
            ordinal integer NOT NULL,
            value_json text NOT NULL,
            source text NOT NULL,
            record_type text NOT NULL,
            record_id text NOT NULL,
            observed_at timestamptz NOT NULL,
            PRIMARY KEY (tenant, profile_id, name));

        CREATE TABLE {s}.events (
            tenant text COLLATE "C" NOT NULL,
            id bigint GENERATED ALWAYS AS IDENTITY,
            source text COLLATE "C" NOT NULL,
            record_id text COLLATE "C" NOT NULL,
            record_type text COLLATE "C" NOT NULL,
            event_name text NOT NULL,
            occurred_at timestamptz NOT NULL,
            ingested_at timestamptz NOT NULL,
            profile_id uuid,
            link_index integer NOT NULL,
            quarantine_reason smallint NOT NULL DEFAULT 0,
            quarantine_message text,
            payload_text text NOT NULL,
            payload jsonb GENERATED ALWAYS AS (payload_text::jsonb) STORED,
            PRIMARY KEY (tenant, id),
            UNIQUE (tenant, source, record_id));
        CREATE INDEX events_timeline ON {s}.events (tenant, profile_id, occurred_at DESC);
        CREATE INDEX events_record_type ON {s}.events (tenant, record_type, occurred_at DESC);
        CREATE INDEX events_quarantine ON {s}.events (tenant, record_type, source, record_id) WHERE profile_id IS NULL;
        CREATE INDEX events_payload ON {s}.events USING gin (payload jsonb_path_ops);

        CREATE TABLE {s}.waits (
            tenant text COLLATE "C" NOT NULL,
            event_id bigint NOT NULL,
            relation_index integer NOT NULL,
            kind text COLLATE "C" NOT NULL,
            value text COLLATE "C" NOT NULL,
            PRIMARY KEY (tenant, event_id, relation_index, kind, value));
        CREATE INDEX waits_identity ON {s}.waits (tenant, kind, value, event_id);

        CREATE TABLE {s}.merges (
            tenant text COLLATE "C" NOT NULL,
            id bigint GENERATED ALWAYS AS IDENTITY,
            owner_id uuid NOT NULL,
            history_order integer NOT NULL,
            survivor_id uuid NOT NULL,
            merged_id uuid NOT NULL,
            identity_kind text NOT NULL,
            identity_value text NOT NULL,
            source text NOT NULL,
            record_type text NOT NULL,
            record_id text NOT NULL,
            merged_at timestamptz NOT NULL,
            PRIMARY KEY (tenant, id));
        CREATE INDEX merges_owner ON {s}.merges (tenant, owner_id);

        CREATE TABLE {s}.rejections (
            tenant text COLLATE "C" NOT NULL,
            record_type text COLLATE "C" NOT NULL,
            source text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            reason smallint NOT NULL,
            message text NOT NULL,
            rejected_at timestamptz NOT NULL,
            PRIMARY KEY (tenant, record_type, source, key, reason));
        """;

    /// <summary>
    /// The identity graph: claims (records and events with the identities they assert, keyed compactly by id),
    /// conflicts, unmerge rules and memberships; and the kind of each history entry (0 = merge, 1 = split).
    /// </summary>
    private static string Version2(string s) => $"""
        ALTER TABLE {s}.merges ADD COLUMN kind smallint NOT NULL DEFAULT 0;

        CREATE TABLE {s}.claims (
            tenant text COLLATE "C" NOT NULL,
            id bigint GENERATED ALWAYS AS IDENTITY,
            source text COLLATE "C" NOT NULL,
            record_id text COLLATE "C" NOT NULL,
            kind smallint NOT NULL,
            record_type text NOT NULL,
            first_occurred_at timestamptz NOT NULL,
            PRIMARY KEY (tenant, id),
            UNIQUE (tenant, source, record_id, kind));

        CREATE TABLE {s}.claim_identities (
            tenant text COLLATE "C" NOT NULL,
            claim_id bigint NOT NULL,
            kind text COLLATE "C" NOT NULL,
            value text COLLATE "C" NOT NULL,
            PRIMARY KEY (tenant, claim_id, kind, value));
        CREATE INDEX claim_identities_identity ON {s}.claim_identities (tenant, kind, value);

        CREATE TABLE {s}.conflicts (
            tenant text COLLATE "C" NOT NULL,
            id bigint GENERATED ALWAYS AS IDENTITY,
            source text COLLATE "C" NOT NULL,
            record_id text COLLATE "C" NOT NULL,
            claim_kind smallint NOT NULL,
            record_type text NOT NULL,
            identity_kind text COLLATE "C" NOT NULL,
            identity_value text COLLATE "C" NOT NULL,
            reason smallint NOT NULL,
            other_kind smallint,
            other_source text,
            other_record_id text,
            PRIMARY KEY (tenant, id));
        CREATE INDEX conflicts_claim ON {s}.conflicts (tenant, source, record_id, claim_kind);

        CREATE TABLE {s}.unmerge_rules (
            tenant text COLLATE "C" NOT NULL,
            kind text COLLATE "C" NOT NULL,
            value text COLLATE "C" NOT NULL,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (tenant, kind, value));

        CREATE TABLE {s}.memberships (
            tenant text COLLATE "C" NOT NULL,
            member_kind text COLLATE "C" NOT NULL,
            member_value text COLLATE "C" NOT NULL,
            account_kind text COLLATE "C" NOT NULL,
            account_value text COLLATE "C" NOT NULL,
            source text COLLATE "C" NOT NULL,
            record_id text COLLATE "C" NOT NULL,
            PRIMARY KEY (tenant, member_kind, member_value, account_kind, account_value, source, record_id));
        CREATE INDEX memberships_account ON {s}.memberships (tenant, account_kind, account_value);
        """;

    /// <summary>
    /// Destinations, syncs and privacy: the change log (outbox; an identity column, so a sequence is never reused
    /// after an erasure deletes entries), sync progress, dead letters, erasure tombstones and suppressed records.
    /// </summary>
    private static string DestinationsVersion(string s) => $"""
        CREATE TABLE {s}.changes (
            tenant text COLLATE "C" NOT NULL,
            seq bigint GENERATED ALWAYS AS IDENTITY,
            kind smallint NOT NULL,
            profile_id uuid NOT NULL,
            event_id bigint,
            data text,
            at timestamptz NOT NULL,
            PRIMARY KEY (tenant, seq));
        CREATE INDEX changes_profile ON {s}.changes (tenant, profile_id);

        CREATE TABLE {s}.sync_state (
            tenant text COLLATE "C" NOT NULL,
            sync text COLLATE "C" NOT NULL,
            cursor bigint NOT NULL,
            retry_seq bigint NOT NULL,
            attempts integer NOT NULL,
            next_attempt_at timestamptz,
            last_error text,
            PRIMARY KEY (tenant, sync));

        CREATE TABLE {s}.dead_letters (
            tenant text COLLATE "C" NOT NULL,
            sync text COLLATE "C" NOT NULL,
            seq bigint NOT NULL,
            profile_id uuid NOT NULL,
            idempotency_key text NOT NULL,
            attempts integer NOT NULL,
            last_error text NOT NULL,
            dead_at timestamptz NOT NULL,
            PRIMARY KEY (tenant, sync, seq));
        CREATE INDEX dead_letters_profile ON {s}.dead_letters (tenant, profile_id);

        CREATE TABLE {s}.tombstones (
            tenant text COLLATE "C" NOT NULL,
            hash text COLLATE "C" NOT NULL,
            PRIMARY KEY (tenant, hash));

        CREATE TABLE {s}.suppressions (
            tenant text COLLATE "C" NOT NULL,
            source text COLLATE "C" NOT NULL,
            record_id text COLLATE "C" NOT NULL,
            record_type text COLLATE "C" NOT NULL,
            suppressed_at timestamptz NOT NULL,
            PRIMARY KEY (tenant, source, record_id));
        """;
}

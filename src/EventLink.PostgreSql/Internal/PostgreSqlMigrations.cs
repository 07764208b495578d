using Npgsql;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// The versioned schema of the store. Each migration runs once, in order, inside one transaction that holds an
/// advisory lock on the schema, so several processes starting together neither race nor apply a step twice.
/// </summary>
internal static partial class PostgreSqlMigrations
{
    /// <summary>The migrations in order; the schema's version is the number applied.</summary>
    private static readonly Func<string, string>[] Steps = [Version1, Version2];

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
}

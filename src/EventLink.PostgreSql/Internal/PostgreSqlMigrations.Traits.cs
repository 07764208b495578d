namespace EventLink.PostgreSql.Internal;

/// <summary>The computed-traits migration step.</summary>
internal static partial class PostgreSqlMigrations
{
    /// <summary>5: computed traits, audiences and triggers — trait states, memberships, due times, the trigger log.</summary>
    private static string TraitsVersion(string s) => $"""
        CREATE TABLE {s}.trait_states (
            tenant text COLLATE "C" NOT NULL,
            profile_id uuid NOT NULL,
            ordinal integer NOT NULL,
            name text COLLATE "C" NOT NULL,
            value text NOT NULL,
            state text NOT NULL,
            PRIMARY KEY (tenant, profile_id, ordinal));

        CREATE TABLE {s}.audience_members (
            tenant text COLLATE "C" NOT NULL,
            audience text COLLATE "C" NOT NULL,
            profile_id uuid NOT NULL,
            entered_at timestamptz NOT NULL,
            PRIMARY KEY (tenant, audience, profile_id));
        CREATE INDEX audience_members_profile ON {s}.audience_members (tenant, profile_id);

        CREATE TABLE {s}.computed_due (
            tenant text COLLATE "C" NOT NULL,
            profile_id uuid NOT NULL,
            due_at timestamptz NOT NULL,
            PRIMARY KEY (tenant, profile_id));
        CREATE INDEX computed_due_at ON {s}.computed_due (tenant, due_at, profile_id);

        CREATE TABLE {s}.triggers (
            tenant text COLLATE "C" NOT NULL,
            seq bigint GENERATED ALWAYS AS IDENTITY,
            kind smallint NOT NULL,
            name text COLLATE "C" NOT NULL,
            profile_id uuid NOT NULL,
            event_id bigint,
            at timestamptz NOT NULL,
            PRIMARY KEY (tenant, seq));
        CREATE INDEX triggers_profile ON {s}.triggers (tenant, profile_id);
        """;

    /// <summary>
    /// 9: computed state packed per profile: the due-time row also holds every trait state of the profile (opaque to
    /// the store), so an update writes one row instead of a row per trait; a profile may have a packed state and no due
    /// time. Trait rows written before stay in trait_states, read until the profile's next update replaces them.
    /// </summary>
    private static string PackedTraitsVersion(string s) => $"""
        ALTER TABLE {s}.computed_due ADD COLUMN IF NOT EXISTS state bytea;
        ALTER TABLE {s}.computed_due ALTER COLUMN due_at DROP NOT NULL;
        """;
}

using EventLink.Sqlite.Identity.Internal;
using EventLink.Sqlite.Traits.Internal;
using EventLink.Storage;
using Microsoft.Data.Sqlite;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Internal;

/// <summary>
/// What a session's feature classes share: the write connection and its prepared statements, the tenant key every
/// statement is scoped by, the version the session's commit produces, and the session's dirty flag.
/// </summary>
/// <remarks>
/// One per session, created with it; the features are created on first use, so a batch that only ingests events
/// allocates none of them.
/// </remarks>
internal sealed class SqliteSessionContext
{
    private SqliteIdentityLog? _identityLog;
    private SqliteDeferredWrites? _deferred;
    private SqliteHeldTraitWrites? _heldTraits;

    public SqliteSessionContext(SqliteStoreSession session, SqliteWriter writer, long tenantKey, long version, long identityLogFrom)
    {
        Session = session;
        Writer = writer;
        TenantKey = tenantKey;
        TenantKeyValue = tenantKey;
        ChangedVersion = version + 1;
        ChangedVersionValue = ChangedVersion;
        IdentityLogFrom = identityLogFrom;
    }

    public SqliteStoreSession Session { get; }

    public SqliteWriter Writer { get; }

    public long TenantKey { get; }

    /// <summary>The tenant key, boxed once for every statement of the session.</summary>
    public object TenantKeyValue { get; }

    /// <summary>The version the session's commit produces (<see cref="EventLinkStoreSession.Version"/> + 1).</summary>
    public long ChangedVersion { get; }

    /// <summary>The version the session's commit produces (<see cref="EventLinkStoreSession.Version"/> + 1), boxed once.</summary>
    public object ChangedVersionValue { get; }

    /// <summary>The oldest version the tenant's identity log answers from.</summary>
    public long IdentityLogFrom { get; }

    public SqliteIdentityLog IdentityLog => _identityLog ??= new SqliteIdentityLog(this);

    /// <summary>The waits and links the session holds until its next statement (see <see cref="SqliteDeferredWrites"/>).</summary>
    public SqliteDeferredWrites Deferred => _deferred ??= new SqliteDeferredWrites(this);

    /// <summary>The computed-state writes the session holds until its next statement (see <see cref="SqliteHeldTraitWrites"/>).</summary>
    public SqliteHeldTraitWrites HeldTraits => _heldTraits ??= new SqliteHeldTraitWrites(this);

    /// <summary>Writes the held waits, links, computed state and trigger-log entries, before a statement that does not go through <see cref="Command"/> (a commit, a tenant's erasure) or one that reads the trigger log.</summary>
    public void FlushDeferred()
    {
        _deferred?.Flush();
        _heldTraits?.Flush(withTriggers: true);
    }

    /// <summary>The identity log if the session has used it; one it has not used has logged no removals, so has nothing to compact.</summary>
    public SqliteIdentityLog? IdentityLogIfUsed => _identityLog;

    /// <summary>Gets a prepared statement whose first parameter is the tenant key, set to this session's tenant.</summary>
    public SqliteCommand Command(string sql, params ReadOnlySpan<string> parameters)
    {
        Session.ThrowIfClosed();
        _deferred?.Flush();
        _heldTraits?.Flush();
        var command = Writer.Get(sql, tenantScoped: true, parameters);
        command.Parameters[0].Value = TenantKeyValue;
        return command;
    }

    /// <summary>Gets a statement bound by position whose parameter 0 is <c>$t</c>, set to this session's tenant (see <see cref="SqliteRawStatement"/>).</summary>
    public SqliteRawStatement Statement(string sql, string[] parameters)
    {
        Session.ThrowIfClosed();
        _deferred?.Flush();
        _heldTraits?.Flush();
        var statement = Writer.GetStatement(sql, parameters);
        statement.Set(0, TenantKey);
        return statement;
    }

    /// <summary>Runs a statement bound by position; the session counts as changed when it changed a row.</summary>
    public void Write(SqliteRawStatement statement)
    {
        if (statement.Execute() > 0)
        {
            Session.MarkDirty();
        }
    }

    /// <summary>Runs a statement; the session counts as changed when it changed a row.</summary>
    public void Write(SqliteCommand command)
    {
        if (command.ExecuteNonQuery() > 0)
        {
            Session.MarkDirty();
        }
    }

    public void MarkDirty() => Session.MarkDirty();

    /// <summary>Runs a statement whose one parameter besides the tenant is <c>$profile</c>; returns the rows it changed.</summary>
    public int Delete(string sql, byte[] profile)
    {
        var command = Command(sql, "$profile");
        command.Parameters[1].Value = profile;
        return command.ExecuteNonQuery();
    }

    /// <summary>Adds to <paramref name="closure"/> every profile merged, directly or not, into one it holds.</summary>
    public void AddMergedProfiles(List<byte[]> closure)
    {
        var merged = Command(SqliteSessionSql.MergedInto, "$profile");
        for (var i = 0; i < closure.Count; i++)
        {
            merged.Parameters[1].Value = closure[i];
            using var reader = merged.ExecuteReader();
            while (reader.Read())
            {
                closure.Add(reader.GetFieldValue<byte[]>(0));
            }
        }
    }

    /// <summary>Binds an identity row to one of the identity statements (which share their parameters).</summary>
    public SqliteCommand BindIdentity(string sql, IdentityRow identity)
    {
        var command = Command(sql, "$kind", "$value", "$profile", "$source", "$type", "$record", "$seen", "$changed");
        var p = command.Parameters;
        p[1].Value = identity.Key.Kind;
        p[2].Value = identity.Key.Value;
        p[3].Value = Session.ProfileBlob(identity.ProfileId);
        p[4].Value = identity.Source;
        p[5].Value = identity.RecordType;
        p[6].Value = identity.RecordId;
        p[7].Value = ToMicros(identity.FirstSeenAt);
        p[8].Value = ChangedVersionValue;
        return command;
    }
}

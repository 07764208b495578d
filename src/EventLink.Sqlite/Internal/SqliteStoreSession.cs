using System.Runtime.CompilerServices;
using EventLink.Sqlite.Quarantine.Internal;
using EventLink.Storage;
using Microsoft.Data.Sqlite;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Internal;

/// <summary>
/// A session of the SQLite store: one <c>BEGIN IMMEDIATE</c> transaction on the store's write connection, which
/// holds SQLite's write lock (so no other process writes the file meanwhile) until commit or rollback.
/// </summary>
internal sealed partial class SqliteStoreSession : EventLinkStoreSession
{
    private readonly SqliteEventLinkStore _store;
    private readonly SqliteWriter _writer;
    private readonly string _tenant;
    private readonly long _tenantKey;
    private readonly SqliteSessionContext _context;
    private bool _dirty;
    private bool _committed;
    private bool _disposed;

    // Hot-path caches: consecutive events mostly share the batch clock and often the profile.
    private long _lastIngestedAt = long.MinValue;

    // Profiles this session created whose attributes it has not written yet.
    private HashSet<Guid>? _freshProfiles;

    // Events inserted by this session have ids from here up (a new rowid is above every stored one); those whose
    // waits this session has set are in the set. An event of this session that is in neither has no waits to replace.
    private long _firstNewEventId = long.MaxValue;
    private HashSet<long>? _waitsSet;
    private object _lastIngestedAtValue = DBNull.Value;
    private Guid _lastProfile;
    private byte[]? _lastProfileBlob;

    private SqliteStoreSession(SqliteEventLinkStore store, SqliteWriter writer, string tenant, long tenantKey, long version, long identityLogFrom)
    {
        _store = store;
        _writer = writer;
        _tenant = tenant;
        _tenantKey = tenantKey;
        Version = version;
        _context = new SqliteSessionContext(this, writer, tenantKey, version, identityLogFrom);
    }

    public override long Version { get; }

    /// <summary>Begins the transaction and reads (or registers) the tenant; the caller holds the store's write gate.</summary>
    public static SqliteStoreSession Begin(SqliteEventLinkStore store, SqliteWriter writer, string tenant)
    {
        writer.Execute(SqliteSessionSql.BeginImmediate);
        try
        {
            long key;
            long version;
            long identityLogFrom = 0;
            var find = writer.Get(SqliteSessionSql.FindTenant, tenantScoped: false, "$name");
            find.Parameters[0].Value = tenant;
            using (var reader = find.ExecuteReader())
            {
                if (reader.Read())
                {
                    key = reader.GetInt64(0);
                    version = reader.GetInt64(1);
                    identityLogFrom = reader.GetInt64(2);
                }
                else
                {
                    key = -1;
                    version = 0;
                }
            }

            if (key < 0)
            {
                var add = writer.Get(SqliteSessionSql.AddTenant, tenantScoped: false, "$name");
                add.Parameters[0].Value = tenant;
                add.ExecuteNonQuery();
                key = LastInsertRowId(writer.Connection);
            }

            return new SqliteStoreSession(store, writer, tenant, key, version, identityLogFrom);
        }
        catch
        {
            if (InTransaction(writer.Connection))
            {
                writer.Execute(SqliteSessionSql.Rollback);
            }

            throw;
        }
    }

    public override async IAsyncEnumerable<KeyValuePair<IdentityKey, Guid>> ReadIdentityIndexAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var command = _context.Command(SqliteSessionSql.ReadIdentityIndex);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return new(new IdentityKey(reader.GetString(0), reader.GetString(1)), ToGuid(reader, 2));
            }
        }
    }

    public override ValueTask<ProfileRow?> GetProfileAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _context.Command(SqliteSessionSql.GetProfile, "$id");
        command.Parameters[1].Value = ToBlob(profileId);
        using var reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read() ? SqliteReads.ReadProfileRow(reader) : null);
    }

    public override ValueTask CreateProfileAsync(ProfileRow profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        cancellationToken.ThrowIfCancellationRequested();
        var command = _context.Statement(SqliteSessionSql.CreateProfile, SqliteSessionSql.CreateProfileParameters);
        command.Set(1, ProfileBlob(profile.Id));
        command.Set(2, profile.Entity);
        command.Set(3, ToMicros(profile.CreatedAt));
        command.Set(4, profile.MergedInto is { } mergedInto ? ToBlob(mergedInto) : null);
        _context.Write(command);
        (_freshProfiles ??= []).Add(profile.Id);
        return ValueTask.CompletedTask;
    }

    public override ValueTask AddIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        cancellationToken.ThrowIfCancellationRequested();
        _context.Write(_context.BindIdentity(SqliteSessionSql.AddIdentity, identity));
        return ValueTask.CompletedTask;
    }

    public override ValueTask<IReadOnlyList<IdentityRow>> GetIdentitiesAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _context.Command(SqliteReads.Identities, "$profile");
        command.Parameters[1].Value = ToBlob(profileId);
        return ValueTask.FromResult<IReadOnlyList<IdentityRow>>(SqliteReads.ReadIdentities(command));
    }

    public override ValueTask<SourceRecordRow?> GetSourceRecordAsync(string source, string recordId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _context.Statement(SqliteSessionSql.GetSourceRecord, SqliteSessionSql.RecordKeyParameters);
        command.Set(1, source);
        command.Set(2, recordId);
        using var reader = command.Query();
        return ValueTask.FromResult(reader.Read() ? SqliteReads.ReadSourceRecord(reader) : null);
    }

    public override ValueTask UpsertSourceRecordAsync(SourceRecordRow record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var command = _context.Statement(SqliteSessionSql.UpsertSourceRecord, SqliteSessionSql.UpsertSourceRecordParameters);
        command.Set(1, record.Source);
        command.Set(2, record.RecordId);
        command.Set(3, record.RecordType);
        command.Set(4, record.ProfileId is { } profile ? ProfileBlob(profile) : null);
        command.Set(5, ToMicros(record.OccurredAt));
        command.Set(6, ToMicros(record.IngestedAt));
        command.Set(7, record.ContentHash);
        command.Set(8, record.PayloadJson);
        command.Set(9, (int)record.QuarantineReason);
        command.Set(10, record.QuarantineMessage);
        _context.Write(command);
        return ValueTask.CompletedTask;
    }

    public override ValueTask<IReadOnlyList<SourceRecordRow>> GetSourceRecordsAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _context.Command(SqliteSessionSql.GetSourceRecords, "$profile");
        command.Parameters[1].Value = ToBlob(profileId);
        var rows = new List<SourceRecordRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(SqliteReads.ReadSourceRecord(reader));
        }

        return ValueTask.FromResult<IReadOnlyList<SourceRecordRow>>(rows);
    }

    public override ValueTask ReplaceAttributesAsync(Guid profileId, IReadOnlyList<AttributeRow> attributes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        cancellationToken.ThrowIfCancellationRequested();
        var profile = ToBlob(profileId);

        // A profile this session created has no attributes until its first replacement: nothing to delete then.
        if (_freshProfiles?.Remove(profileId) != true)
        {
            var delete = _context.Command(SqliteSessionSql.DeleteAttributes, "$profile");
            delete.Parameters[1].Value = profile;
            _context.Write(delete);
        }

        var statement = SqliteSessionSql.InsertAttributes;
        for (var start = 0; start < attributes.Count; start += SqliteMultiRow.MaxRows)
        {
            var rows = Math.Min(SqliteMultiRow.MaxRows, attributes.Count - start);
            var insert = statement.Statement(_context, rows);
            insert.Set(1, profile);
            for (var i = 0; i < rows; i++)
            {
                var attribute = attributes[start + i];
                var at = statement.FirstRowParameter + (i * statement.ColumnCount);
                insert.Set(at, start + i);
                insert.Set(at + 1, attribute.Name);
                insert.Set(at + 2, attribute.ValueJson);
                insert.Set(at + 3, attribute.Source);
                insert.Set(at + 4, attribute.RecordType);
                insert.Set(at + 5, attribute.RecordId);
                insert.Set(at + 6, ToMicros(attribute.ObservedAt));
            }

            insert.Execute();
        }

        _dirty = true;
        return ValueTask.CompletedTask;
    }

    public override ValueTask<long?> TryInsertEventAsync(EventRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(InsertEvent(InsertEventCommand(), row));
    }

    public override ValueTask<IReadOnlyList<string?>> GetEventRecordTypesAsync(IReadOnlyList<(string Source, string RecordId)> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        var command = _context.Statement(SqliteSessionSql.GetEventRecordType, SqliteSessionSql.RecordKeyParameters);
        var types = new string?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            command.Set(1, keys[i].Source);
            command.Set(2, keys[i].RecordId);
            using var reader = command.Query();
            types[i] = reader.Read() ? reader.GetString(0) : null;
        }

        return ValueTask.FromResult<IReadOnlyList<string?>>(types);
    }

    public override ValueTask<IReadOnlyList<long?>> TryInsertEventsAsync(IReadOnlyList<EventRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        cancellationToken.ThrowIfCancellationRequested();
        var command = InsertEventCommand();
        var ids = new long?[rows.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            if ((i & 1023) == 1023)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            ids[i] = InsertEvent(command, rows[i]);
        }

        return ValueTask.FromResult<IReadOnlyList<long?>>(ids);
    }

    public override ValueTask SetWaitsAsync(long eventId, IReadOnlyList<EventWait> waits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(waits);
        cancellationToken.ThrowIfCancellationRequested();
        if (eventId < _firstNewEventId || !(_waitsSet ??= []).Add(eventId))
        {
            var delete = _context.Command(SqliteSessionSql.DeleteWaits, "$event");
            delete.Parameters[1].Value = eventId;
            delete.ExecuteNonQuery();
        }

        if (waits.Count > 0)
        {
            _context.Session.ThrowIfClosed();
            _context.Deferred.AddWaits(eventId, waits);
        }

        // As the in-memory store: setting waits counts as a change even when it changes nothing.
        _dirty = true;
        return ValueTask.CompletedTask;
    }

    public override ValueTask<IReadOnlyList<PendingLink>> GetWaitsAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(SqliteWaitReads.Of(_context, key));
    }

    public override ValueTask<IReadOnlyList<IReadOnlyList<PendingLink>>> GetWaitsByIdentitiesAsync(IReadOnlyList<IdentityKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(SqliteWaitReads.Of(_context, keys));
    }

    public override ValueTask LinkEventAsync(long eventId, Guid profileId, int relationIndex, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfClosed();
        _context.Deferred.AddLink(eventId, profileId, ProfileBlob(profileId), relationIndex);
        return ValueTask.CompletedTask;
    }

    public override ValueTask SetQuarantineAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _context.Command(SqliteSessionSql.SetQuarantine, "$event", "$reason", "$message");
        command.Parameters[1].Value = eventId;
        command.Parameters[2].Value = (int)reason;
        command.Parameters[3].Value = message;
        _context.Write(command);
        return ValueTask.CompletedTask;
    }

    public override ValueTask AddRejectionAsync(RejectionRow rejection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        cancellationToken.ThrowIfCancellationRequested();
        var command = _context.Command(SqliteSessionSql.AddRejection, "$source", "$type", "$key", "$reason", "$message", "$at");
        var p = command.Parameters;
        p[1].Value = rejection.Source;
        p[2].Value = rejection.RecordType;
        p[3].Value = rejection.Key;
        p[4].Value = (int)rejection.Reason;
        p[5].Value = rejection.Message;
        p[6].Value = ToMicros(rejection.RejectedAt);
        _context.Write(command);
        return ValueTask.CompletedTask;
    }

    public override ValueTask<long> CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ObjectDisposedException.ThrowIf(_committed, this);
        cancellationToken.ThrowIfCancellationRequested();
        _context.FlushDeferred();
        var version = Version;
        if (_dirty)
        {
            version++;
            _context.IdentityLogIfUsed?.Compact(version);
            var bump = _writer.Get(SqliteSessionSql.SetVersion, tenantScoped: true, "$version");
            bump.Parameters[0].Value = _context.TenantKeyValue;
            bump.Parameters[1].Value = version;
            bump.ExecuteNonQuery();
        }

        _writer.Execute(SqliteSessionSql.Commit);
        _committed = true;
        _store.RememberTenant(_tenant, _tenantKey);
        return ValueTask.FromResult(version);
    }

    public override ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        try
        {
            if (InTransaction(_writer.Connection))
            {
                _writer.Execute(SqliteSessionSql.Rollback);
            }
        }
        finally
        {
            _store.ReleaseWriter();
        }

        return ValueTask.CompletedTask;
    }

    private SqliteCommand InsertEventCommand() =>
        _context.Command(SqliteSessionSql.InsertEvent, "$source", "$record", "$type", "$name", "$occurred", "$ingested", "$profile", "$link", "$reason", "$message", "$payload");

    /// <summary>The hot path: one prepared INSERT per event; a conflict on (tenant, source, record id) inserts nothing.</summary>
    private long? InsertEvent(SqliteCommand command, EventRow row)
    {
        var p = command.Parameters;
        p[1].Value = row.Source;
        p[2].Value = row.RecordId;
        p[3].Value = row.RecordType;
        p[4].Value = row.EventName;
        p[5].Value = ToMicros(row.OccurredAt);
        var ingested = ToMicros(row.IngestedAt);
        if (ingested != _lastIngestedAt)
        {
            _lastIngestedAt = ingested;
            _lastIngestedAtValue = ingested;
        }

        p[6].Value = _lastIngestedAtValue;
        p[7].Value = row.ProfileId is { } profile ? ProfileBlob(profile) : DBNull.Value;
        p[8].Value = row.LinkIndex;
        p[9].Value = (int)row.QuarantineReason;
        p[10].Value = ToDb(row.QuarantineMessage);
        p[11].Value = row.PayloadJson;
        if (command.ExecuteNonQuery() == 0)
        {
            return null;
        }

        _dirty = true;
        var id = LastInsertRowId(_writer.Connection);
        _firstNewEventId = Math.Min(_firstNewEventId, id);
        return id;
    }

    /// <summary>Events from this id up were inserted by this session (<see cref="long.MaxValue"/> when it inserted none).</summary>
    internal long FirstNewEventId => _firstNewEventId;

    internal byte[] ProfileBlob(Guid profileId)
    {
        if (_lastProfileBlob is null || profileId != _lastProfile)
        {
            _lastProfile = profileId;
            _lastProfileBlob = ToBlob(profileId);
        }

        return _lastProfileBlob;
    }

    /// <summary>Counts the session as changed: its commit bumps the tenant's version.</summary>
    internal void MarkDirty() => _dirty = true;

    internal void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_disposed || _committed, this);
}

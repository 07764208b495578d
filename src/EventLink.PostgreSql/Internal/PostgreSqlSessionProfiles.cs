using System.Runtime.CompilerServices;
using EventLink.Storage;
using Npgsql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// Profiles, identities, merged source records, attributes and rejections in a PostgreSQL session: reads are answered
/// from the working set (<see cref="PostgreSqlSessionCache"/>) when it holds them, writes go to the write buffers
/// (<see cref="PostgreSqlWriteBuffers"/>).
/// </summary>
internal sealed class PostgreSqlSessionProfiles(PostgreSqlSessionContext context)
{
    private readonly PostgreSqlSessionContext _context = context;

    public async IAsyncEnumerable<KeyValuePair<IdentityKey, Guid>> ReadIdentityIndexAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = await _context.PrepareAsync(_context.Sql.ReadIdentityIndex, cancellationToken, Text(_context.Tenant)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new(new IdentityKey(reader.GetString(0), reader.GetString(1)), reader.GetGuid(2));
        }
    }

    public async ValueTask<ProfileRow?> GetProfileAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        if (_context.Cache.TryGetProfile(profileId, out var cached))
        {
            return cached;
        }

        await using var command = await _context.PrepareAsync(_context.Sql.GetProfileRow, cancellationToken, Text(_context.Tenant), Uuid(profileId)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadProfile(reader) : null;
    }

    public ValueTask CreateProfileAsync(ProfileRow profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        profile = profile with { CreatedAt = TimestampReader.Normalize(profile.CreatedAt) };

        _context.Cache.AddNewProfile(profile);
        _context.Buffers.AddProfile(profile);
        return ValueTask.CompletedTask;
    }

    public ValueTask AddIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _context.Cache.CacheIdentity(identity);
        _context.Buffers.AddIdentity(identity);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<IReadOnlyList<IdentityRow>> GetIdentitiesAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        if (_context.Cache.TryGetIdentities(profileId, out var cached))
        {
            return cached;
        }

        var rows = new List<IdentityRow>();
        await using var command = await _context.PrepareAsync(_context.Sql.GetIdentities, cancellationToken, Text(_context.Tenant), Uuid(profileId)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ReadIdentity(reader));
        }

        rows.Sort((a, b) => a.Key.CompareTo(b.Key));
        return rows;
    }

    public async ValueTask<SourceRecordRow?> GetSourceRecordAsync(string source, string recordId, CancellationToken cancellationToken = default)
    {
        if (_context.Cache.TryGetSourceRecord(source, recordId, out var cached))
        {
            return cached;
        }

        await using var command = await _context.PrepareAsync(_context.Sql.GetSourceRecord, cancellationToken, Text(_context.Tenant), Text(source), Text(recordId)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadSourceRecord(reader) : null;
    }

    public ValueTask UpsertSourceRecordAsync(SourceRecordRow record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        _context.Cache.CacheSourceRecord(record);
        _context.Buffers.AddSourceRecord(record);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<IReadOnlyList<SourceRecordRow>> GetSourceRecordsAsync(Guid profileId, CancellationToken cancellationToken = default)
    {
        if (_context.Cache.TryGetSourceRecords(profileId, out var cached))
        {
            return cached;
        }

        var rows = new List<SourceRecordRow>();
        await using var command = await _context.PrepareAsync(_context.Sql.GetSourceRecords, cancellationToken, Text(_context.Tenant), Uuid(profileId)).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ReadSourceRecord(reader));
        }

        return rows;
    }

    public ValueTask ReplaceAttributesAsync(Guid profileId, IReadOnlyList<AttributeRow> attributes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        _context.Buffers.ReplaceAttributes(profileId, attributes);
        return ValueTask.CompletedTask;
    }

    public async ValueTask AddRejectionAsync(RejectionRow rejection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        await using var command = await _context.PrepareAsync(
            _context.Sql.AddRejection,
            cancellationToken,
            Text(_context.Tenant),
            Text(rejection.Source),
            Text(rejection.RecordType),
            Text(rejection.Key),
            Reason(rejection.Reason),
            Text(rejection.Message),
            Timestamp(rejection.RejectedAt)).ConfigureAwait(false);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
            _context.Dirty = true;
        }
    }
}

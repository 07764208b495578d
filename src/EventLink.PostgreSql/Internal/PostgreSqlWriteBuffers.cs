using EventLink.Storage;
using Npgsql;
using static EventLink.PostgreSql.IdentityGraph.Internal.PostgreSqlGraphSql;
using static EventLink.PostgreSql.Internal.PostgreSqlRows;

namespace EventLink.PostgreSql.Internal;

/// <summary>
/// Set-based writes: what a batch writes to profiles, merged records, claims, identities, attributes, conflicts and
/// memberships is gathered here, one entry per row key (the last write of each, or the union the single-row
/// statement would have made), and becomes one statement per table when the buffers are sealed. They are sealed, in
/// order, before any other deferred statement that touches those tables (a merge, say) and before every flush, so
/// the database sees the same changes in an order with the same effect.
/// </summary>
internal sealed class PostgreSqlWriteBuffers(PostgreSqlSessionContext context)
{
    private readonly PostgreSqlSessionContext _context = context;
    private readonly List<ProfileRow> _newProfiles = [];
    private readonly Dictionary<(string Source, string RecordId), SourceRecordRow> _recordWrites = [];
    private readonly Dictionary<ClaimKey, (string RecordType, DateTimeOffset FirstOccurredAt)> _claimWrites = [];
    private readonly HashSet<(ClaimKey Claim, IdentityKey Identity)> _claimIdentityWrites = [];
    private readonly Dictionary<IdentityKey, IdentityRow> _identityWrites = [];
    private readonly Dictionary<Guid, IReadOnlyList<AttributeRow>> _attributeWrites = [];

    // Profiles this session created whose attribute rows it has not written yet: none are stored, so replacing them
    // deletes nothing. Kept for the session (a flush does not clear it; a failed one fails the session).
    private readonly HashSet<Guid> _withoutAttributes = [];
    private readonly HashSet<ClaimKey> _conflictDeletes = [];
    private readonly List<ConflictRow> _conflictInserts = [];
    private readonly HashSet<MembershipRow> _membershipWrites = [];
    private bool _buffered;

    /// <summary>Gets the buffered links of events and their waits (sealed last, and before any other statement about events).</summary>
    public PostgreSqlLinkBuffer Links { get; } = new(context);

    /// <summary>Buffers a profile the session creates.</summary>
    public void AddProfile(ProfileRow profile)
    {
        _newProfiles.Add(profile);
        _withoutAttributes.Add(profile.Id);
        _buffered = true;
        _context.Dirty = true;
    }

    /// <summary>Buffers a merged source record's row (inserted, or replacing the one stored).</summary>
    public void AddSourceRecord(SourceRecordRow record)
    {
        _recordWrites[(record.Source, record.RecordId)] = record;
        _buffered = true;
        _context.Dirty = true;
    }

    /// <summary>Buffers an identity's row (inserted, or replacing the one stored).</summary>
    public void AddIdentity(IdentityRow identity)
    {
        _identityWrites[identity.Key] = identity;
        _buffered = true;
        _context.Dirty = true;
    }

    /// <summary>Buffers the attributes that replace a profile's.</summary>
    public void ReplaceAttributes(Guid profileId, IReadOnlyList<AttributeRow> attributes)
    {
        _attributeWrites[profileId] = [.. attributes];
        _buffered = true;
        _context.Dirty = true;
    }

    /// <summary>Buffers a membership (a counted write: it counts as a change only when it adds a row).</summary>
    public void AddMembership(MembershipRow membership)
    {
        _membershipWrites.Add(membership);
        _buffered = true;
    }

    public void AddClaim(ClaimKey key, string recordType, DateTimeOffset occurredAt, IReadOnlyList<IdentityKey> identities)
    {
        // The statement keeps the first record type and the earliest time, and adds identities.
        _claimWrites[key] = _claimWrites.TryGetValue(key, out var claim)
            ? (claim.RecordType, occurredAt < claim.FirstOccurredAt ? occurredAt : claim.FirstOccurredAt)
            : (recordType, occurredAt);
        foreach (var identity in identities)
        {
            _claimIdentityWrites.Add((key, identity));
        }

        _buffered = true;
    }

    public void ReplaceConflicts(IReadOnlyList<ClaimKey> claims, IReadOnlyList<ConflictRow> conflicts)
    {
        // Replacing the conflicts of some claims drops those buffered for them, as the DELETE would.
        var replaced = claims.ToHashSet();
        _conflictInserts.RemoveAll(c => replaced.Contains(c.Claim));
        _conflictDeletes.UnionWith(replaced);
        _conflictInserts.AddRange(conflicts);
        _buffered = true;
    }

    /// <summary>Moves the buffered writes to the deferred statements, one statement per table.</summary>
    public void Seal()
    {
        if (!_buffered)
        {
            Links.Seal();
            return;
        }

        _buffered = false;
        var sql = _context.Sql.Buffers;
        if (_newProfiles.Count > 0)
        {
            var rows = _newProfiles;
            _context.AddDeferred(BatchCommand(
                sql.Profiles,
                Text(_context.Tenant),
                UuidArray([.. rows.Select(r => r.Id)]),
                TextArray([.. rows.Select(r => r.Entity)]),
                TimestampArray([.. rows.Select(r => r.CreatedAt.UtcDateTime)]),
                NullableUuidArray([.. rows.Select(r => r.MergedInto)])), counted: false);
            rows.Clear();
        }

        if (_recordWrites.Count > 0)
        {
            var rows = _recordWrites.Values;
            _context.AddDeferred(BatchCommand(
                sql.SourceRecords,
                Text(_context.Tenant),
                TextArray([.. rows.Select(r => r.Source)]),
                TextArray([.. rows.Select(r => r.RecordId)]),
                TextArray([.. rows.Select(r => r.RecordType)]),
                NullableUuidArray([.. rows.Select(r => r.ProfileId)]),
                TimestampArray([.. rows.Select(r => r.OccurredAt.UtcDateTime)]),
                TimestampArray([.. rows.Select(r => r.IngestedAt.UtcDateTime)]),
                TextArray([.. rows.Select(r => r.ContentHash)]),
                TextArray([.. rows.Select(r => r.PayloadJson)]),
                SmallintArray([.. rows.Select(r => (short)r.QuarantineReason)]),
                NullableTextArray([.. rows.Select(r => r.QuarantineMessage)])), counted: false);
            _recordWrites.Clear();
        }

        if (_claimWrites.Count > 0)
        {
            var claims = _claimWrites.ToList();
            _context.AddDeferred(BatchCommand(
                sql.Claims,
                Text(_context.Tenant),
                TextArray([.. claims.Select(c => c.Key.Source)]),
                TextArray([.. claims.Select(c => c.Key.RecordId)]),
                SmallintArray([.. claims.Select(c => (short)c.Key.Kind)]),
                TextArray([.. claims.Select(c => c.Value.RecordType)]),
                TimestampArray([.. claims.Select(c => c.Value.FirstOccurredAt.UtcDateTime)])), counted: true);
            _claimWrites.Clear();
        }

        if (_claimIdentityWrites.Count > 0)
        {
            var pairs = _claimIdentityWrites.ToList();
            _context.AddDeferred(BatchCommand(
                sql.ClaimIdentities,
                Text(_context.Tenant),
                TextArray([.. pairs.Select(p => p.Claim.Source)]),
                TextArray([.. pairs.Select(p => p.Claim.RecordId)]),
                SmallintArray([.. pairs.Select(p => (short)p.Claim.Kind)]),
                TextArray([.. pairs.Select(p => p.Identity.Kind)]),
                TextArray([.. pairs.Select(p => p.Identity.Value)])), counted: true);
            _claimIdentityWrites.Clear();
        }

        if (_identityWrites.Count > 0)
        {
            var rows = _identityWrites.Values;
            var version = _context.ChangedVersion;
            _context.AddDeferred(BatchCommand(
                sql.Identities,
                Text(_context.Tenant),
                TextArray([.. rows.Select(r => r.Key.Kind)]),
                TextArray([.. rows.Select(r => r.Key.Value)]),
                UuidArray([.. rows.Select(r => r.ProfileId)]),
                TextArray([.. rows.Select(r => r.Source)]),
                TextArray([.. rows.Select(r => r.RecordType)]),
                TextArray([.. rows.Select(r => r.RecordId)]),
                TimestampArray([.. rows.Select(r => r.FirstSeenAt.UtcDateTime)]),
                LongArray([.. rows.Select(_ => version)])), counted: false);
            _identityWrites.Clear();
        }

        if (_attributeWrites.Count > 0)
        {
            // A profile created by this session has no rows to delete the first time its attributes are written.
            var stored = _attributeWrites.Keys.Where(id => !_withoutAttributes.Remove(id)).ToArray();
            if (stored.Length > 0)
            {
                _context.AddDeferred(BatchCommand(sql.DeleteAttributes, Text(_context.Tenant), UuidArray(stored)), counted: false);
            }

            var rows = _attributeWrites.SelectMany(p => p.Value.Select((a, i) => (Profile: p.Key, Ordinal: i, Attribute: a))).ToList();
            if (rows.Count > 0)
            {
                _context.AddDeferred(BatchCommand(
                    sql.InsertAttributes,
                    Text(_context.Tenant),
                    UuidArray([.. rows.Select(r => r.Profile)]),
                    IntArray([.. rows.Select(r => r.Ordinal)]),
                    TextArray([.. rows.Select(r => r.Attribute.Name)]),
                    TextArray([.. rows.Select(r => r.Attribute.ValueJson)]),
                    TextArray([.. rows.Select(r => r.Attribute.Source)]),
                    TextArray([.. rows.Select(r => r.Attribute.RecordType)]),
                    TextArray([.. rows.Select(r => r.Attribute.RecordId)]),
                    TimestampArray([.. rows.Select(r => r.Attribute.ObservedAt.UtcDateTime)])), counted: false);
            }

            _attributeWrites.Clear();
        }

        if (_conflictDeletes.Count > 0 || _conflictInserts.Count > 0)
        {
            foreach (var command in ConflictCommands([.. _conflictDeletes], _conflictInserts))
            {
                _context.AddDeferred(command, counted: true);
            }

            _conflictDeletes.Clear();
            _conflictInserts.Clear();
        }

        if (_membershipWrites.Count > 0)
        {
            var rows = _membershipWrites.ToList();
            _context.AddDeferred(BatchCommand(
                sql.Memberships,
                Text(_context.Tenant),
                TextArray([.. rows.Select(m => m.Member.Kind)]),
                TextArray([.. rows.Select(m => m.Member.Value)]),
                TextArray([.. rows.Select(m => m.Account.Kind)]),
                TextArray([.. rows.Select(m => m.Account.Value)]),
                TextArray([.. rows.Select(m => m.Source)]),
                TextArray([.. rows.Select(m => m.RecordId)])), counted: true);
            _membershipWrites.Clear();
        }

        Links.Seal();
    }

    /// <summary>Drops the buffered writes (the session is ending uncommitted, or a flush failed).</summary>
    public void Clear()
    {
        Links.Clear();
        _buffered = false;
        _newProfiles.Clear();
        _recordWrites.Clear();
        _claimWrites.Clear();
        _claimIdentityWrites.Clear();
        _identityWrites.Clear();
        _attributeWrites.Clear();
        _conflictDeletes.Clear();
        _conflictInserts.Clear();
        _membershipWrites.Clear();
    }

    /// <summary>The statements deleting the conflicts of some claims, then inserting conflicts (in order).</summary>
    private IEnumerable<NpgsqlBatchCommand> ConflictCommands(IReadOnlyList<ClaimKey> claims, IReadOnlyList<ConflictRow> conflicts)
    {
        if (claims.Count > 0)
        {
            yield return BatchCommand(
                _context.Sql.Graph.DeleteConflicts,
                Text(_context.Tenant),
                TextArray([.. claims.Select(c => c.Source)]),
                TextArray([.. claims.Select(c => c.RecordId)]),
                SmallintArray([.. claims.Select(c => (short)c.Kind)]));
        }

        if (conflicts.Count > 0)
        {
            yield return BatchCommand(
                _context.Sql.Graph.InsertConflicts,
                Text(_context.Tenant),
                TextArray([.. conflicts.Select(c => c.Claim.Source)]),
                TextArray([.. conflicts.Select(c => c.Claim.RecordId)]),
                SmallintArray([.. conflicts.Select(c => (short)c.Claim.Kind)]),
                TextArray([.. conflicts.Select(c => c.RecordType)]),
                TextArray([.. conflicts.Select(c => c.Identity.Kind)]),
                TextArray([.. conflicts.Select(c => c.Identity.Value)]),
                SmallintArray([.. conflicts.Select(c => (short)c.Reason)]),
                SmallintArray([.. conflicts.Select(c => c.Other is { } other ? (short)other.Kind : (short)-1)]),
                NullableTextArray([.. conflicts.Select(c => c.Other?.Source)]),
                NullableTextArray([.. conflicts.Select(c => c.Other?.RecordId)]));
        }
    }
}

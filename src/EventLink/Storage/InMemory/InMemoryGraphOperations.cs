namespace EventLink.Storage.InMemory;

/// <summary>The identity graph primitives of the in-memory store.</summary>
internal sealed class InMemoryGraphOperations(InMemorySessionContext context, InMemoryIdentityJournal journal)
{
    private readonly InMemorySessionContext _context = context;
    private readonly InMemoryTenant _state = context.State;
    private readonly InMemoryIdentityJournal _journal = journal;

    public ValueTask UpsertClaimAsync(ClaimKey key, string recordType, DateTimeOffset occurredAt, IReadOnlyList<IdentityKey> identities, CancellationToken cancellationToken = default)
    {
        if (!_state.Claims.TryGetValue(key, out var claim))
        {
            claim = new InMemoryClaim(recordType, occurredAt);
            _state.Claims.Add(key, claim);
            _context.Push(() => _state.Claims.Remove(key));
        }
        else if (occurredAt < claim.FirstOccurredAt)
        {
            var before = claim.FirstOccurredAt;
            claim.FirstOccurredAt = occurredAt;
            _context.Push(() => claim.FirstOccurredAt = before);
        }

        foreach (var identity in identities)
        {
            if (claim.Identities.Add(identity))
            {
                _state.ClaimsByIdentity.AddTo(identity, key);
                _context.Push(() =>
                {
                    claim.Identities.Remove(identity);
                    _state.ClaimsByIdentity.RemoveFrom(identity, key);
                });
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<ClaimState?> GetClaimAsync(ClaimKey key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(InMemoryEventLinkStore.ReadClaim(_state, key));

    public ValueTask<IReadOnlyList<ClaimKey>> GetClaimsByIdentityAsync(IdentityKey identity, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<ClaimKey>>(_state.ClaimsByIdentity.TryGetValue(identity, out var claims) ? claims.Order().ToList() : []);

    public ValueTask<IdentityRow?> GetIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_state.Identities.TryGetValue(key, out var row) ? row : null);

    public ValueTask AddIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default)
    {
        _state.Identities.Add(identity.Key, identity);
        _state.IdentitiesByProfile.AddTo(identity.ProfileId, identity.Key);
        _context.Push(() =>
        {
            _state.Identities.Remove(identity.Key);
            _state.IdentitiesByProfile.RemoveFrom(identity.ProfileId, identity.Key);
        });
        _journal.Add(identity.Key);
        return ValueTask.CompletedTask;
    }

    public ValueTask SetIdentityAsync(IdentityRow identity, CancellationToken cancellationToken = default)
    {
        if (_state.Identities.TryGetValue(identity.Key, out var before))
        {
            _state.MoveIdentity(before, identity);
            _context.Push(() => _state.MoveIdentity(identity, before));
            _journal.Add(identity.Key);
            return ValueTask.CompletedTask;
        }

        return AddIdentityAsync(identity, cancellationToken);
    }

    public ValueTask RemoveIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        if (_state.Identities.Remove(key, out var row))
        {
            _state.IdentitiesByProfile.RemoveFrom(row.ProfileId, key);
            _context.Push(() =>
            {
                _state.Identities.Add(key, row);
                _state.IdentitiesByProfile.AddTo(row.ProfileId, key);
            });
            _journal.Add(key);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<EventRow>> GetEventsOfProfileAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<EventRow>>(_state.EventsByProfile.TryGetValue(profileId, out var ids)
            ? ids.Order().Select(id => _state.Events[id]).ToList()
            : []);

    public ValueTask UnlinkEventAsync(long eventId, IngestReason reason, string message, CancellationToken cancellationToken = default)
    {
        var before = _state.Events[eventId];
        var after = before with { ProfileId = null, LinkIndex = -1, QuarantineReason = reason, QuarantineMessage = message };
        _state.ReplaceEvent(before, after);
        _context.Push(() => _state.ReplaceEvent(after, before));
        return ValueTask.CompletedTask;
    }

    public ValueTask ReplaceConflictsAsync(IReadOnlyList<ClaimKey> claims, IReadOnlyList<ConflictRow> conflicts, CancellationToken cancellationToken = default)
    {
        foreach (var claim in claims.Distinct())
        {
            if (_state.Conflicts.Remove(claim, out var old))
            {
                _context.Push(() => _state.Conflicts[claim] = old);
            }
        }

        foreach (var group in conflicts.GroupBy(c => c.Claim))
        {
            var list = group.ToList();
            var had = _state.Conflicts.TryGetValue(group.Key, out var previous);
            _state.Conflicts[group.Key] = had ? [.. previous!, .. list] : list;
            _context.Push(() =>
            {
                if (had)
                {
                    _state.Conflicts[group.Key] = previous!;
                }
                else
                {
                    _state.Conflicts.Remove(group.Key);
                }
            });
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<IdentityKey>> GetUnmergeRulesAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<IdentityKey>>(_state.UnmergeRules.Keys.Order().ToList());

    public ValueTask AddUnmergeRuleAsync(IdentityKey identity, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        if (_state.UnmergeRules.TryAdd(identity, createdAt))
        {
            _context.Push(() => _state.UnmergeRules.Remove(identity));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask AddMembershipAsync(MembershipRow membership, CancellationToken cancellationToken = default)
    {
        if (_state.Memberships.Add(membership))
        {
            _context.Push(() => _state.Memberships.Remove(membership));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask AddHistoryAsync(MergeRow entry, CancellationToken cancellationToken = default)
    {
        var had = _state.MergeHistory.TryGetValue(entry.SurvivorId, out var previous);
        var combined = new List<MergeRow>(previous ?? []) { entry };
        combined.Sort((a, b) => a.MergedAt.CompareTo(b.MergedAt));
        _state.MergeHistory[entry.SurvivorId] = combined;
        _context.Push(() =>
        {
            if (had)
            {
                _state.MergeHistory[entry.SurvivorId] = previous!;
            }
            else
            {
                _state.MergeHistory.Remove(entry.SurvivorId);
            }
        });
        return ValueTask.CompletedTask;
    }
}

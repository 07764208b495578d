namespace EventLink.Storage.InMemory;

/// <summary>Changes of one tenant's rows that keep its index maps (…ByProfile, Waits) in step (callers record their undo), and the merge closure.</summary>
internal sealed partial class InMemoryTenant
{
    public void ReplaceEvent(EventRow before, EventRow after)
    {
        Events[after.Id] = after;
        if (before.ProfileId is { } oldProfile)
        {
            EventsByProfile.RemoveFrom(oldProfile, before.Id);
        }

        if (after.ProfileId is { } newProfile)
        {
            EventsByProfile.AddTo(newProfile, after.Id);
        }
    }

    public void ReplaceWaits(long eventId, IReadOnlyList<EventWait> waits)
    {
        if (WaitsByEvent.Remove(eventId, out var old))
        {
            foreach (var wait in old)
            {
                if (Waits.TryGetValue(wait.Key, out var list))
                {
                    list.RemoveAll(w => w.EventId == eventId && w.Index == wait.RelationIndex);
                    if (list.Count == 0)
                    {
                        Waits.Remove(wait.Key);
                    }
                }
            }
        }

        if (waits.Count == 0)
        {
            return;
        }

        WaitsByEvent[eventId] = waits.ToList();
        foreach (var wait in waits)
        {
            if (!Waits.TryGetValue(wait.Key, out var list))
            {
                list = [];
                Waits[wait.Key] = list;
            }

            list.Add((eventId, wait.RelationIndex));
        }
    }

    public void MoveIdentity(IdentityRow before, IdentityRow after)
    {
        Identities[after.Key] = after;
        IdentitiesByProfile.RemoveFrom(before.ProfileId, before.Key);
        IdentitiesByProfile.AddTo(after.ProfileId, after.Key);
    }

    public void MoveRecord(RecordKey key, SourceRecordRow before, SourceRecordRow after)
    {
        SourceRecords[key] = after;
        if (before.ProfileId is { } oldProfile)
        {
            SourceRecordsByProfile.RemoveFrom(oldProfile, key);
        }

        if (after.ProfileId is { } newProfile)
        {
            SourceRecordsByProfile.AddTo(newProfile, key);
        }
    }

    /// <summary>A profile with every profile merged into it, directly or through others.</summary>
    public HashSet<Guid> MergedClosure(Guid root)
    {
        var closure = new HashSet<Guid> { root };
        bool grew;
        do
        {
            grew = false;
            foreach (var row in Profiles.Values)
            {
                if (row.MergedInto is { } into && closure.Contains(into) && closure.Add(row.Id))
                {
                    grew = true;
                }
            }
        }
        while (grew);

        return closure;
    }
}

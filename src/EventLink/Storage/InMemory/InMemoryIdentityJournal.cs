using System.Runtime.CompilerServices;

namespace EventLink.Storage.InMemory;

/// <summary>
/// Identity changes of the in-memory store, for one session: every change journals its key with the version the
/// session's commit produces (sessions of a tenant take turns on its gate, and a commit that changed something adds one).
/// </summary>
internal sealed class InMemoryIdentityJournal(InMemorySessionContext context)
{
    /// <summary>The journal's size past which a commit drops its older half.</summary>
    private const int JournalLimit = 65_536;

    private readonly InMemorySessionContext _context = context;
    private readonly InMemoryTenant _state = context.State;

    /// <summary>Streams the identities changed since a version, or <see langword="null"/> when the journal cannot tell.</summary>
    public IAsyncEnumerable<IdentityChange>? ReadChanges(long sinceVersion, CancellationToken cancellationToken) =>
        sinceVersion < _state.IdentityJournalFrom || sinceVersion > _context.Version ? null : ReadJournalAsync(sinceVersion, cancellationToken);

    private async IAsyncEnumerable<IdentityChange> ReadJournalAsync(long sinceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var journal = _state.IdentityJournal;
        var seen = new HashSet<IdentityKey>();
        for (var i = FirstAfter(journal, sinceVersion); i < journal.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = journal[i].Key;
            if (seen.Add(key))
            {
                yield return new IdentityChange(key, _state.Identities.TryGetValue(key, out var row) ? row.ProfileId : null);
            }
        }
    }

    /// <summary>Journals a change of <paramref name="key"/> (undone with the session).</summary>
    public void Add(IdentityKey key)
    {
        var journal = _state.IdentityJournal;
        journal.Add((_context.Version + 1, key));
        _context.Push(() => journal.RemoveAt(journal.Count - 1));
    }

    /// <summary>
    /// Forgets the journal after an erasure, so that no erased identity outlives it there: a process whose index
    /// predates this commit reads the whole index again.
    /// </summary>
    public void Reset()
    {
        var journal = _state.IdentityJournal;
        var kept = journal.ToArray();
        var from = _state.IdentityJournalFrom;
        journal.Clear();
        _state.IdentityJournalFrom = _context.Version + 1;
        _context.Push(() =>
        {
            journal.Clear();
            journal.AddRange(kept);
            _state.IdentityJournalFrom = from;
        });
    }

    /// <summary>Once the journal outgrows its limit, drops its older half, cutting between versions.</summary>
    /// <param name="state">The tenant, at the commit of a session that changed something.</param>
    public static void Compact(InMemoryTenant state)
    {
        var journal = state.IdentityJournal;
        if (journal.Count <= JournalLimit)
        {
            return;
        }

        var cut = journal.Count - (JournalLimit / 2);
        var through = journal[cut - 1].Version;
        while (cut < journal.Count && journal[cut].Version == through)
        {
            cut++;
        }

        journal.RemoveRange(0, cut);
        state.IdentityJournalFrom = Math.Max(state.IdentityJournalFrom, through);
    }

    /// <summary>The index of the first entry with a version above <paramref name="version"/>.</summary>
    private static int FirstAfter(List<(long Version, IdentityKey Key)> journal, long version)
    {
        int low = 0, high = journal.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (journal[middle].Version <= version)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}

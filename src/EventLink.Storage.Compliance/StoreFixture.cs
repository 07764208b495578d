using EventLink.Storage;

namespace EventLink.Storage.Compliance;

/// <summary>
/// Creates isolated stores of one backend for the contract suites. Each test asks for a store by a name
/// unique to it (its own SQLite file, its own PostgreSQL schema), so tests never see each other's data.
/// </summary>
public abstract class StoreFixture : IAsyncLifetime
{
    /// <summary>Gets whether the data outlives the process (false for the in-memory store, whose <see cref="OpenStoreAsync"/> returns the same instance).</summary>
    public abstract bool IsDurable { get; }

    /// <summary>Creates a new, empty store named <paramref name="name"/> (removing what an earlier run left under that name).</summary>
    public abstract Task<EventLinkStore> CreateStoreAsync(string name);

    /// <summary>Opens another instance over the data of the store named <paramref name="name"/> (as a restarted process would).</summary>
    public abstract Task<EventLinkStore> OpenStoreAsync(string name);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;
}

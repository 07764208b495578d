using EventLink.Storage;

namespace EventLink.Storage.Compliance;

/// <summary>
/// Creates isolated stores of one backend for the contract suites: the one type a store author implements to enroll
/// a store. Each test asks for a store by a name unique to it (its own SQLite file, its own PostgreSQL schema), so
/// tests never see each other's data. xunit creates one fixture per test class.
/// </summary>
/// <remarks>
/// A fixture may also declare <c>public static string? SkipReason { get; }</c>: when it returns a reason, every
/// <see cref="StoreFactAttribute"/> test of the classes using the fixture is skipped with it (for instance when the
/// database to test against is not configured on this machine).
/// </remarks>
public abstract class StoreFixture : IAsyncLifetime
{
    /// <summary>Gets whether the data outlives the store instance: <see cref="OpenStoreAsync"/> then opens a new instance over it.</summary>
    /// <value><see langword="false"/> for the in-memory store, whose <see cref="OpenStoreAsync"/> returns the same instance.</value>
    public abstract bool IsDurable { get; }

    /// <summary>Creates a new, empty store named <paramref name="name"/>, removing what an earlier run left under that name.</summary>
    /// <param name="name">A lower-case name made of the test class and test names (letters, digits and underscores).</param>
    /// <returns>The store, initialized and ready for sessions; the caller owns it.</returns>
    public abstract Task<EventLinkStore> CreateStoreAsync(string name);

    /// <summary>Opens another instance over the data of the store named <paramref name="name"/>, as a restarted process would.</summary>
    /// <param name="name">The name given to <see cref="CreateStoreAsync"/>.</param>
    /// <returns>The store, initialized and ready for sessions; the caller owns it.</returns>
    public abstract Task<EventLinkStore> OpenStoreAsync(string name);

    /// <summary>Runs once before the first test of a class: starts or connects to the backend. Does nothing by default.</summary>
    /// <returns>A task that completes when stores can be created.</returns>
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Runs once after the last test of a class: removes what the fixture created. Does nothing by default.</summary>
    /// <returns>A task that completes when the fixture has cleaned up.</returns>
    public virtual Task DisposeAsync() => Task.CompletedTask;
}

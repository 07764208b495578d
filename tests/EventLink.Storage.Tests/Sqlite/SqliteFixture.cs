using EventLink.Sqlite;
using Microsoft.Data.Sqlite;

namespace EventLink.Storage.Tests;

/// <summary>SQLite stores for the contract suites: each store name is its own file in a directory this fixture owns.</summary>
public sealed class SqliteFixture : StoreFixture
{
    public SqliteFixture() => Directory = Path.Combine(Path.GetTempPath(), "eventlink-sqlite-" + Guid.NewGuid().ToString("N"));

    /// <summary>Gets the directory holding this fixture's files (deleted at dispose).</summary>
    public string Directory { get; }

    public override bool IsDurable => true;

    /// <summary>Gets the file of the store named <paramref name="name"/>.</summary>
    public string PathOf(string name) => Path.Combine(Directory, name + ".db");

    /// <summary>Gets the options of a new store instance over the file of <paramref name="name"/>.</summary>
    public SqliteEventLinkStoreOptions OptionsOf(string name) => new() { ConnectionString = $"Data Source={PathOf(name)}" };

    public override async Task<EventLinkStore> CreateStoreAsync(string name)
    {
        DeleteFiles(name);
        var store = new SqliteEventLinkStore(OptionsOf(name));
        await store.InitializeAsync();
        return store;
    }

    public override async Task<EventLinkStore> OpenStoreAsync(string name)
    {
        var store = new SqliteEventLinkStore(OptionsOf(name));
        await store.InitializeAsync();
        return store;
    }

    /// <summary>Removes the file of <paramref name="name"/> and its WAL companions.</summary>
    public void DeleteFiles(string name)
    {
        System.IO.Directory.CreateDirectory(Directory);

        // A pooled connection to a deleted file would keep writing to the old file: drop them first.
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
        {
            File.Delete(PathOf(name) + suffix);
        }
    }

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        return Task.CompletedTask;
    }
}

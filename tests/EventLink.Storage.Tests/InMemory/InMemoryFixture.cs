using System.Collections.Concurrent;
using EventLink.Storage.InMemory;

namespace EventLink.Storage.Tests.InMemory;

/// <summary>The in-memory store: one instance per store name; opening it again returns that instance.</summary>
public sealed class InMemoryFixture : StoreFixture
{
    private readonly ConcurrentDictionary<string, InMemoryEventLinkStore> _stores = new();

    public override bool IsDurable => false;

    public override Task<EventLinkStore> CreateStoreAsync(string name) =>
        Task.FromResult<EventLinkStore>(_stores[name] = new InMemoryEventLinkStore());

    public override Task<EventLinkStore> OpenStoreAsync(string name) =>
        Task.FromResult<EventLinkStore>(_stores[name]);
}

using System.Runtime.CompilerServices;
using EventLink.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventLink.Storage.Compliance;

/// <summary>Shared plumbing of the contract suites: builds an <see cref="IEventLink"/> over a fresh store of the fixture's backend.</summary>
public abstract class ContractTestBase<TFixture> : IClassFixture<TFixture>, IAsyncLifetime
    where TFixture : StoreFixture
{
    private readonly List<IAsyncDisposable> _disposables = [];

    protected ContractTestBase(TFixture fixture) => Fixture = fixture;

    protected TFixture Fixture { get; }

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Creates EventLink over a new, empty store named after the calling test.</summary>
    protected async Task<IEventLink> CreateAsync(Action<SchemaBuilder>? schema = null, Action<EventLinkOptions>? options = null, [CallerMemberName] string name = "")
    {
        var store = await Fixture.CreateStoreAsync(StoreName(name));
        return Build(store, schema, options);
    }

    /// <summary>Creates EventLink over another instance of the store a test created (a restart).</summary>
    protected async Task<IEventLink> ReopenAsync(Action<SchemaBuilder>? schema = null, [CallerMemberName] string name = "")
    {
        var store = await Fixture.OpenStoreAsync(StoreName(name));
        return Build(store, schema, null);
    }

    protected IEventLink Build(EventLinkStore store, Action<SchemaBuilder>? schema, Action<EventLinkOptions>? options)
    {
        var builder = new EventLinkBuilder();
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.AddSchema(schema ?? TestSchema.Define).UseStore(_ => store);
        if (options is not null)
        {
            builder.Configure(options);
        }

        var link = builder.Build();
        _disposables.Add(link);
        return link;
    }

    private string StoreName(string test) => $"{GetType().Name}_{test}".ToLowerInvariant();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }
    }
}

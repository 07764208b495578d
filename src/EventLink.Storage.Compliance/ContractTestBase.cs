using System.Runtime.CompilerServices;
using EventLink.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventLink.Storage.Compliance;

/// <summary>
/// The base of every contract suite: builds an <see cref="IEventLink"/> over a fresh store of the fixture's backend,
/// on a fake clock, and disposes what it built when the test ends.
/// </summary>
/// <typeparam name="TFixture">The fixture that creates the stores under test; xunit shares one instance per test class.</typeparam>
/// <remarks>
/// A store enrolls in a suite with an empty class deriving from it, such as
/// <c>public sealed class MyTimelineTests(MyFixture fixture) : TimelineContractTests&lt;MyFixture&gt;(fixture);</c>.
/// A store-only test can derive from this class to reuse the same plumbing.
/// </remarks>
public abstract class ContractTestBase<TFixture> : IClassFixture<TFixture>, IAsyncLifetime
    where TFixture : StoreFixture
{
    private readonly List<IAsyncDisposable> _disposables = [];

    /// <summary>Initializes a new instance of the <see cref="ContractTestBase{TFixture}"/> class.</summary>
    /// <param name="fixture">The fixture xunit shares between the tests of the class.</param>
    protected ContractTestBase(TFixture fixture) => Fixture = fixture;

    /// <summary>Gets the fixture that creates the stores under test.</summary>
    protected TFixture Fixture { get; }

    /// <summary>The tombstone secret (<see cref="EventLinkPrivacyOptions.TombstoneSecret"/>) every <see cref="IEventLink"/> of the suites is built with.</summary>
    protected const string TombstoneSecret = "compliance-suite-tombstone-secret-0123456789";

    /// <summary>Gets the clock every <see cref="IEventLink"/> of the test runs on.</summary>
    /// <value>Starts at 2026-06-01 12:00 UTC and moves only when a test advances it.</value>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Creates EventLink over a new, empty store named after the calling test.</summary>
    /// <param name="schema">The schema; <see cref="TestSchema.Define"/> when <see langword="null"/>.</param>
    /// <param name="options">Configures the options, or <see langword="null"/> for the defaults.</param>
    /// <param name="configure">Configures the builder further (services such as a meter factory), or <see langword="null"/>.</param>
    /// <param name="name">The store name within the test class; the calling member by default.</param>
    /// <returns>An <see cref="IEventLink"/> disposed when the test ends.</returns>
    protected async Task<IEventLink> CreateAsync(Action<SchemaBuilder>? schema = null, Action<EventLinkOptions>? options = null, Action<EventLinkBuilder>? configure = null, [CallerMemberName] string name = "")
    {
        var store = await NewStoreAsync(name);
        return Build(store, schema, options, configure);
    }

    /// <summary>Creates EventLink over another instance of the store a test created (a restart, or a second process).</summary>
    /// <param name="schema">The schema; <see cref="TestSchema.Define"/> when <see langword="null"/>.</param>
    /// <param name="configure">Configures the builder further, or <see langword="null"/>.</param>
    /// <param name="name">The store name given to <see cref="CreateAsync"/>; the calling member by default.</param>
    /// <returns>An <see cref="IEventLink"/> disposed when the test ends.</returns>
    protected async Task<IEventLink> ReopenAsync(Action<SchemaBuilder>? schema = null, Action<EventLinkBuilder>? configure = null, [CallerMemberName] string name = "")
    {
        var store = await ReopenStoreAsync(name);
        return Build(store, schema, null, configure);
    }

    /// <summary>Creates a new, empty store through the fixture, named after the test class and <paramref name="name"/>.</summary>
    /// <param name="name">The store name within the test class; the calling member by default.</param>
    /// <returns>The store, owned by the <see cref="IEventLink"/> that <see cref="Build"/> creates over it.</returns>
    protected Task<EventLinkStore> NewStoreAsync([CallerMemberName] string name = "") => Fixture.CreateStoreAsync(StoreName(name));

    /// <summary>Opens another instance over the data of a store created with <see cref="NewStoreAsync"/> (a restart).</summary>
    /// <param name="name">The store name given to <see cref="NewStoreAsync"/>; the calling member by default.</param>
    /// <returns>The store, owned by the <see cref="IEventLink"/> that <see cref="Build"/> creates over it.</returns>
    protected Task<EventLinkStore> ReopenStoreAsync([CallerMemberName] string name = "") => Fixture.OpenStoreAsync(StoreName(name));

    /// <summary>Builds EventLink over <paramref name="store"/> on <see cref="Time"/>; it is disposed when the test ends.</summary>
    /// <param name="store">The store; the returned instance owns it.</param>
    /// <param name="schema">The schema; <see cref="TestSchema.Define"/> when <see langword="null"/>.</param>
    /// <param name="options">Configures the options, or <see langword="null"/> for the defaults.</param>
    /// <param name="configure">Adds features (traits, destinations, data quality...) to the builder, or <see langword="null"/>.</param>
    /// <returns>The built <see cref="IEventLink"/>.</returns>
    protected IEventLink Build(EventLinkStore store, Action<SchemaBuilder>? schema, Action<EventLinkOptions>? options, Action<EventLinkBuilder>? configure = null)
    {
        var builder = new EventLinkBuilder();
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.AddSchema(schema ?? TestSchema.Define).UseStore(_ => store);
        if (options is not null)
        {
            builder.Configure(options);
        }

        // Erasure is configured as in production: tombstones keyed with a secret (a test may set it to null after).
        builder.ConfigurePrivacy(p => p.TombstoneSecret = TombstoneSecret);
        configure?.Invoke(builder);
        var link = builder.Build();
        _disposables.Add(link);
        return link;
    }

    /// <summary>Gets the name of a test's store: unique to the test class and the test, so no two tests share data.</summary>
    /// <param name="test">The test (or a name within it).</param>
    /// <returns>A lower-case name, usable as a file name or a PostgreSQL schema name.</returns>
    protected string StoreName(string test) => $"{GetType().Name}_{test}".ToLowerInvariant();

    /// <summary>Runs before each test; does nothing by default.</summary>
    /// <returns>A task that completes when the test may start.</returns>
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Runs after each test: disposes every <see cref="IEventLink"/> the test built, with its store.</summary>
    /// <returns>A task that completes when everything is disposed.</returns>
    public virtual async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }
    }
}

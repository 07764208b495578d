using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventLink.Tests.Destinations;

public sealed class EventLinkSyncServiceTests
{
    private sealed class Collecting : IEventLinkDestination
    {
        public ConcurrentQueue<DestinationMessage> Received { get; } = new();

        public ValueTask<DeliveryResult> DeliverAsync(DestinationMessage message, CancellationToken cancellationToken = default)
        {
            Received.Enqueue(message);
            return ValueTask.FromResult(DeliveryResult.Success);
        }
    }

    [Fact]
    public async Task AddSyncService_runs_the_syncs_in_the_background_until_the_host_stops()
    {
        var destination = new Collecting();
        var services = new ServiceCollection();
        services.AddEventLink(b => b
            .AddSchema(s => s
                .Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email"))
                .AppendOnly("charge", t => t.RecordId("id").OccurredAt("created").RelatesTo("email", "customer")))
            .AddDestination("d", _ => destination)
            .AddSync("all", s => s.Send = SyncContent.Both)
            .AddSync("events", s => s.Destination = "d")
            .ConfigureSyncs(o => o.Interval = TimeSpan.FromMilliseconds(20))
            .AddSyncService());
        services.Configure<EventLinkSyncOptions>(o => o.Syncs["all"].Destination = "d");
        await using var provider = services.BuildServiceProvider();
        var service = provider.GetServices<IHostedService>().OfType<EventLinkSyncService>().Single();
        var link = provider.GetRequiredService<IEventLink>();

        await service.StartAsync(CancellationToken.None);
        await link.IngestAsync([
            new IngestRecord("stripe", "customer", """{"id":"cus_1","email":"ada@example.com","created":1767258000}"""),
            new IngestRecord("stripe", "charge", """{"id":"ch_1","email":"ada@example.com","created":1767258000}"""),
        ]);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (destination.Received.Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await service.StopAsync(CancellationToken.None);
        destination.Received.Select(m => m.IdempotencyKey).Order().Should().Equal(
            "all:event:stripe:ch_1", $"all:profile:{destination.Received.First(m => m.Kind == DestinationMessageKind.Profile).ProfileId}:1", "events:event:stripe:ch_1");
    }

    [Fact]
    public async Task RunSyncOnceAsync_with_an_unknown_sync_is_misuse()
    {
        await using var link = new EventLinkBuilder()
            .AddSchema(s => s.Merged("customer", t => t.Identity("email")))
            .Build();

        var act = async () => await link.RunSyncOnceAsync("nope");
        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*No sync is named 'nope'*");
    }
}

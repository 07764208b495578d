namespace EventLink.Samples.Quickstart.Data;

/// <summary>
/// Builds the quickstart's data set, the same every run for a given seed: what five tools would send in four months,
/// in the order their webhooks would arrive — mostly on time, some late, some twice, a few broken.
/// </summary>
internal static class SampleData
{
    public const int DefaultSeed = 2026;
    public const int CustomerCount = 32;

    private const double LateShare = 0.08;
    private const double RedeliveryShare = 0.05;

    public static SampleDataSet Generate(int seed = DefaultSeed)
    {
        var random = new Random(seed);
        var population = new Population(random);
        var events = ChurnStory.Events()
            .Concat(population.Customers(CustomerCount))
            .Concat(population.Outsiders())
            .ToList();

        var deliveries = new List<Delivery>(events.Count + 32);
        foreach (var sourceEvent in events)
        {
            var (delay, kind) = sourceEvent.Delay is { } scripted
                ? (scripted, scripted > TimeSpan.FromHours(1) ? DeliveryKind.Late : DeliveryKind.OnTime)
                : RandomDelay(random);
            var deliveredAt = sourceEvent.OccurredAt + delay;
            deliveries.Add(new Delivery(deliveredAt, sourceEvent.Record, kind));

            if (sourceEvent.Redelivered || random.NextDouble() < RedeliveryShare)
            {
                var retryAfter = TimeSpan.FromMinutes(random.Next(1, 60 * 48));
                deliveries.Add(new Delivery(deliveredAt + retryAfter, sourceEvent.Record, DeliveryKind.Redelivery));
            }
        }

        deliveries.AddRange(BrokenDeliveries());

        // Arrival order: by delivery time, ties kept in generation order (OrderBy is stable).
        var inArrivalOrder = deliveries.OrderBy(d => d.DeliveredAt).ToList();
        var emails = new[] { ChurnStory.Email }.Concat(population.People.Select(p => p.Email)).ToList();
        return new SampleDataSet(inArrivalOrder, ChurnStory.Email, emails);
    }

    /// <summary>Most webhooks arrive within two minutes; some are held back for hours or days by retries and outages.</summary>
    private static (TimeSpan Delay, DeliveryKind Kind) RandomDelay(Random random) =>
        random.NextDouble() < LateShare
            ? (TimeSpan.FromMinutes(random.Next(120, 60 * 24 * 4)), DeliveryKind.Late)
            : (TimeSpan.FromSeconds(random.Next(1, 120)), DeliveryKind.OnTime);

    /// <summary>Payloads EventLink must reject without failing the batch they arrive in.</summary>
    private static IEnumerable<Delivery> BrokenDeliveries()
    {
        // An Intercom webhook cut off mid-body by a proxy.
        yield return new Delivery(At(2, 9), new IngestRecord(Intercom.Source, "conversation", """{"type":"notification_event","id":"notif_77a0","topic":"conversation.user.cre"""), DeliveryKind.Broken);

        // A Zendesk trigger whose placeholder rendered an impossible date.
        yield return new Delivery(At(3, 12), new IngestRecord(Zendesk.Source, "ticket", """{"id":9913999,"type":"ticket.created","ticket":{"id":48999,"subject":"Login loop","requester":{"email":"ops@bluefinlabs.io"}},"created_at":"2026-02-30T09:00:00+01:00"}"""), DeliveryKind.Broken);

        // A Stripe event type the schema does not model.
        yield return new Delivery(At(4, 2), new IngestRecord(Stripe.Source, "payout", """{"id":"po_1R0xYzRk2b7TfA","object":"payout","amount":1250000,"currency":"usd","created":1775116800}"""), DeliveryKind.Broken);
    }

    private static DateTimeOffset At(int month, int day) => new(2026, month, day, 12, 0, 0, TimeSpan.Zero);
}

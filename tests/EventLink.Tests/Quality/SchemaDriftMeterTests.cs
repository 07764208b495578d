using System.Diagnostics.Metrics;

namespace EventLink.Tests.Quality;

public sealed class SchemaDriftMeterTests
{
    [Fact]
    public async Task A_field_changing_type_is_counted_on_the_EventLink_meter()
    {
        var seen = new List<(string Field, string JsonType)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "EventLink" && instrument.Name == "eventlink.schema.drift")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var map = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString());
            if (map["source"] == "meter-test-source")
            {
                lock (seen)
                {
                    seen.Add((map["field"]!, map["json_type"]!));
                }
            }
        });
        listener.Start();

        await using var link = new EventLinkBuilder()
            .AddSchema(s => s.AppendOnly("charge", t => t.RecordId("id").OccurredAt("created").RelatesTo("email", "customer")).Merged("customer", t => t.Identity("email")))
            .Build();
        await link.IngestAsync(new IngestRecord("meter-test-source", "charge", """{"id":"1","created":1767571200,"email":"a@b.co","amount":1}"""));
        await link.IngestAsync(new IngestRecord("meter-test-source", "charge", """{"id":"2","created":1767571300,"email":"a@b.co","amount":2}"""));
        await link.IngestAsync(new IngestRecord("meter-test-source", "charge", """{"id":"3","created":1767571400,"email":"a@b.co","amount":"3"}"""));

        lock (seen)
        {
            seen.Where(s => s.Field == "amount").Should().Equal(("amount", "number"), ("amount", "string"));
        }
    }
}

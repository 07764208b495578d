using System.Diagnostics;
using EventLink.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace EventLink.AspNetCore.Tests.Diagnostics;

public sealed class OpenTelemetryTests
{
    [Fact]
    public async Task AddEventLinkInstrumentation_exports_the_ingest_span_and_the_records_counter()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        var tenant = "otel-" + Guid.NewGuid().ToString("N");
        using (var tracer = Sdk.CreateTracerProviderBuilder().AddEventLinkInstrumentation().AddInMemoryExporter(spans).Build())
        using (var meter = Sdk.CreateMeterProviderBuilder().AddEventLinkInstrumentation().AddInMemoryExporter(metrics).Build())
        {
            await using var link = new EventLinkBuilder().AddSchema(s => Presets.SourcePresets.Stripe.Apply(s)).Build();
            await link.ForTenant(tenant).IngestAsync(Presets.SourcePresets.Stripe.Read(CollectorHost.Lines("stripe")[0]).Records);
            meter!.ForceFlush();
            tracer!.ForceFlush();
        }

        var ingest = spans.Where(s => s.Source.Name == EventLinkDiagnostics.ActivitySourceName && Equals(s.GetTagItem("eventlink.tenant"), tenant))
            .Should().ContainSingle(s => s.OperationName == "eventlink.ingest").Subject;
        ingest.GetTagItem("eventlink.outcome.created").Should().Be(1);
        metrics.Should().Contain(m => m.MeterName == EventLinkDiagnostics.MeterName && m.Name == "eventlink.records.ingested");
    }
}

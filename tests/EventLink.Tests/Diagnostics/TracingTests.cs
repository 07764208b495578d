using System.Diagnostics;
using EventLink.Diagnostics;

namespace EventLink.Tests.Diagnostics;

public sealed class TracingTests
{
    [Fact]
    public async Task An_ActivityListener_sees_an_ingest_span_with_its_outcome_counts_and_the_commit_inside_it()
    {
        var tenant = "tracing-" + Guid.NewGuid().ToString("N");
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == EventLinkDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                // Other tests run beside this one on the same static source: keep this tenant's spans.
                if (Equals(a.GetTagItem("eventlink.tenant"), tenant))
                {
                    lock (stopped)
                    {
                        stopped.Add(a);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await using var link = new EventLinkBuilder()
            .AddSchema(s => s.AppendOnly("charge", t => t.RecordId("id").OccurredAt("created").RelatesTo("email", "customer")).Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email", IdentityKinds.Email)))
            .Build()
            .ForTenant(tenant);
        await link.IngestAsync(
        [
            new IngestRecord("stripe", "customer", """{"id":"c1","created":1767571100,"email":"ada@example.com"}"""),
            new IngestRecord("stripe", "charge", """{"id":"1","created":1767571200,"email":"ada@example.com"}"""),
            new IngestRecord("stripe", "charge", """{"id":"1","created":1767571200,"email":"ada@example.com"}"""),
            new IngestRecord("stripe", "charge", """{"id":"2","created":1767571300,"email":"grace@example.com"}"""),
            new IngestRecord("stripe", "charge", "not json"),
        ]);

        List<Activity> spans;
        lock (stopped)
        {
            spans = [.. stopped];
        }

        var ingest = spans.Should().ContainSingle(a => a.OperationName == "eventlink.ingest").Subject;
        var tags = string.Join(", ", ingest.TagObjects.Select(t => $"{t.Key}={t.Value}"));
        ingest.GetTagItem("eventlink.records").Should().Be(5, tags);
        ingest.GetTagItem("eventlink.outcome.created").Should().Be(1, tags);
        ingest.GetTagItem("eventlink.outcome.linked").Should().Be(1);
        ingest.GetTagItem("eventlink.outcome.duplicate").Should().Be(1);
        ingest.GetTagItem("eventlink.outcome.quarantined").Should().Be(1);
        ingest.GetTagItem("eventlink.outcome.rejected").Should().Be(1);
        ingest.GetTagItem("eventlink.outcome.updated").Should().BeNull("no record updated a profile");
        ingest.Status.Should().Be(ActivityStatusCode.Unset);

        var commit = spans.Should().ContainSingle(a => a.OperationName == "eventlink.store.commit").Subject;
        commit.ParentSpanId.Should().Be(ingest.SpanId, "the commit is part of the batch");
    }

    [Fact]
    public async Task A_quarantine_replay_is_a_span_with_what_it_linked()
    {
        var tenant = "tracing-" + Guid.NewGuid().ToString("N");
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == EventLinkDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.OperationName == "eventlink.quarantine.replay" && Equals(a.GetTagItem("eventlink.tenant"), tenant))
                {
                    lock (stopped)
                    {
                        stopped.Add(a);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await using var link = new EventLinkBuilder()
            .AddSchema(s => s.AppendOnly("charge", t => t.RecordId("id").OccurredAt("created").RelatesTo("email", "customer")).Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email", IdentityKinds.Email)))
            .Build()
            .ForTenant(tenant);
        await link.IngestAsync(new IngestRecord("stripe", "charge", """{"id":"1","created":1767571200,"email":"ada@example.com"}"""));
        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"c1","created":1767571100,"email":"ada@example.com"}"""));
        await link.ReplayQuarantineAsync();

        lock (stopped)
        {
            var replay = stopped.Should().ContainSingle().Subject;
            replay.GetTagItem("eventlink.examined").Should().BeOfType<int>();
        }
    }
}

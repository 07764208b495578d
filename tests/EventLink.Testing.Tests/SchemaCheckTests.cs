using EventLink.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Testing.Tests;

public sealed class SchemaCheckTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("eventlink-schemacheck");

    private static void Register(IServiceCollection services) => services.AddEventLink(el => el.AddSchema(s => s
        .Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email"))
        .AppendOnly("charge", t => t.RecordId("id").OccurredAt("created").EventName("type").RelatesTo("customer_email", "customer"))
        .AppendOnly("ticket", t => t.RecordId("id").OccurredAt("created_at").RelatesTo("requester_email", "customer"))));

    private void Write(string relativePath, string content)
    {
        var path = Path.Combine(_folder.FullName, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    [Fact]
    public async Task A_schema_that_fits_its_samples_is_clean()
    {
        Write("stripe.customer.json", """[{"id":"cus_1","created":1767225600,"email":"ada@example.com"}]""");
        Write("stripe/charge.jsonl", "{\"id\":\"ch_1\",\"type\":\"charge.succeeded\",\"created\":1767225601,\"customer_email\":\"ADA@example.com\"}\n");
        Write("zendesk.ticket.json", """{"id":"t1","created_at":"2026-01-02T10:00:00Z","requester_email":"ada@example.com"}""");

        var report = await SchemaCheck.RunAsync(Register, _folder.FullName);

        report.IsClean.Should().BeTrue(report.ToString());
        report["charge"].Fields.Should().ContainSingle().Which.Should().BeEquivalentTo(new FieldCheck("relation 'customer_email'", 0, 1, 0, 1, []));
    }

    [Fact]
    public async Task Wrong_selectors_relations_that_never_match_and_blocked_identities_are_reported()
    {
        Write("stripe.customer.json", """[{"id":"cus_1","created":1767225600,"email":"ada@example.com"},{"id":"cus_2","created":1767225600,"email":"null"}]""");
        Write("stripe.charge.json", """[{"id":"ch_1","created":1767225601,"customer_email":"bob@example.com"},{"id":"ch_2","created":1767225602,"customer_email":"undefined"}]""");
        Write("zendesk.ticket.json", """[{"id":"t1","created_at":"2026-01-02T10:00:00Z","requester":{"email":"ada@example.com"}},{"ticket_id":"t2","created_at":"2026-01-02T10:00:00Z"}]""");
        Write("stripe.payout.json", """{"id":"po_1"}""");

        var report = await SchemaCheck.RunAsync(Register, _folder.FullName);

        report.IsClean.Should().BeFalse();
        report["customer"].Problems.Should().Contain("identity 'email': 1 value(s) malformed or blocked, e.g. 'null'");
        report["charge"].Problems.Should().Contain("relation 'customer_email' never matched a profile (1 usable values)");
        report["charge"].Problems.Should().Contain("relation 'customer_email': 1 value(s) malformed or blocked, e.g. 'undefined'");
        report["charge"].Problems.Should().Contain("event-name selector 'type' found nothing (the record type's name is used)");
        report["ticket"].Problems.Should().Contain("relation 'requester_email' found no usable value in any payload (2 missing, 0 malformed or blocked)");
        report["ticket"].Problems.Should().Contain(p => p.StartsWith("rejected: the record id selector 'id' found no string or number", StringComparison.Ordinal));
        report.UnknownFiles.Should().Equal("stripe.payout.json: record type 'payout' is not in the schema");
        report.ToString().Should().Contain("charge: 2 payload(s) — 2 Quarantined").And.Contain("  ! relation 'customer_email' never matched a profile");
    }

    [Fact]
    public async Task A_record_type_without_samples_says_so()
    {
        Write("stripe.customer.json", """{"id":"cus_1","created":1767225600,"email":"ada@example.com"}""");
        var report = await SchemaCheck.RunAsync(Register, _folder.FullName);
        report["ticket"].Problems.Should().Equal("no sample payloads");
    }

    public void Dispose() => _folder.Delete(recursive: true);
}

using System.Diagnostics.Metrics;
using System.Text;
using EventLink.Storage;
using EventLink.Storage.InMemory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventLink.Tests.DependencyInjection;

public sealed class AddEventLinkTests
{
    private const string AppSettings = """
        {
          "EventLink": {
            "MaxPayloadBytes": 2048,
            "Schema": {
              "RecordTypes": {
                "customer": {
                  "Kind": "Merged",
                  "RecordId": "id",
                  "OccurredAt": "created",
                  "Identities": [ { "Field": "email", "Kind": "email" } ]
                },
                "charge": {
                  "Kind": "AppendOnly",
                  "OccurredAt": "created",
                  "OccurredAtFormat": "UnixSeconds",
                  "Relations": [ { "Field": "customer_email", "Target": "customer", "IdentityKind": "email" } ],
                  "OnUnmatched": "CreateProfile"
                }
              },
              "MergeRules": { "plan": { "Rule": "SourcePriority", "Sources": [ "stripe", "hubspot" ] } },
              "BlockedValues": [ "info@acme.com" ],
              "IdentityKinds": { "domain": { "Normalization": "LowerCase", "Priority": 7, "MaxPerProfile": 2 } }
            }
          }
        }
        """;

    private static IConfiguration Configuration(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    [Fact]
    public async Task The_schema_and_options_bind_from_appsettings_json()
    {
        var services = new ServiceCollection();
        services.AddEventLink(Configuration(AppSettings).GetSection("EventLink"));
        await using var provider = services.BuildServiceProvider();

        var link = provider.GetRequiredService<IEventLink>();
        link.Schema.RecordTypes.Keys.Should().BeEquivalentTo("customer", "charge");
        link.Schema.GetMergeRule("plan").Sources.Should().Equal("stripe", "hubspot");
        link.Schema.RecordTypes["charge"].OnUnmatched.Should().Be(UnmatchedPolicy.CreateProfile);
        link.Schema.IdentityKinds["domain"].Normalization.Should().Be(IdentityNormalization.LowerCase);
        link.Schema.IdentityKinds["domain"].Priority.Should().Be(7);
        link.Schema.IdentityKinds["domain"].MaxPerProfile.Should().Be(2);
        provider.GetRequiredService<IOptions<EventLinkOptions>>().Value.MaxPayloadBytes.Should().Be(2048);
        provider.GetRequiredService<EventLinkStore>().Should().BeOfType<InMemoryEventLinkStore>("the in-memory store is the default");

        var created = await link.IngestAsync(new IngestRecord("stripe", "charge", """{"id":"ch_1","created":1767225600,"customer_email":"Ada@Example.com"}"""));
        created.Outcome.Should().Be(IngestOutcome.Created);
        var blocked = await link.IngestAsync(new IngestRecord("stripe", "charge", """{"id":"ch_2","created":1767225600,"customer_email":"INFO@acme.com"}"""));
        blocked.Reason.Should().Be(IngestReason.NoUsableIdentifier);
    }

    [Fact]
    public void A_custom_normaliser_cannot_come_from_configuration()
    {
        // The binder (generated at compile time in EventLink.Hosting) cannot create an IIdentityNormalizer: a
        // configuration that describes one fails when the options are read instead of being silently dropped.
        var services = new ServiceCollection();
        services.AddEventLink(Configuration("""{ "EventLink": { "Schema": { "IdentityKinds": { "domain": { "Normalizer": { "Type": "MyNormalizer" } } } } } }""").GetSection("EventLink"));
        using var provider = services.BuildServiceProvider();

        var read = () => provider.GetRequiredService<IOptions<EventLinkSchemaOptions>>().Value;
        read.Should().Throw<InvalidOperationException>().WithMessage("*IIdentityNormalizer*");
    }

    [Fact]
    public async Task An_invalid_schema_fails_host_start_up_with_a_message_naming_the_type_and_field()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEventLink(el => el.AddSchema(s => s
            .Merged("customer", t => t.Identity("email"))
            .AppendOnly("charge", t => t.RelatesTo("customer_email", "custmer"))));
        using var host = builder.Build();

        var start = async () => await host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Failures.Should().Contain("Record type 'charge': relation field 'customer_email' points at unknown record type 'custmer'.");
    }

    [Fact]
    public async Task Records_ingested_are_counted_by_outcome_on_the_EventLink_meter()
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddEventLink(el => el.AddSchema(s => s
            .Merged("customer", t => t.Identity("email"))
            .AppendOnly("charge", t => t.RelatesTo("customer_email", "customer"))));
        await using var provider = services.BuildServiceProvider();
        var link = provider.GetRequiredService<IEventLink>();
        var outcomes = new List<string>();
        using var listener = new MeterListener();

        // Only this provider's meter: tests running beside this one publish on meters of the same name.
        var factory = provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "EventLink" && instrument.Meter.Scope == factory && instrument.Name == "eventlink.records.ingested")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    lock (outcomes)
                    {
                        outcomes.Add((string)tag.Value!);
                    }
                }
            }
        });
        listener.Start();

        await link.IngestAsync([
            new IngestRecord("stripe", "customer", """{"id":"cus_1","created":1767225600,"email":"a@example.com"}"""),
            new IngestRecord("stripe", "charge", """{"id":"ch_1","created":1767225600,"customer_email":"a@example.com"}"""),
            new IngestRecord("stripe", "charge", """{"id":"ch_2","created":1767225600,"customer_email":"b@example.com"}"""),
            new IngestRecord("stripe", "charge", "{"),
        ]);

        outcomes.Should().BeEquivalentTo(["Created", "Linked", "Quarantined", "Rejected"]);
    }

    [Fact]
    public async Task The_standalone_builder_builds_the_same_engine_without_a_host()
    {
        await using var eventLink = new EventLinkBuilder()
            .AddSchema(s => s.Merged("customer", t => t.Identity("email")))
            .Configure(o => o.DefaultTenant = "main")
            .UseInMemoryStore()
            .Build();

        eventLink.Tenant.Should().Be("main");
        (await eventLink.IngestAsync(new IngestRecord("crm", "customer", """{"id":"1","created":"2026-01-01T00:00:00Z","email":"a@example.com"}""")))
            .Outcome.Should().Be(IngestOutcome.Created);
    }

    [Fact]
    public void The_standalone_builder_throws_on_an_invalid_schema()
    {
        var act = () => new EventLinkBuilder().AddSchema(s => s.AppendOnly("charge", t => t.RelatesTo("email", "nobody"))).Build();
        act.Should().Throw<SchemaValidationException>().WithMessage("*'charge': relation field 'email' points at unknown record type 'nobody'*");
    }
}

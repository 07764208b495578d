using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Compliance;

/// <summary>
/// The identity index of a process follows what other processes write: it applies the identities changed since the
/// version it knows instead of reading every identity again, and reads everything again only when it must.
/// For the in-memory store the second "process" is a second engine over the same store instance.
/// </summary>
public abstract class IndexRefreshContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    /// <summary>The shared schema, with at most two e-mails per profile: a third one is left out (its identity removed).</summary>
    public static void RefreshSchema(SchemaBuilder schema)
    {
        Define(schema);
        schema.IdentityKind(IdentityKinds.Email, maxPerProfile: 2);
    }

    [StoreFact]
    public virtual async Task A_process_applies_only_what_another_process_changed_and_links_as_the_store_does()
    {
        using var meter = new IndexRowsReadMeter();
        var a = await CreateAsync(RefreshSchema, configure: b => b.Services.AddSingleton<IMeterFactory>(meter));
        await a.IngestAsync([
            .. Enumerable.Range(0, 1000).Select(i => StripeCustomer($"cus_{i}", $"c{i}@example.com", Day(2026, 1, 1), userId: $"u{i}")),
            HubSpotContact(1, "m1@example.com", Day(2026, 1, 1)),
            HubSpotContact(2, "m2@example.com", Day(2026, 1, 1)),
            Customer("cus_r", Day(2026, 1, 3), "rb@example.com", "rc@example.com"),
        ]);
        var held = await a.FindProfileAsync(IdentityKinds.Email, "rc@example.com");
        meter.Take().Should().Equal(new[] { (0L, "full") }, "the first batch read the (empty) tenant whole");

        // Another process: a new profile, a merge of two, and an identity left out (removed) by an older record.
        var b = await ReopenAsync(RefreshSchema);
        var created = await b.IngestAsync(StripeCustomer("cus_new", "new@example.com", Day(2026, 2, 1)));
        var merged = await b.IngestAsync(Customer("cus_m", Day(2026, 2, 1), "m1@example.com", "m2@example.com"));
        await b.IngestAsync(Customer("cus_r0", Day(2026, 1, 2), "ra@example.com", "rb@example.com"));
        (await b.FindProfileAsync(IdentityKinds.Email, "rc@example.com")).Should().BeNull("the store removed the identity");

        var results = await a.IngestAsync([
            StripeCharge("ch_new", "new@example.com", Day(2026, 3, 1), 100),
            StripeCharge("ch_m1", "m1@example.com", Day(2026, 3, 1), 100),
            StripeCharge("ch_m2", "m2@example.com", Day(2026, 3, 1), 100),
            StripeCharge("ch_rc", "rc@example.com", Day(2026, 3, 1), 100),
            StripeCharge("ch_c7", "c7@example.com", Day(2026, 3, 1), 100),
        ]);

        var reads = meter.Take();
        reads.Should().ContainSingle().Which.Refresh.Should().Be("changes");
        reads[0].Rows.Should().BeInRange(1, 100, "the refresh reads what changed, not the 2,006 identities");
        results[0].Should().BeEquivalentTo(new { Outcome = IngestOutcome.Linked, created.ProfileId });
        results[1].Should().BeEquivalentTo(new { Outcome = IngestOutcome.Linked, merged.ProfileId });
        results[2].Should().BeEquivalentTo(new { Outcome = IngestOutcome.Linked, merged.ProfileId }, "the merged-away identity links to the survivor");
        results[3].Outcome.Should().Be(IngestOutcome.Quarantined, $"no profile holds rc@ any more (it was {held!.Id})");
        results[4].Outcome.Should().Be(IngestOutcome.Linked);
        (await a.FindProfileAsync(IdentityKinds.Email, "c7@example.com"))!.Id.Should().Be(results[4].ProfileId!.Value);
    }

    [StoreFact]
    public virtual async Task A_process_with_no_new_commits_elsewhere_reads_nothing()
    {
        using var meter = new IndexRowsReadMeter();
        var a = await CreateAsync(configure: b => b.Services.AddSingleton<IMeterFactory>(meter));
        await a.IngestAsync(StripeCustomer("cus_1", "a@example.com", Day(2026, 1, 1)));
        await a.IngestAsync(StripeCharge("ch_1", "a@example.com", Day(2026, 1, 2), 100));

        meter.Take().Should().Equal(new[] { (0L, "full") }, "the index stays current through its own commits");
    }

    [StoreFact]
    public virtual async Task After_a_failed_batch_the_index_is_read_whole_again_and_holds_only_what_was_committed()
    {
        using var meter = new IndexRowsReadMeter();
        var a = await CreateAsync(configure: b => b
            .AddDataQuality(q => q.Transform("customer", t => t.Apply(p => (string?)p["id"] != "cus_boom" ? true : throw new InvalidOperationException("boom"))))
            .Services.AddSingleton<IMeterFactory>(meter));
        var kept = await a.IngestAsync(StripeCustomer("cus_1", "a@example.com", Day(2026, 1, 1)));

        var failing = async () => await a.IngestAsync([
            StripeCustomer("cus_2", "b@example.com", Day(2026, 1, 1)),
            StripeCustomer("cus_boom", "boom@example.com", Day(2026, 1, 1)),
        ]);
        await failing.Should().ThrowAsync<InvalidOperationException>();
        meter.Take();

        var results = await a.IngestAsync([
            StripeCharge("ch_a", "a@example.com", Day(2026, 1, 2), 100),
            StripeCharge("ch_b", "b@example.com", Day(2026, 1, 2), 100),
        ]);

        meter.Take().Should().Equal(new[] { (1L, "full") }, "a failed batch may have left the index ahead of the store");
        results[0].Should().BeEquivalentTo(new { Outcome = IngestOutcome.Linked, kept.ProfileId });
        results[1].Outcome.Should().Be(IngestOutcome.Quarantined, "cus_2 was rolled back with its batch");
    }

    [StoreFact]
    public virtual async Task After_another_process_erases_a_person_the_index_is_read_whole_and_forgets_them()
    {
        using var meter = new IndexRowsReadMeter();
        var a = await CreateAsync(configure: b => b.Services.AddSingleton<IMeterFactory>(meter));
        await a.IngestAsync([StripeCustomer("cus_1", "a@example.com", Day(2026, 1, 1)), StripeCustomer("cus_2", "b@example.com", Day(2026, 1, 1))]);
        meter.Take();

        var b = await ReopenAsync();
        (await b.ForgetAsync(IdentityKinds.Email, "a@example.com")).Profiles.Should().Be(1);
        var results = await a.IngestAsync([
            StripeCharge("ch_a", "a@example.com", Day(2026, 1, 2), 100),
            StripeCharge("ch_b", "b@example.com", Day(2026, 1, 2), 100),
        ]);

        meter.Take().Should().Equal(new[] { (1L, "full") }, "an erasure keeps no record of the identities it removed");
        results[0].Outcome.Should().NotBe(IngestOutcome.Linked);
        results[1].Outcome.Should().Be(IngestOutcome.Linked);
    }

    /// <summary>A Stripe customer with several e-mails.</summary>
    private static IngestRecord Customer(string id, DateTimeOffset created, params string[] emails) =>
        new("stripe", "customer", System.Text.Json.JsonSerializer.Serialize(new { id, created = created.ToUnixTimeSeconds(), email = emails }));
}

/// <summary>Gives one engine meters of its own (through DI) and records what it reports on <c>eventlink.index.rows_read</c>.</summary>
public sealed class IndexRowsReadMeter : IMeterFactory
{
    private readonly MeterListener _listener = new();
    private readonly List<Meter> _meters = [];
    private readonly List<(long Rows, string Refresh)> _reads = [];

    /// <summary>Initializes a new instance of the <see cref="IndexRowsReadMeter"/> class, listening at once.</summary>
    public IndexRowsReadMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, this) && instrument.Name == "eventlink.index.rows_read")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, rows, tags, _) =>
        {
            var refresh = "";
            foreach (var tag in tags)
            {
                if (tag.Key == "refresh")
                {
                    refresh = (string)tag.Value!;
                }
            }

            lock (_reads)
            {
                _reads.Add((rows, refresh));
            }
        });
        _listener.Start();
    }

    /// <summary>Returns the reads recorded since the last call, oldest first.</summary>
    /// <returns>Each refresh: the rows it read and whether it read the whole index (<c>full</c>) or the changes (<c>changes</c>).</returns>
    public List<(long Rows, string Refresh)> Take()
    {
        lock (_reads)
        {
            var reads = _reads.ToList();
            _reads.Clear();
            return reads;
        }
    }

    /// <inheritdoc />
    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _listener.Dispose();
        lock (_meters)
        {
            _meters.ForEach(m => m.Dispose());
        }
    }
}
